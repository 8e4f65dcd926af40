import { randomBytes } from 'node:crypto';
import {
  type CasError,
  InvalidRequestError,
  ProtocolParseError,
  parseCasFlag,
  parseSamlValidateRequest,
  renderSamlFailure,
  renderSamlSuccess,
  type SamlStatusCode,
  type SamlValidateRequest,
} from '@usher/protocol';
import type { UsherContext } from '../context.ts';
import { textParam } from '../http/params.ts';
import { maskTicket } from '../logging/logger.ts';
import { casFailure } from '../routes/cas-failure.ts';
import { validationSuccess } from '../tickets/validation-result.ts';

export interface SamlAnswer {
  status: number;
  xml: string;
}

/**
 * `/samlValidate` (CAS 3.0 §4.2): validates the service ticket in the SOAP request's
 * `AssertionArtifact` for `target` like any service ticket (single use, same service) and answers
 * with a SAML 1.1 response. Attributes go only to HTTPS targets (§4.2.1: "SAML attributes MUST NOT
 * be released to a non-SSL site"); the user is still named to the others. `service` is accepted
 * for `TARGET` (some clients send it); `renew` works as on the other validation endpoints.
 */
export async function samlValidate(
  ctx: UsherContext,
  query: unknown,
  body: unknown,
  endpoint: string,
): Promise<SamlAnswer> {
  const now = new Date(ctx.clock());
  let request: SamlValidateRequest | undefined;
  let target: string | undefined;
  try {
    target = textParam(query, 'TARGET') ?? textParam(query, 'service');
    request = readRequest(ctx, body);
    if (!target) throw new InvalidRequestError('The TARGET parameter is required');
    const payload = await ctx.tickets.validate({
      ticket: request.ticket,
      service: target,
      renew: parseCasFlag(textParam(query, 'renew', 16)),
      acceptProxyTickets: false,
    });
    const success = await validationSuccess(ctx, payload, {
      releaseAttributes: new URL(payload.service).protocol === 'https:',
    });
    ctx.logger.info(
      { user: success.user, service: payload.serviceName, ticket: maskTicket(request.ticket), endpoint },
      'ticket validated',
    );
    ctx.logger.debug(
      { user: success.user, service: payload.serviceName, attributes: success.attributes },
      'attributes released',
    );
    const xml = renderSamlSuccess({
      responseId: samlId(),
      inResponseTo: request.requestId,
      issueInstant: now,
      issuer: new URL(ctx.config.server.publicUrl).host,
      recipient: target,
      user: success.user,
      attributes: success.attributes,
      authenticationInstant: new Date(payload.authenticatedAt),
      notBefore: now,
      notOnOrAfter: new Date(now.getTime() + ctx.config.saml.assertionLifetime * 1000),
    });
    return { status: 200, xml };
  } catch (error) {
    const failure = casFailure(ctx, error, endpoint);
    const xml = renderSamlFailure({
      responseId: samlId(),
      inResponseTo: request?.requestId,
      issueInstant: now,
      ...samlStatusOf(failure.error),
      message: failure.error.message,
      recipient: target,
    });
    return { status: failure.status, xml };
  }
}

function readRequest(ctx: UsherContext, body: unknown): SamlValidateRequest {
  try {
    return parseSamlValidateRequest(typeof body === 'string' ? body : '', {
      maxBytes: ctx.config.server.bodyLimit,
    });
  } catch (error) {
    if (!(error instanceof ProtocolParseError)) throw error;
    throw new InvalidRequestError(`The request is not a valid SAML 1.1 request: ${error.message}`);
  }
}

/**
 * SAML 1.1 core §3.4.3.1 status codes: a malformed request is the requester's error, a ticket we
 * refuse is `Requester`/`RequestDenied` (Apereo CAS sends `RequestDenied` at the top level, where the
 * schema allows only the four top-level codes), our own failure is `Responder`.
 */
function samlStatusOf(error: CasError): { statusCode: SamlStatusCode; subStatusCode?: string } {
  if (error.code === 'INTERNAL_ERROR') return { statusCode: 'samlp:Responder' };
  if (error.code === 'INVALID_REQUEST') return { statusCode: 'samlp:Requester' };
  return { statusCode: 'samlp:Requester', subStatusCode: 'samlp:RequestDenied' };
}

/** An xs:ID: it must not start with a digit. */
function samlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}
