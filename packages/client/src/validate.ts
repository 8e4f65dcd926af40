import { isWellFormedTicket, parseCas1Response, parseServiceResponse } from '@usher/protocol';
import { casFailure, parseAnswer } from './answer.ts';
import { CasClientError } from './errors.ts';
import { fetchText, type TextResponse } from './fetch-text.ts';
import type { CasValidation } from './identity.ts';
import type { ResolvedProtocolOptions } from './options.ts';
import { validateSaml } from './saml-validate.ts';
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
  const validation =
    options.version === 'saml1.1'
      ? await validateSaml(options, ticket, service)
      : await validateCas(options, ticket, service);
  checkProxyChain(validation.proxies, options.acceptProxyTickets);
  return validation;
}

async function validateCas(
  options: ResolvedProtocolOptions,
  ticket: string,
  service: string,
): Promise<CasValidation> {
  const response = await fetchText(buildValidateUrl(options, ticket, service), options);
  return options.version === 1 ? readCas1(response) : readServiceResponse(response, options);
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

function checkProxyChain(proxies: string[], accept: ResolvedProtocolOptions['acceptProxyTickets']): void {
  if (proxies.length === 0) return;
  // A lax server may list proxies even on /serviceValidate: without consent, any chain is refused.
  const accepted = typeof accept === 'function' ? accept(proxies) : accept;
  if (!accepted) {
    throw new CasClientError('PROXY_CHAIN_REJECTED', `proxy chain refused: ${proxies.join(' → ')}`);
  }
}
