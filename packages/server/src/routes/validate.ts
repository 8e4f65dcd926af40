import { parseCasFlag, renderCas1Failure, renderCas1Success } from '@usher/protocol';
import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';
import { textParam } from '../http/params.ts';
import { maskTicket } from '../logging/logger.ts';
import { validationSuccess } from '../tickets/validation-result.ts';
import { casFailure } from './cas-failure.ts';

/** `/validate` (CAS 1.0, CAS 3.0 §2.4): `yes\n<user>\n` or `no\n\n`, service tickets only. */
export function registerValidate(app: FastifyInstance, ctx: UsherContext, path: string): void {
  app.get(path, async (request, reply) => {
    reply.type('text/plain; charset=utf-8');
    try {
      const ticket = textParam(request.query, 'ticket', 1024);
      const payload = await ctx.tickets.validate({
        ticket,
        service: textParam(request.query, 'service'),
        renew: parseCasFlag(textParam(request.query, 'renew')),
        acceptProxyTickets: false,
      });
      const { user } = await validationSuccess(ctx, payload, { releaseAttributes: false });
      ctx.logger.info(
        { user, service: payload.serviceName, ticket: maskTicket(ticket!), endpoint: path },
        'ticket validated',
      );
      return reply.send(renderCas1Success(user));
    } catch (error) {
      return reply.code(casFailure(ctx, error, path).status).send(renderCas1Failure());
    }
  });
}
