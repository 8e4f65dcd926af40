import { ProtocolParseError, parseLogoutRequest } from '@usher/protocol';
import type { CasStore } from '../stores/cas-store.ts';

export type LogoutRequestOutcome =
  /** Destroy `sessionId`: the server ended the SSO session that logged it in. */
  | { kind: 'logout'; sessionId: string; ticket: string }
  /** Well formed, but names no login of ours (unknown, already logged out, or expired): nothing changed. */
  | { kind: 'unknown'; ticket: string }
  /** Not a logout request: nothing changed. */
  | { kind: 'invalid'; reason: string };

// Anyone can send one; a real request is well under 1 KiB.
export const MAX_LOGOUT_REQUEST_BYTES = 16 * 1024;

export const sessionIndexKey = (ticket: string): string => `slo:${ticket}`;

/**
 * A back-channel logout POST: `body` is the raw `application/x-www-form-urlencoded` body (or its parsed
 * fields) carrying `logoutRequest`, a SAML 2 `samlp:LogoutRequest` whose `SessionIndex` is the service
 * ticket of the login to end. The request is not signed: what makes it safe is that only the CAS server
 * and this application know the ticket, so a forged request can only name tickets we do not have.
 */
export async function handleLogoutRequest(
  store: CasStore,
  body: string | URLSearchParams | Readonly<Record<string, unknown>>,
): Promise<LogoutRequestOutcome> {
  const xml = logoutRequestField(body);
  if (xml === undefined) return { kind: 'invalid', reason: 'no logoutRequest field' };
  return takeLogin(store, xml);
}

/** The login a `samlp:LogoutRequest` names, taken out of the single logout index. */
export async function takeLogin(store: CasStore, xml: string): Promise<LogoutRequestOutcome> {
  let ticket: string;
  try {
    ticket = parseLogoutRequest(xml, { maxBytes: MAX_LOGOUT_REQUEST_BYTES }).sessionIndex;
  } catch (error) {
    if (!(error instanceof ProtocolParseError)) throw error;
    return { kind: 'invalid', reason: error.message };
  }
  const sessionId = await store.take(sessionIndexKey(ticket));
  return sessionId === undefined ? { kind: 'unknown', ticket } : { kind: 'logout', sessionId, ticket };
}

function logoutRequestField(
  body: string | URLSearchParams | Readonly<Record<string, unknown>>,
): string | undefined {
  const fields = typeof body === 'string' ? new URLSearchParams(body) : body;
  const value = fields instanceof URLSearchParams ? fields.get('logoutRequest') : fields['logoutRequest'];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
