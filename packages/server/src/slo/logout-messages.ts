import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { renderLogoutRequest, withQuery } from '@usher/protocol';
import type { ServiceAccess } from '../tickets/ticket-payload.ts';

/**
 * The SAML 2 LogoutRequest for one service ticket (CAS Protocol 3.0 §2.3.3, Appendix C): a fresh ID,
 * the user as NameID and the ticket the service was signed in with as SessionIndex.
 */
export function logoutRequestFor(access: ServiceAccess, now: number): string {
  return renderLogoutRequest({
    id: `LR-${randomUUID()}`,
    issueInstant: new Date(now),
    nameId: access.user,
    sessionIndex: access.ticket,
  });
}

/** Back channel: the form body POSTed to the service, field `logoutRequest` holding the XML. */
export function backChannelBody(logoutRequest: string): string {
  return new URLSearchParams({ logoutRequest }).toString();
}

/**
 * Front channel, as Apereo CAS sends it and the Apereo Java client reads it: a GET with the XML
 * zlib-deflated and base64-encoded in the `SAMLRequest` query parameter.
 */
export function frontChannelUrl(target: string, logoutRequest: string): string {
  return withQuery(target, { SAMLRequest: deflateSync(logoutRequest).toString('base64') });
}
