/// <reference types="@fastify/session" />
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { CasClient } from '../client.ts';
import { CasFlow, type CasFlowOptions, type GuardMode, type RequireLoginOptions } from '../flow/cas-flow.ts';
import { fromCallback } from '../flow/from-callback.ts';
import type { FlowReply } from '../flow/reply.ts';
import { type RequireLogin, requireLogin } from '../flow/require-login.ts';
import type { CasSessionState, SessionPort } from '../flow/session-state.ts';
import type { CasPrincipal } from '../identity.ts';

declare module 'fastify' {
  interface Session {
    cas?: CasSessionState;
  }
}

export interface CasFastify<U> {
  /**
   * Registers login, callback (GET: ticket or front-channel logout; POST: single logout), logout and proxy
   * callback routes.
   */
  plugin: FastifyPluginAsync;
  /**
   * preHandler: sends anonymous browsers to the CAS server; other anonymous requests get 401.
   * `requireLogin({ renew: true })` asks for the password again, whatever sessions the browser has.
   */
  requireLogin: RequireLogin<preHandlerAsyncHookHandler>;
  /**
   * preHandler: asks the CAS server with gateway (again after `gatewayRetryAfterMs`) and lets
   * anonymous requests through.
   */
  optionalLogin: preHandlerAsyncHookHandler;
  user(request: FastifyRequest): CasPrincipal | undefined;
  proxyTicket(request: FastifyRequest, targetService: string): Promise<string>;
  flow: CasFlow<U>;
}

const FORM = 'application/x-www-form-urlencoded';

/** Needs @fastify/cookie and @fastify/session registered before `plugin`. */
export function casFastify<U>(client: CasClient<U>, options: CasFlowOptions = {}): CasFastify<U> {
  const flow = new CasFlow(client, options);
  const guard =
    (mode: GuardMode, options?: RequireLoginOptions): preHandlerAsyncHookHandler =>
    async (request, reply) => {
      const answer = await flow.guard(requestOf(request), sessionOf(request), mode, options);
      if (answer !== undefined) await send(reply, answer);
    };

  const plugin: FastifyPluginAsync = async (app) => {
    // Encapsulated: the string parser only serves these routes, and an app-wide form parser wins.
    if (!app.hasContentTypeParser(FORM)) {
      app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
        done(null, body),
      );
    }
    app.get(flow.loginPath, (request, reply) =>
      send(reply, flow.login(requestOf(request), sessionOf(request))),
    );
    app.get(flow.callbackPath, (request, reply) =>
      send(reply, flow.callback(requestOf(request), sessionOf(request))),
    );
    app.post(flow.callbackPath, (request, reply) => {
      const body = request.body as string | Record<string, unknown> | undefined;
      return send(reply, flow.singleLogout(body ?? '', sessionOf(request)));
    });
    app.route({
      method: ['GET', 'POST'],
      url: flow.logoutPath,
      handler: (request, reply) => send(reply, flow.logout(requestOf(request), sessionOf(request))),
    });
    const pgtPath = flow.proxyCallbackPath;
    if (pgtPath !== undefined)
      app.get(pgtPath, (request, reply) => send(reply, flow.proxyCallback(requestOf(request))));
  };

  return {
    plugin,
    requireLogin: requireLogin((options) => guard('required', options)),
    optionalLogin: guard('optional'),
    user: (request) => request.session?.get('cas')?.principal,
    proxyTicket: (request, targetService) => flow.proxyTicket(sessionOf(request), targetService),
    flow,
  };
}

function requestOf(request: FastifyRequest) {
  return { method: request.method, url: request.url };
}

function sessionOf(request: FastifyRequest): SessionPort {
  if (request.session === undefined)
    throw new Error('@usher/client/fastify needs @fastify/session registered before it');
  return {
    read: () => request.session.get('cas'),
    // @fastify/session saves a modified session when the reply is sent.
    write: async (state) => request.session.set('cas', state),
    start: async (state) => {
      await request.session.regenerate();
      request.session.set('cas', state);
      return request.session.sessionId;
    },
    destroy: () => request.session.destroy(),
    // Its own session through request.session, or the end of this request would save it again.
    destroyById: (id) =>
      id === request.session.sessionId
        ? request.session.destroy()
        : fromCallback((done) => request.sessionStore.destroy(id, done)),
  };
}

async function send(reply: FastifyReply, answer: FlowReply | Promise<FlowReply>): Promise<FastifyReply> {
  const { status, headers, body } = await answer;
  return reply.code(status).headers(headers).send(body);
}
