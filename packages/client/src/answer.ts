import { isCasErrorCode, ProtocolParseError } from '@usher/protocol';
import { CasClientError } from './errors.ts';
import type { TextResponse } from './fetch-text.ts';

/**
 * Servers answer failures with 200, but some use 4xx/5xx with a CAS body: read the body whatever the
 * status, and call it an HTTP error when it is not a CAS failure document.
 */
export function parseAnswer<T extends { kind: string }>(response: TextResponse, parse: () => T): T {
  const httpError = new CasClientError('HTTP_ERROR', `CAS server answered HTTP ${response.status}`, {
    status: response.status,
  });
  if (response.status >= 300 && response.status < 400) throw httpError;
  let parsed: T;
  try {
    parsed = parse();
  } catch (error) {
    if (!(error instanceof ProtocolParseError)) throw error;
    if (response.status >= 400) throw httpError;
    throw new CasClientError('INVALID_RESPONSE', `unreadable CAS server answer: ${error.message}`, {
      cause: error,
    });
  }
  const failure = parsed.kind === 'failure' || parsed.kind === 'proxyFailure';
  if (response.status >= 400 && !failure) throw httpError;
  return parsed;
}

export function casFailure(code: string, description: string): CasClientError {
  return new CasClientError(isCasErrorCode(code) ? code : 'UNKNOWN_CAS_ERROR', description || code, {
    casCode: code,
  });
}
