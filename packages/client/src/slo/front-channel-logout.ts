import { inflateRawSync, inflateSync } from 'node:zlib';
import type { CasStore } from '../stores/cas-store.ts';
import { type LogoutRequestOutcome, MAX_LOGOUT_REQUEST_BYTES, takeLogin } from './logout-request.ts';

/**
 * A front-channel logout GET: the browser brings `SAMLRequest`, the logoutRequest deflated and
 * base64-encoded. Usher and Apereo CAS deflate with a zlib header (what Apereo's Java client
 * `SingleSignOutHandler` inflates); SAML's redirect binding uses raw deflate: both are accepted.
 */
export function handleFrontChannelLogout(
  store: CasStore,
  samlRequest: string,
): Promise<LogoutRequestOutcome> {
  const xml = inflateSamlRequest(samlRequest);
  if (xml === undefined) {
    return Promise.resolve({
      kind: 'invalid',
      reason: 'SAMLRequest is not a base64, deflated logoutRequest',
    });
  }
  return takeLogin(store, xml);
}

function inflateSamlRequest(samlRequest: string): string | undefined {
  // A `+` the sender did not percent-encode arrives as a space.
  const base64 = samlRequest.replaceAll(' ', '+');
  if (base64.length > MAX_LOGOUT_REQUEST_BYTES || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const deflated = Buffer.from(base64, 'base64');
  for (const inflate of [inflateSync, inflateRawSync]) {
    try {
      // Stops at the limit, so a deflate bomb costs no more than a large request.
      return inflate(deflated, { maxOutputLength: MAX_LOGOUT_REQUEST_BYTES }).toString('utf8');
    } catch {
      // Not this format (or over the limit): try the other.
    }
  }
  return undefined;
}
