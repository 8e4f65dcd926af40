import { CasClientError } from './errors.ts';

export interface FetchTextOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  init?: RequestInit;
}

export interface TextResponse {
  status: number;
  body: string;
}

/** One request to the CAS server, every failure mapped to a `CasClientError` naming what went wrong. */
export async function fetchText(url: string, options: FetchTextOptions): Promise<TextResponse> {
  // One signal bounds connecting, waiting and reading the body: a server that trickles bytes times out too.
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    // Validation answers are never redirected by CAS servers; following one would trust whoever it points to.
    const response = await options.fetch(url, { ...options.init, signal, redirect: 'manual' });
    const body = await readCapped(response, options.maxResponseBytes);
    return { status: response.status, body };
  } catch (error) {
    throw asClientError(error, url, options.timeoutMs);
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): CasClientError {
  return new CasClientError('INVALID_RESPONSE', `CAS server answer exceeds ${maxBytes} bytes`);
}

function asClientError(error: unknown, url: string, timeoutMs: number): CasClientError {
  if (error instanceof CasClientError) return error;
  const where = new URL(url).origin;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CasClientError('TIMEOUT', `CAS server ${where} did not answer within ${timeoutMs} ms`, {
      cause: error,
    });
  }
  return new CasClientError('SERVER_UNREACHABLE', `CAS server ${where} is unreachable`, { cause: error });
}
