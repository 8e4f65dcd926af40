import type { Attributes } from '../auth/authenticator.ts';

/** What a ticket carries from the SSO session to the validation that consumes it. */
export interface TicketPayload {
  kind: 'ST' | 'PT' | 'PGT';
  /** ST/PT: the (normalized) service URL it was issued for; PGT: the service that obtained it. */
  service: string;
  /** Registry name of that service. */
  serviceName: string;
  /** The SSO session (TGT id) it belongs to; ending the session revokes it. */
  sessionId: string;
  /** Hard end of that session. */
  sessionEndsAt: number;
  user: string;
  attributes: Attributes;
  authenticatedAt: number;
  /** Issued right after the user typed primary credentials (CAS `isFromNewLogin`, `renew`). */
  primary: boolean;
  rememberMe: boolean;
  /** The second factor the user passed when signing in (CAS 3 `authnContextClass`). */
  secondFactor?: 'totp';
  /** Proxy chain, most recent first (PT and PGT obtained through proxies). */
  proxies: string[];
}

/** Kept per service ticket for the life of the session, so single logout knows whom to notify. */
export interface ServiceAccess {
  service: string;
  serviceName: string;
  ticket: string;
  user: string;
}
