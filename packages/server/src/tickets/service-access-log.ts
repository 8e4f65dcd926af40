import type { RegisteredService } from '../services/service-registry.ts';
import type { ModelStore } from '../storage/types.ts';
import type { ServiceAccess, TicketPayload } from './ticket-payload.ts';

/**
 * Service accesses outlive their session's hard end by this much: the expiry sweeper finds an ended
 * session after it expired, and only live accesses can be read to send its single logout.
 */
const ACCESS_GRACE_MS = 24 * 3600 * 1000;

/**
 * Remembers every service (and proxied service) a session issued a ticket for, for single logout. A
 * service registered without single logout is not remembered: nothing would be sent to it, and skipping
 * the record halves the rows each of its tickets writes.
 */
export class ServiceAccessLog {
  constructor(private readonly accesses: ModelStore<ServiceAccess>) {}

  async record(ticket: string, payload: TicketPayload, service: RegisteredService): Promise<void> {
    if (!service.config.singleLogout) return;
    await this.accesses.upsert(
      ticket,
      { service: payload.service, serviceName: payload.serviceName, ticket, user: payload.user },
      { expiresAt: payload.sessionEndsAt + ACCESS_GRACE_MS, groupId: payload.sessionId },
    );
  }
}
