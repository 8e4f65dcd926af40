import { randomUUID } from 'node:crypto';
import {
  type ParsedSamlSuccess,
  parseSamlResponse,
  renderSamlValidateRequest,
  sameService,
  withQuery,
} from '@usher/protocol';
import { parseAnswer } from './answer.ts';
import { CasClientError } from './errors.ts';
import { fetchText } from './fetch-text.ts';
import type { CasValidation } from './identity.ts';
import type { ResolvedProtocolOptions } from './options.ts';

/**
 * `POST /samlValidate?TARGET=<service>` (CAS Protocol 3.0, section 4.2; django-cas-ng's
 * `CAS_2_SAML_1_0`). The login itself is plain CAS: `service` out, `ticket` back.
 */
export async function validateSaml(
  options: ResolvedProtocolOptions,
  ticket: string,
  service: string,
): Promise<CasValidation> {
  const requestId = `_${randomUUID()}`;
  // The specification gives /samlValidate no `renew`; Apereo's Java client sends it anyway, and Apereo
  // CAS honours it.
  const url = withQuery(`${options.serverUrl}/samlValidate`, {
    TARGET: service,
    renew: options.renew ? 'true' : undefined,
  });
  const response = await fetchText(url, {
    ...options,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: 'http://www.oasis-open.org/committees/security',
      },
      body: renderSamlValidateRequest({ ticket, requestId, issueInstant: new Date(options.clock()) }),
    },
  });
  const parsed = parseAnswer(response, () => parseSamlResponse(response.body));
  if (parsed.kind === 'failure') {
    // Servers disagree on which SAML status means what (Apereo: Responder; Usher: Requester/RequestDenied),
    // so every failure is a refused ticket; the SAML codes stay in `casCode`.
    const casCode = [parsed.statusCode, parsed.subStatusCode].filter(Boolean).join('/');
    throw new CasClientError('INVALID_TICKET', parsed.message || casCode, { casCode });
  }
  checkAssertion(parsed, requestId, service, options);
  return { user: parsed.user, attributes: parsed.attributes, pgtIou: undefined, proxies: [] };
}

/** The checks the SAML answer leaves to the client: our request, our service, still valid. */
function checkAssertion(
  assertion: ParsedSamlSuccess,
  requestId: string,
  service: string,
  options: ResolvedProtocolOptions,
): void {
  const invalid = (why: string) => new CasClientError('INVALID_RESPONSE', `SAML assertion refused: ${why}`);
  if (assertion.inResponseTo !== undefined && assertion.inResponseTo !== requestId) {
    throw invalid('it answers another request');
  }
  if (
    assertion.audiences.length > 0 &&
    !assertion.audiences.some((audience) => sameService(audience, service))
  ) {
    throw invalid(`its audience is not ${service}`);
  }
  const now = options.clock();
  const notBefore = Date.parse(assertion.notBefore ?? '');
  const notOnOrAfter = Date.parse(assertion.notOnOrAfter ?? '');
  if (notBefore - options.clockToleranceMs > now) throw invalid('not valid yet');
  if (notOnOrAfter + options.clockToleranceMs <= now) throw invalid('expired');
}
