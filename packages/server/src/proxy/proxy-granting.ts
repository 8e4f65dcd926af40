import { generateTicketId, UnauthorizedServiceProxyError } from '@usher/protocol';
import type { UsherConfig } from '../config/load-config.ts';
import { readCaBundle } from '../http/outbound-request.ts';
import { type Logger, maskTicket } from '../logging/logger.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { ProxyTickets } from '../tickets/proxy-tickets.ts';
import type { TicketPayload } from '../tickets/ticket-payload.ts';
import { sendProxyGrantingTicket } from './pgt-callback.ts';
import { proxyCallbackRefusal } from './proxy-policy.ts';

/**
 * Issues proxy-granting tickets on validations that ask for one with `pgtUrl` (CAS 3.0 §2.5.4).
 *
 * A refused or failed callback never fails the validation: the answer just carries no
 * `proxyGrantingTicket` (§2.5.4 step 3). Step 1 also says "service ticket validation will fail", which
 * contradicts step 3; we follow step 3 as django-mama-cas does (Apereo CAS fails the validation
 * instead), also when the service's policy forbids proxying: a broken or refused callback costs the
 * service its PGT, never its users' sign-in. The refusal is logged with its CAS code.
 */
export class ProxyGranting {
  private readonly ca: Buffer | undefined;

  constructor(
    private readonly proxyTickets: ProxyTickets,
    private readonly config: Pick<UsherConfig, 'proxy' | 'tickets'>,
    private readonly logger: Logger,
  ) {
    this.ca = readCaBundle('proxy.caBundle', config.proxy.caBundle);
  }

  /** The PGT IOU to put in the validation answer, or undefined when no PGT was issued. */
  async grant(
    validated: TicketPayload,
    service: RegisteredService | undefined,
    pgtUrl: string,
  ): Promise<string | undefined> {
    const log = { user: validated.user, service: validated.serviceName, pgtUrl: pgtUrl.slice(0, 200) };
    const refusal = service
      ? proxyCallbackRefusal(service.config, pgtUrl, this.config.proxy)
      : new UnauthorizedServiceProxyError('The service is no longer registered');
    if (refusal) {
      this.logger.warn({ ...log, code: refusal.code, reason: refusal.message }, 'proxy callback refused');
      return undefined;
    }
    const pgtId = generateTicketId('PGT', this.config.tickets.proxyGrantingTicketLength);
    const pgtIou = generateTicketId('PGTIOU', this.config.tickets.proxyGrantingTicketIouLength);
    try {
      await sendProxyGrantingTicket(
        pgtUrl,
        { pgtId, pgtIou },
        { ca: this.ca, timeoutMs: this.config.proxy.callbackTimeoutMs },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ ...log, code: 'INVALID_PROXY_CALLBACK', reason }, 'proxy callback failed');
      return undefined;
    }
    await this.proxyTickets.saveProxyGrantingTicket(pgtId, validated, pgtUrl);
    this.logger.info({ ...log, ticket: maskTicket(pgtId) }, 'proxy-granting ticket issued');
    return pgtIou;
  }
}
