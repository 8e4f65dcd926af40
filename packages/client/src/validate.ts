import {
  isCasErrorCode,
  isWellFormedTicket,
  ProtocolParseError,
  parseCas1Response,
  parseServiceResponse,
} from '@usher/protocol';
import { CasClientError } from './errors.ts';
import { fetchText, type TextResponse } from './fetch-text.ts';
import type { CasValidation } from './identity.ts';
import type { ResolvedProtocolOptions } from './options.ts';
import { buildValidateUrl } from './urls.ts';

export async function validateTicket(
  options: ResolvedProtocolOptions,
  ticket: string,
  service: string,
): Promise<CasValidation> {
  // Not worth a request, and keeps odd bytes out of the URL and the logs.
  if (!isWellFormedTicket(ticket)) {
    throw new CasClientError(
      'MALFORMED_TICKET',
      'the ticket is empty, too long or has characters no CAS ticket has',
    );
  }
  const response = await fetchText(buildValidateUrl(options, ticket, service), options);
  const validation = options.version === 1 ? readCas1(response) : readServiceResponse(response, options);
  checkProxyChain(validation.proxies, options.acceptProxyTickets);
  return validation;
}

function readCas1(response: TextResponse): CasValidation {
  const parsed = parseAnswer(response, () => parseCas1Response(response.body));
  if (parsed.kind === 'failure')
    throw new CasClientError('INVALID_TICKET', 'the CAS server refused the ticket');
  return { user: parsed.user, attributes: {}, pgtIou: undefined, proxies: [] };
}

function readServiceResponse(response: TextResponse, options: ResolvedProtocolOptions): CasValidation {
  const parsed = parseAnswer(response, () => parseServiceResponse(response.body, options.format));
  if (parsed.kind === 'success') {
    return {
      user: parsed.user,
      attributes: parsed.attributes,
      pgtIou: parsed.proxyGrantingTicket,
      proxies: parsed.proxies,
    };
  }
  if (parsed.kind === 'failure') throw casFailure(parsed.code, parsed.description);
  throw new CasClientError('INVALID_RESPONSE', 'the CAS server answered a validation with a proxy response');
}

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

function checkProxyChain(proxies: string[], accept: ResolvedProtocolOptions['acceptProxyTickets']): void {
  if (proxies.length === 0) return;
  // A lax server may list proxies even on /serviceValidate: without consent, any chain is refused.
  const accepted = typeof accept === 'function' ? accept(proxies) : accept;
  if (!accepted) {
    throw new CasClientError('PROXY_CHAIN_REJECTED', `proxy chain refused: ${proxies.join(' → ')}`);
  }
}
