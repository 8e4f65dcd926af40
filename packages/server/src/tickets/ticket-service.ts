import {
  generateTicketId,
  InvalidRequestError,
  InvalidServiceError,
  InvalidTicketError,
  InvalidTicketSpecError,
  sameService,
  ticketPrefixOf,
} from '@usher/protocol';
import type { UsherConfig } from '../config/load-config.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';
import type { Clock, ModelStore } from '../storage/types.ts';
import type { ServiceAccessLog } from './service-access-log.ts';
import type { TicketPayload } from './ticket-payload.ts';

/** Longest ticket any client may send (CAS 3.0 §3.1.1 asks clients to accept 256). */
const MAX_TICKET_LENGTH = 256;

export interface ValidationRequest {
  ticket: string | undefined;
  service: string | undefined;
  renew: boolean;
  /** `/proxyValidate` accepts PTs too; `/serviceValidate` and `/validate` only STs. */
  acceptProxyTickets: boolean;
}

/** Issues service tickets and validates them: single use, bound to one service, short-lived. */
export class TicketService {
  constructor(
    private readonly tickets: ModelStore<TicketPayload>,
    private readonly accessLog: ServiceAccessLog,
    private readonly settings: UsherConfig['tickets'],
    private readonly clock: Clock,
  ) {}

  async issueServiceTicket(session: SsoSession, service: RegisteredService, url: string, primary: boolean) {
    const id = generateTicketId('ST', this.settings.serviceTicketLength);
    const payload: TicketPayload = {
      kind: 'ST',
      service: url,
      serviceName: service.name,
      sessionId: session.id,
      sessionEndsAt: session.endsAt,
      user: session.user,
      attributes: session.attributes,
      authenticatedAt: session.authenticatedAt,
      primary,
      rememberMe: session.rememberMe,
      ...(session.secondFactor ? { secondFactor: session.secondFactor } : {}),
      proxies: [],
    };
    const expiresAt = this.clock() + this.settings.serviceTicketTtl * 1000;
    await Promise.all([
      this.tickets.upsert(id, payload, { expiresAt, groupId: session.id }),
      this.accessLog.record(id, payload, service),
    ]);
    return id;
  }

  /**
   * CAS 3.0 §2.5–2.6: the ticket is consumed by the first attempt whatever its outcome, then checked
   * against the service it was issued for and against `renew`.
   */
  async validate(request: ValidationRequest): Promise<TicketPayload> {
    const { ticket, service } = request;
    if (!ticket || !service)
      throw new InvalidRequestError('Both "ticket" and "service" parameters are required');
    if (ticket.length > MAX_TICKET_LENGTH) throw new InvalidTicketError('Ticket not recognized');
    const prefix = ticketPrefixOf(ticket);
    if (prefix !== 'ST' && prefix !== 'PT') throw new InvalidTicketError(`Ticket '${ticket}' not recognized`);

    const payload = await this.tickets.consume(ticket);
    if (!payload || payload.kind !== prefix)
      throw new InvalidTicketError(`Ticket '${ticket}' not recognized`);
    if (prefix === 'PT' && !request.acceptProxyTickets) {
      throw new InvalidTicketSpecError('Proxy tickets can only be validated at /proxyValidate');
    }
    if (!sameService(payload.service, service)) {
      throw new InvalidServiceError(`Ticket '${ticket}' was not issued for this service`);
    }
    if (request.renew && !payload.primary) {
      throw new InvalidTicketError(
        `Ticket '${ticket}' did not come from an initial login and renew was requested`,
      );
    }
    return payload;
  }

  /** Revokes every ticket of an SSO session (logout, expiry, admin revocation). */
  revokeSession(sessionId: string): Promise<number> {
    return this.tickets.destroyByGroup(sessionId);
  }
}
