import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readSettingFile } from '../config/read-setting-file.ts';

export interface OutboundOptions {
  /** Trusted CA certificates (PEM); Node's default CAs when undefined. */
  ca: Buffer | undefined;
  timeoutMs: number;
}

/**
 * One request from the server to a service (proxy callbacks, back-channel logout). Redirects are not
 * followed; an HTTPS peer's certificate is verified (chain, name, validity) against `options.ca`.
 * Resolves with the status code; rejects with a readable reason: `ECONNREFUSED`, "self-signed certificate
 * (DEPTH_ZERO_SELF_SIGNED_CERT)", "no answer within N ms"…
 */
export function outboundRequest(
  url: URL,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  options: OutboundOptions,
): Promise<number> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: init.method,
        headers: init.headers,
        signal,
        agent: false,
        ca: options.ca,
        rejectUnauthorized: true,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (error) =>
      reject(new Error(signal.aborted ? `no answer within ${options.timeoutMs} ms` : describe(error))),
    );
    request.end(init.body);
  });
}

/** A socket error's code alone when its message just wraps it (`connect ECONNREFUSED …`), else both. */
function describe(error: NodeJS.ErrnoException): string {
  if (!error.code) return error.message;
  return error.message.includes(error.code) ? error.code : `${error.message} (${error.code})`;
}

/** The PEM file a `…caBundle` setting names, read at start-up; a clear configuration error if it cannot be. */
export function readCaBundle(setting: string, path: string | undefined): Buffer | undefined {
  return path === undefined ? undefined : readSettingFile(setting, path);
}
