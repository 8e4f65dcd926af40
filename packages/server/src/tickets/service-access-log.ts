import type { ModelStore } from '../storage/types.ts';
import type { ServiceAccess, TicketPayload } from './ticket-payload.ts';

/**
 * Service accesses outlive their session's hard end by this much: the expiry sweeper finds an ended
 * session after it expired, and only live accesses can be read to send its single logout.
 */
const ACCESS_GRACE_MS = 24 * 3600 * 1000;

/** Remembers every service (and proxied service) a session issued a ticket for, for single logout. */
export class ServiceAccessLog {
  constructor(private readonly accesses: ModelStore<ServiceAccess>) {}

  record(ticket: string, payload: TicketPayload): Promise<void> {
    return this.accesses.upsert(
      ticket,
      { service: payload.service, serviceName: payload.serviceName, ticket, user: payload.user },
      { expiresAt: payload.sessionEndsAt + ACCESS_GRACE_MS, groupId: payload.sessionId },
    );
  }
}
