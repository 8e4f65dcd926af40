import { withQuery } from '@usher/protocol';
import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';
import { BadParameterError, textParam } from '../http/params.ts';
import { originOf, setPageHeaders } from '../http/security-headers.ts';
import { pageLanguage, renderError } from './pages.ts';

/**
 * `/logout` (CAS 3.0 §2.3): ends the SSO session everywhere and clears the cookie. `service` (CAS 3) or
 * `url` (CAS 2) is followed only when it is a registered, enabled service.
 */
export function registerLogout(app: FastifyInstance, ctx: UsherContext): void {
  app.get(ctx.paths.logout, async (request, reply) => {
    let requested: string | undefined;
    try {
      requested = textParam(request.query, 'service') ?? textParam(request.query, 'url');
    } catch (error) {
      if (!(error instanceof BadParameterError)) throw error;
      return renderError(ctx, request, reply, 400, { problem: 'bad-parameter', error });
    }

    const sessionId = ctx.cookie.read(request);
    const { session, frontChannel } = sessionId
      ? await ctx.termination.end(sessionId, 'logout')
      : { session: undefined, frontChannel: [] };
    ctx.cookie.clear(reply);
    if (session) ctx.logger.info({ user: session.user }, 'logout');

    const lookup = requested ? ctx.registry.lookup(requested) : undefined;
    const continueUrl = lookup?.kind === 'allowed' ? lookup.url : undefined;
    if (requested && !continueUrl) {
      ctx.logger.warn(
        { service: requested.slice(0, 200) },
        'logout redirect refused for unregistered service',
      );
    }

    if (frontChannel.length === 0) {
      if (continueUrl && ctx.config.logout.followServiceRedirect) return reply.redirect(continueUrl, 302);
      if (ctx.config.logout.redirectToLogin) {
        return reply.redirect(
          continueUrl ? withQuery(ctx.paths.login, { service: continueUrl }) : ctx.paths.login,
          302,
        );
      }
    }
    const { lang, t } = pageLanguage(ctx, request, reply);
    setPageHeaders(reply, {
      imageOrigins: frontChannel.map((u) => originOf(u)).filter((o): o is string => !!o),
    });
    return reply
      .type('text/html; charset=utf-8')
      .send(
        ctx.views.render(
          'logout',
          t.signedOutTitle,
          { continueUrl, frontChannel, loginUrl: ctx.paths.login },
          lang,
        ),
      );
  });
}
