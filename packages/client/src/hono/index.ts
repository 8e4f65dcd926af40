import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CasClient } from '../client.ts';
import {
  CasFlow,
  type CasFlowOptions,
  type FlowRequest,
  type GuardMode,
  type RequireLoginOptions,
} from '../flow/cas-flow.ts';
import type { FlowReply } from '../flow/reply.ts';
import { type RequireLogin, requireLogin } from '../flow/require-login.ts';
import type { CasPrincipal } from '../identity.ts';
import { type HonoSessionOptions, HonoSessions } from './session.ts';

export type { HonoSessionOptions } from './session.ts';

export interface CasHonoOptions extends CasFlowOptions {
  session?: HonoSessionOptions;
}

export interface CasHono<U> {
  /**
   * Login, callback (GET: ticket or front-channel logout; POST: single logout), logout and proxy callback:
   * `app.route('/', cas.routes)`.
   */
  routes: Hono;
  /**
   * Sends anonymous browsers to the CAS server; other anonymous requests get 401.
   * `requireLogin({ renew: true })` asks for the password again, whatever sessions the browser has.
   */
  requireLogin: RequireLogin<MiddlewareHandler>;
  /**
   * Asks the CAS server with gateway (again after `gatewayRetryAfterMs`) and lets
   * anonymous requests through.
   */
  optionalLogin: MiddlewareHandler;
  /** Only loads the session, so `user(c)` works on routes without a guard. */
  session: MiddlewareHandler;
  user(c: Context): CasPrincipal | undefined;
  proxyTicket(c: Context, targetService: string): Promise<string>;
  flow: CasFlow<U>;
}

export function casHono<U>(client: CasClient<U>, options: CasHonoOptions = {}): CasHono<U> {
  const flow = new CasFlow(client, options);
  const sessions = new HonoSessions({
    ...options.session,
    secure: options.session?.secure ?? new URL(client.serviceUrl).protocol === 'https:',
  });
  const guard =
    (mode: GuardMode, options?: RequireLoginOptions): MiddlewareHandler =>
    async (c, next) => {
      const reply = await flow.guard(requestOf(c), await sessions.load(c), mode, options);
      if (reply !== undefined) return send(c, reply);
      await next();
      return undefined;
    };

  const routes = new Hono();
  routes.get(flow.loginPath, async (c) => send(c, await flow.login(requestOf(c), await sessions.load(c))));
  routes.get(flow.callbackPath, async (c) =>
    send(c, await flow.callback(requestOf(c), await sessions.load(c))),
  );
  routes.post(flow.callbackPath, bodyLimit({ maxSize: 64 * 1024 }), async (c) =>
    send(c, await flow.singleLogout(await c.req.text(), await sessions.load(c))),
  );
  routes.on(['GET', 'POST'], flow.logoutPath, async (c) =>
    send(c, await flow.logout(requestOf(c), await sessions.load(c))),
  );
  const pgtPath = flow.proxyCallbackPath;
  if (pgtPath !== undefined)
    routes.get(pgtPath, async (c) => send(c, await flow.proxyCallback(requestOf(c))));

  return {
    routes,
    requireLogin: requireLogin((options) => guard('required', options)),
    optionalLogin: guard('optional'),
    session: async (c, next) => {
      await sessions.load(c);
      await next();
    },
    user: (c) => sessions.peek(c)?.read()?.principal,
    proxyTicket: async (c, targetService) => flow.proxyTicket(await sessions.load(c), targetService),
    flow,
  };
}

function requestOf(c: Context): FlowRequest {
  const url = new URL(c.req.url);
  return { method: c.req.method, url: url.pathname + url.search };
}

function send(c: Context, reply: FlowReply): Response {
  return c.body(reply.body, reply.status as ContentfulStatusCode, reply.headers);
}
