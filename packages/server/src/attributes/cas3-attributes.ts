import type { Attributes } from '../auth/authenticator.ts';
import type { TicketPayload } from '../tickets/ticket-payload.ts';

/** Apereo CAS's name for "signed in with a second factor"; the value names the factor. */
export const AUTHN_CONTEXT_CLASS = 'authnContextClass';

/**
 * The authentication attributes CAS 3.0 adds to every `cas:attributes` block (§2.5.3 / Appendix A), and
 * Apereo's `authnContextClass: mfa-totp` after a TOTP code.
 */
export function authenticationAttributes(ticket: TicketPayload): Attributes {
  return {
    authenticationDate: [new Date(ticket.authenticatedAt).toISOString()],
    isFromNewLogin: [String(ticket.primary)],
    longTermAuthenticationRequestTokenUsed: [String(ticket.rememberMe)],
    ...(ticket.secondFactor ? { [AUTHN_CONTEXT_CLASS]: [`mfa-${ticket.secondFactor}`] } : {}),
  };
}
