import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { withQuery } from '@usher/protocol';

export interface CallbackOptions {
  /** Trusted CA certificates (PEM); Node's default CAs when undefined. */
  ca: Buffer | undefined;
  timeoutMs: number;
}

/**
 * CAS 3.0 §2.5.4 steps 2–3: `GET pgtUrl?pgtId=…&pgtIou=…`, keeping the callback's own parameters.
 * The peer certificate is verified (chain, name, validity) against `options.ca`. Only a 200 counts:
 * redirects are not followed. Resolves on success, rejects with the reason otherwise.
 */
export function sendProxyGrantingTicket(
  pgtUrl: string,
  params: { pgtId: string; pgtIou: string },
  options: CallbackOptions,
): Promise<void> {
  const url = new URL(withQuery(pgtUrl, params));
  const signal = AbortSignal.timeout(options.timeoutMs);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      { method: 'GET', signal, agent: false, ca: options.ca, rejectUnauthorized: true },
      (response) => {
        response.resume();
        if (response.statusCode === 200) resolve();
        else reject(new Error(`the callback answered HTTP ${response.statusCode}`));
      },
    );
    request.on('error', (error) =>
      reject(signal.aborted ? new Error(`no answer within ${options.timeoutMs} ms`) : error),
    );
    request.end();
  });
}
