import { parseCasFlag } from '@usher/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UsherContext } from '../context.ts';
import { textParam } from '../http/params.ts';
import { maskTicket } from '../logging/logger.ts';
import { validationSuccess } from '../tickets/validation-result.ts';
import { casFailure } from './cas-failure.ts';
import { formatParam, sendValidation } from './validation-format.ts';

interface Endpoint {
  path: string;
  /** CAS 3 endpoints release attributes; CAS 2 ones only when configured to. */
  version: 2 | 3;
  acceptProxyTickets: boolean;
}

/**
 * `/serviceValidate`, `/proxyValidate` and their `/p3/` twins (CAS 3.0 §2.5, §2.6, §2.8, §2.9); a
 * `pgtUrl` asks for a proxy-granting ticket on any of them (§2.5.4).
 */
export function registerServiceValidate(
  app: FastifyInstance,
  ctx: UsherContext,
  endpoints: Endpoint[],
): void {
  for (const endpoint of endpoints) {
    app.get(endpoint.path, (request, reply) => serviceValidate(ctx, endpoint, request, reply));
  }
}

async function serviceValidate(
  ctx: UsherContext,
  endpoint: Endpoint,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const query = request.query;
  const format = formatParam(query);
  try {
    const ticket = textParam(query, 'ticket', 1024);
    const service = textParam(query, 'service');
    const renew = parseCasFlag(textParam(query, 'renew'));
    const pgtUrl = textParam(query, 'pgtUrl');
    const payload = await ctx.tickets.validate({
      ticket,
      service,
      renew,
      acceptProxyTickets: endpoint.acceptProxyTickets,
    });
    const success = await validationSuccess(ctx, payload, {
      releaseAttributes: endpoint.version === 3 || ctx.config.protocol.cas2ReleasesAttributes,
    });
    if (pgtUrl) {
      const registered = ctx.registry.byName(payload.serviceName);
      success.proxyGrantingTicket = await ctx.proxyGranting.grant(payload, registered, pgtUrl);
    }
    ctx.logger.info(
      {
        user: success.user,
        service: payload.serviceName,
        ticket: maskTicket(ticket!),
        endpoint: endpoint.path,
      },
      'ticket validated',
    );
    ctx.logger.debug(
      { user: success.user, service: payload.serviceName, attributes: success.attributes },
      'attributes released',
    );
    return sendValidation(reply, format, success);
  } catch (error) {
    const failure = casFailure(ctx, error, endpoint.path);
    return sendValidation(
      reply,
      format,
      { code: failure.error.code, description: failure.error.message },
      failure.status,
    );
  }
}
