import type { Attributes } from '../auth/authenticator.ts';
import type { TicketPayload } from '../tickets/ticket-payload.ts';

/** The authentication attributes CAS 3.0 adds to every `cas:attributes` block (§2.5.3 / Appendix A). */
export function authenticationAttributes(ticket: TicketPayload): Attributes {
  return {
    authenticationDate: [new Date(ticket.authenticatedAt).toISOString()],
    isFromNewLogin: [String(ticket.primary)],
    longTermAuthenticationRequestTokenUsed: [String(ticket.rememberMe)],
  };
}
