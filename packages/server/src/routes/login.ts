import { randomBytes } from 'node:crypto';
import { parseCasFlag } from '@usher/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UsherContext } from '../context.ts';
import { BadParameterError, textParam } from '../http/params.ts';
import { originOf, setPageHeaders } from '../http/security-headers.ts';
import { acceptCredentials, requestCredentials } from '../login/login-flow.ts';
import type { LoginOutcome, LoginRequest } from '../login/login-outcome.ts';
import type { Language, Messages } from '../views/messages/index.ts';
import { pageLanguage, renderError } from './pages.ts';

/** `/login` GET (credential requestor) and POST (credential acceptor), CAS 3.0 §2.1–2.2. */
export function registerLogin(app: FastifyInstance, ctx: UsherContext): void {
  app.get(ctx.paths.login, async (request, reply) => {
    const parsed = await readLoginRequest(ctx, request, request.query);
    if (parsed instanceof BadParameterError) return badRequest(ctx, request, reply, parsed);
    return send(ctx, request, reply, parsed, await requestCredentials(ctx, parsed));
  });

  app.post(ctx.paths.login, async (request, reply) => {
    const body = request.body ?? {};
    const parsed = await readLoginRequest(ctx, request, body);
    if (parsed instanceof BadParameterError) return badRequest(ctx, request, reply, parsed);
    let submission: Parameters<typeof acceptCredentials>[1];
    try {
      submission = {
        ...parsed,
        loginToken: textParam(body, 'lt', 128),
        username: textParam(body, 'username', 256),
        password: textParam(body, 'password', 1024),
        code: textParam(body, 'code', 16),
        warn: parseCasFlag(textParam(body, 'warn', 16)),
        rememberMe: parseCasFlag(textParam(body, 'rememberMe', 16)),
        confirm: parseCasFlag(textParam(body, 'confirm', 16)),
        clientAddress: request.ip,
      };
    } catch (error) {
      if (error instanceof BadParameterError) return badRequest(ctx, request, reply, error);
      throw error;
    }
    const { outcome, newSession } = await acceptCredentials(ctx, submission);
    if (newSession) {
      const maxAge = newSession.rememberMe ? Math.floor((newSession.endsAt - ctx.clock()) / 1000) : undefined;
      ctx.cookie.set(reply, newSession.id, maxAge);
    }
    return send(ctx, request, reply, { ...parsed, session: newSession ?? parsed.session }, outcome);
  });
}

async function readLoginRequest(
  ctx: UsherContext,
  request: FastifyRequest,
  source: unknown,
): Promise<LoginRequest | BadParameterError> {
  try {
    const method = textParam(source, 'method', 16)?.toUpperCase();
    return {
      service: textParam(source, 'service'),
      renew: parseCasFlag(textParam(source, 'renew', 16)),
      gateway: parseCasFlag(textParam(source, 'gateway', 16)),
      method: method === 'POST' || method === 'HEADER' ? method : undefined,
      session: await ctx.sessions.find(ctx.cookie.read(request)),
    };
  } catch (error) {
    if (error instanceof BadParameterError) return error;
    throw error;
  }
}

function badRequest(
  ctx: UsherContext,
  request: FastifyRequest,
  reply: FastifyReply,
  error: BadParameterError,
) {
  ctx.logger.warn({ parameter: error.parameter }, 'login request refused: bad parameter');
  return renderError(ctx, request, reply, 400, { problem: 'bad-parameter', error });
}

async function send(
  ctx: UsherContext,
  httpRequest: FastifyRequest,
  reply: FastifyReply,
  request: LoginRequest,
  outcome: LoginOutcome,
) {
  if (outcome.kind === 'redirect') return reply.redirect(outcome.url, 302);
  if (outcome.kind === 'error') return renderError(ctx, httpRequest, reply, outcome.status, outcome.page);
  const { lang, t } = pageLanguage(ctx, httpRequest, reply);
  switch (outcome.kind) {
    case 'form': {
      setPageHeaders(reply, { formTargets: serviceFormTargets(request) });
      const html = ctx.views.render(
        'login',
        t.signIn,
        {
          action: ctx.paths.login,
          loginToken: await ctx.loginTokens.issue(),
          service:
            request.service && ctx.registry.lookup(request.service).kind === 'allowed'
              ? request.service
              : undefined,
          serviceName: request.service ? serviceName(ctx, request.service) : undefined,
          renew: request.renew,
          method: request.method,
          username: outcome.username ?? '',
          error: outcome.error && t[outcome.error],
          notice: outcome.notice && t[outcome.notice],
          allowWarn: ctx.config.sso.allowWarn,
          allowRememberMe: ctx.config.sso.rememberMe,
        },
        lang,
      );
      return reply.code(outcome.status).type('text/html; charset=utf-8').send(html);
    }
    case 'second-factor':
      setPageHeaders(reply, { formTargets: serviceFormTargets(request) });
      return reply
        .code(outcome.status)
        .type('text/html; charset=utf-8')
        .send(
          ctx.views.render(
            'second-factor',
            t.twoStepVerification,
            {
              action: ctx.paths.login,
              loginToken: outcome.challenge,
              service: request.service,
              renew: request.renew,
              method: request.method,
              error: outcome.error && t[outcome.error],
            },
            lang,
          ),
        );
    case 'header-response':
      reply.header('service', outcome.service).header('ticket', outcome.ticket);
      return loggedIn(ctx, reply, outcome.user, { lang, t });
    case 'logged-in':
      return loggedIn(ctx, reply, outcome.user, { lang, t });
    case 'warn':
      setPageHeaders(reply, { formTargets: serviceFormTargets(request) });
      return reply.type('text/html; charset=utf-8').send(
        ctx.views.render(
          'warn',
          t.continueQuestion,
          {
            ...outcome,
            action: ctx.paths.login,
            loginToken: await ctx.loginTokens.issue(),
            method: request.method,
            logoutUrl: ctx.paths.logout,
          },
          lang,
        ),
      );
    case 'post-redirect': {
      const nonce = randomBytes(16).toString('base64');
      setPageHeaders(reply, { formTargets: [originOf(outcome.service)!], scriptNonce: nonce });
      return reply
        .type('text/html; charset=utf-8')
        .send(ctx.views.render('post-redirect', t.continuingTitle, { ...outcome, nonce }, lang));
    }
  }
}

function loggedIn(
  ctx: UsherContext,
  reply: FastifyReply,
  user: string,
  { lang, t }: { lang: Language; t: Messages },
) {
  setPageHeaders(reply);
  return reply
    .type('text/html; charset=utf-8')
    .send(ctx.views.render('logged-in', t.signedInTitle, { user, logoutUrl: ctx.paths.logout }, lang));
}

function serviceName(ctx: UsherContext, service: string): string | undefined {
  const lookup = ctx.registry.lookup(service);
  return lookup.kind === 'allowed' ? lookup.service.name : undefined;
}

/** The service's origin, which the page's forms may post to (CSP form-action also covers redirects). */
function serviceFormTargets(request: LoginRequest): string[] {
  const origin = request.service ? originOf(request.service) : undefined;
  return origin ? [origin] : [];
}
