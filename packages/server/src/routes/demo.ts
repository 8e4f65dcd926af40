import { withQuery } from '@usher/protocol';
import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';
import { textParam } from '../http/params.ts';
import { setPageHeaders } from '../http/security-headers.ts';
import { demoService } from '../services/demo-service.ts';
import { pageLanguage } from './pages.ts';

/**
 * `/demo/`: stands for an application so a new user can try the whole cycle from a browser and a shell.
 * It shows the ticket it receives and the command that validates it; it never validates it itself.
 */
export function registerDemo(app: FastifyInstance, ctx: UsherContext): void {
  const serviceUrl = demoService(ctx.config.server.publicUrl).pattern;
  app.get(ctx.paths.demo, async (request, reply) => {
    let ticket: string | undefined;
    try {
      ticket = textParam(request.query, 'ticket', 256);
    } catch {
      ticket = undefined;
    }
    const { lang, t } = pageLanguage(ctx, request, reply);
    setPageHeaders(reply);
    return reply.type('text/html; charset=utf-8').send(
      ctx.views.render(
        'demo',
        t.demoService,
        {
          ticket,
          ttl: ctx.config.tickets.serviceTicketTtl,
          validateUrl: ticket
            ? withQuery(`${ctx.config.server.publicUrl}/p3/serviceValidate`, { service: serviceUrl, ticket })
            : undefined,
          loginUrl: withQuery(ctx.paths.login, { service: serviceUrl }),
        },
        lang,
      ),
    );
  });
}
