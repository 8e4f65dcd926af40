import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UsherContext } from '../context.ts';
import { BadParameterError, textParam } from '../http/params.ts';
import { setPageHeaders } from '../http/security-headers.ts';
import {
  createServiceTicket,
  createTicketGrantingTicket,
  destroyTicketGrantingTicket,
  RestError,
} from '../rest/rest-tickets.ts';

const RESOURCE = '/v1/tickets';

/**
 * Apereo-style REST ticket API (`/v1/tickets`): POST credentials → 201 with the TGT's address; POST
 * `service` to it → 200 with a service ticket; DELETE it → 200, session ended. Errors are plain text.
 */
export function registerRestTickets(app: FastifyInstance, ctx: UsherContext): void {
  const path = `${ctx.paths.base}${RESOURCE}`;
  app.post(path, (request, reply) =>
    answer(reply, async () => {
      const body = request.body ?? {};
      const session = await createTicketGrantingTicket(ctx, {
        username: textParam(body, 'username', 256),
        password: textParam(body, 'password', 1024),
        service: textParam(body, 'service'),
        clientAddress: request.ip,
      });
      const location = `${ctx.config.server.publicUrl}${RESOURCE}/${session.id}`;
      setPageHeaders(reply);
      return reply
        .code(201)
        .header('location', location)
        .type('text/html; charset=utf-8')
        .send(ctx.views.render('rest-ticket-created', 'Ticket created', { action: location }));
    }),
  );

  app.post<{ Params: { tgt: string } }>(`${path}/:tgt`, (request, reply) =>
    answer(reply, async () => {
      const ticket = await createServiceTicket(
        ctx,
        request.params.tgt,
        textParam(request.body ?? {}, 'service'),
      );
      return reply.code(200).type('text/plain; charset=utf-8').send(ticket);
    }),
  );

  app.delete<{ Params: { tgt: string } }>(`${path}/:tgt`, (request, reply) =>
    answer(reply, async () => {
      await destroyTicketGrantingTicket(ctx, request.params.tgt);
      return reply.code(200).type('text/plain; charset=utf-8').send(request.params.tgt);
    }),
  );
}

async function answer(reply: FastifyReply, handle: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await handle();
  } catch (error) {
    if (!(error instanceof RestError || error instanceof BadParameterError)) throw error;
    const status = error instanceof RestError ? error.status : 400;
    return reply.code(status).type('text/plain; charset=utf-8').send(error.message);
  }
}
