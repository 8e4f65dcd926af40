import { withQuery } from '@usher/protocol';
import { type OutboundOptions, outboundRequest } from '../http/outbound-request.ts';

/**
 * CAS 3.0 §2.5.4 steps 2–3: `GET pgtUrl?pgtId=…&pgtIou=…`, keeping the callback's own parameters.
 * The peer certificate is verified against `options.ca`. Only a 200 counts: redirects are not followed.
 * Resolves on success, rejects with the reason otherwise.
 */
export async function sendProxyGrantingTicket(
  pgtUrl: string,
  params: { pgtId: string; pgtIou: string },
  options: OutboundOptions,
): Promise<void> {
  const status = await outboundRequest(new URL(withQuery(pgtUrl, params)), { method: 'GET' }, options);
  if (status !== 200) throw new Error(`the callback answered HTTP ${status}`);
}
