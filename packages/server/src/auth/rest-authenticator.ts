import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RestSourceConfig } from '../config/auth-schema.ts';
import type { Attributes, AuthenticationResult, Authenticator } from './authenticator.ts';
import { AuthSourceUnavailableError } from './authenticator.ts';

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Apereo CAS's answers: 401 bad credentials, 403 disabled account, 404 unknown account. */
const REFUSALS: Record<number, Exclude<AuthenticationResult, { ok: true }>['reason']> = {
  401: 'invalid-credentials',
  403: 'disabled',
  404: 'unknown-user',
};

/**
 * Apereo-style REST authentication: POSTs the credentials (Basic header or JSON body) to an endpoint
 * that answers 200 with `{ username?, attributes }` (Apereo's `id` is read as the username too).
 */
export class RestAuthenticator implements Authenticator {
  readonly name: string;
  private readonly ca: Buffer | undefined;

  constructor(private readonly config: RestSourceConfig) {
    this.name = config.name ?? 'rest';
    this.ca = config.caFile ? readFileSync(config.caFile) : undefined;
  }

  async authenticate(username: string, password: string): Promise<AuthenticationResult> {
    let answer: { status: number; body: string };
    try {
      answer = await this.post(username, password);
    } catch (error) {
      throw new AuthSourceUnavailableError(this.name, (error as Error).message, { cause: error });
    }
    const refusal = REFUSALS[answer.status];
    if (refusal) return { ok: false, reason: refusal };
    if (answer.status !== 200)
      throw new AuthSourceUnavailableError(this.name, `the endpoint answered HTTP ${answer.status}`);
    const principal = parsePrincipal(answer.body);
    if (!principal)
      throw new AuthSourceUnavailableError(this.name, 'the endpoint answered 200 without a JSON principal');
    return { ok: true, username: principal.username ?? username, attributes: principal.attributes };
  }

  private post(username: string, password: string): Promise<{ status: number; body: string }> {
    const url = new URL(this.config.url);
    const json = this.config.credentials === 'json';
    const body = json ? JSON.stringify({ username, password }) : '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    else headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(
        url,
        { method: 'POST', headers, signal, agent: false, ca: this.ca, rejectUnauthorized: true },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) request.destroy(new Error('the answer is too large'));
            else chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', (error) =>
        reject(signal.aborted ? new Error(`no answer within ${this.config.timeoutMs} ms`) : error),
      );
      request.end(body);
    });
  }
}

function parsePrincipal(body: string): { username?: string; attributes: Attributes } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const { username, id, attributes } = parsed as Record<string, unknown>;
  const name = typeof username === 'string' ? username : typeof id === 'string' ? id : undefined;
  return { username: name === '' ? undefined : name, attributes: toAttributes(attributes) };
}

/** Scalars and arrays of scalars become lists of strings; anything else is dropped. */
function toAttributes(raw: unknown): Attributes {
  if (typeof raw !== 'object' || raw === null) return {};
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(raw)) {
    const values = (Array.isArray(value) ? value : [value])
      .filter((v) => ['string', 'number', 'boolean'].includes(typeof v))
      .map(String);
    if (values.length > 0) attributes[name] = values;
  }
  return attributes;
}
