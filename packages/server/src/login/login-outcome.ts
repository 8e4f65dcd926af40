import type { SsoSession } from '../sessions/sso-sessions.ts';
import type { ErrorPage } from '../views/error-pages.ts';
import type { TextKey } from '../views/messages/index.ts';

/**
 * What a login step decided; `routes/login.ts` turns it into an HTTP response. Texts are named by their
 * message key (`views/messages/en.ts`), worded in the page's language when rendered.
 */
export type LoginOutcome =
  | { kind: 'form'; status: number; error?: TextKey; notice?: TextKey; username?: string }
  /** The code form after a correct password; `challenge` is the one-time token holding the half-done sign-in. */
  | { kind: 'second-factor'; status: number; challenge: string; error?: TextKey }
  | { kind: 'redirect'; url: string }
  | { kind: 'post-redirect'; service: string; ticket: string; serviceName: string }
  /** method=HEADER: the service URL and ticket travel in the `service` and `ticket` headers of a 200. */
  | { kind: 'header-response'; service: string; ticket: string; user: string }
  | { kind: 'warn'; service: string; serviceName: string; user: string }
  | { kind: 'logged-in'; user: string }
  | { kind: 'error'; status: number; page: ErrorPage };

export type ResponseMethod = 'GET' | 'POST' | 'HEADER';

/** The login request after parameter parsing. */
export interface LoginRequest {
  service?: string;
  renew: boolean;
  gateway: boolean;
  /**
   * CAS 3.0 §2.1.1 `method`: POST answers with an auto-submitting form instead of a redirect, HEADER with
   * the service and ticket in response headers (as Apereo CAS does).
   */
  method?: ResponseMethod;
  session?: SsoSession;
}

export const unknownServiceOutcome: LoginOutcome = {
  kind: 'error',
  status: 403,
  page: { problem: 'unknown-service' },
};

export const disabledServiceOutcome: LoginOutcome = {
  kind: 'error',
  status: 403,
  page: { problem: 'disabled-service' },
};
