import { generateTicketId, isWellFormedTicket, ticketPrefixOf } from '@usher/protocol';
import type { UsherConfig } from '../config/load-config.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { Clock, ModelStore } from '../storage/types.ts';
import type { ServiceAccessLog } from './service-access-log.ts';
import type { TicketPayload } from './ticket-payload.ts';

/**
 * Proxy-granting tickets and the proxy tickets they yield (CAS 3.0 §3.2–3.3). Both are grouped by the
 * SSO session, so ending the session revokes them. Proxy tickets are validated by TicketService.
 */
export class ProxyTickets {
  constructor(
    private readonly tickets: ModelStore<TicketPayload>,
    private readonly accessLog: ServiceAccessLog,
    private readonly settings: UsherConfig['tickets'],
    private readonly clock: Clock,
  ) {}

  /** Stores the PGT `id` for the service that validated `from`; `pgtUrl` heads its proxy chain. */
  async saveProxyGrantingTicket(id: string, from: TicketPayload, pgtUrl: string): Promise<void> {
    const payload: TicketPayload = {
      ...from,
      kind: 'PGT',
      primary: false,
      proxies: [pgtUrl, ...from.proxies],
    };
    const expiresAt = this.clock() + this.settings.proxyGrantingTicketTtl * 1000;
    await this.tickets.upsert(id, payload, { expiresAt, groupId: from.sessionId });
  }

  /** A live PGT; PGTs are not single use (§3.3.1). */
  async findProxyGrantingTicket(id: string): Promise<TicketPayload | undefined> {
    if (!isWellFormedTicket(id) || ticketPrefixOf(id) !== 'PGT') return undefined;
    const payload = await this.tickets.find(id);
    return payload?.kind === 'PGT' ? payload : undefined;
  }

  /** A single-use PT for `url`, carrying the PGT's user and proxy chain. */
  async issueProxyTicket(pgt: TicketPayload, target: RegisteredService, url: string): Promise<string> {
    const id = generateTicketId('PT', this.settings.proxyTicketLength);
    const payload: TicketPayload = { ...pgt, kind: 'PT', service: url, serviceName: target.name };
    const expiresAt = this.clock() + this.settings.serviceTicketTtl * 1000;
    // The proxied service gets single logout too, like any service that received a ticket.
    await Promise.all([
      this.tickets.upsert(id, payload, { expiresAt, groupId: pgt.sessionId }),
      this.accessLog.record(id, payload, target),
    ]);
    return id;
  }
}
