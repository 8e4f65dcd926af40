/// <reference types="express-session" />
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { CasClient } from '../client.ts';
import { CasFlow, type CasFlowOptions, type GuardMode, type RequireLoginOptions } from '../flow/cas-flow.ts';
import { fromCallback } from '../flow/from-callback.ts';
import type { FlowReply } from '../flow/reply.ts';
import { type RequireLogin, requireLogin } from '../flow/require-login.ts';
import type { CasSessionState, SessionPort } from '../flow/session-state.ts';
import type { CasPrincipal } from '../identity.ts';

declare module 'express-session' {
  interface SessionData {
    cas: CasSessionState;
  }
}

export interface CasExpress<U> {
  /**
   * Login, callback (GET: ticket or front-channel logout; POST: single logout), logout and proxy callback
   * routes.
   */
  router: Router;
  /**
   * Sends anonymous browsers to the CAS server; other anonymous requests get 401.
   * `requireLogin({ renew: true })` asks for the password again, whatever sessions the browser has.
   */
  requireLogin: RequireLogin<RequestHandler>;
  /**
   * Asks the CAS server with gateway (again after `gatewayRetryAfterMs`) and lets
   * anonymous requests through.
   */
  optionalLogin: RequestHandler;
  user(req: Request): CasPrincipal | undefined;
  proxyTicket(req: Request, targetService: string): Promise<string>;
  flow: CasFlow<U>;
}

/** Needs express-session (with a server-side store, so single logout can destroy other sessions) before it. */
export function casExpress<U>(client: CasClient<U>, options: CasFlowOptions = {}): CasExpress<U> {
  const flow = new CasFlow(client, options);
  const run =
    (step: (req: Request) => Promise<FlowReply>): RequestHandler =>
    (req, res, next) => {
      step(req).then((reply) => send(res, reply), next);
    };
  const guard =
    (mode: GuardMode, options?: RequireLoginOptions): RequestHandler =>
    (req, res, next) => {
      flow
        .guard(requestOf(req), sessionOf(req), mode, options)
        .then((reply) => (reply ? send(res, reply) : next()), next);
    };

  const router = Router();
  router.get(
    flow.loginPath,
    run((req) => flow.login(requestOf(req), sessionOf(req))),
  );
  router.get(
    flow.callbackPath,
    run((req) => flow.callback(requestOf(req), sessionOf(req))),
  );
  router.post(
    flow.callbackPath,
    express.urlencoded({ extended: false, limit: '64kb' }),
    run((req) => flow.singleLogout(req.body ?? {}, sessionOf(req))),
  );
  router.all(
    flow.logoutPath,
    run((req) => flow.logout(requestOf(req), sessionOf(req))),
  );
  if (flow.proxyCallbackPath !== undefined) {
    router.get(
      flow.proxyCallbackPath,
      run((req) => flow.proxyCallback(requestOf(req))),
    );
  }

  return {
    router,
    requireLogin: requireLogin((options) => guard('required', options)),
    optionalLogin: guard('optional'),
    user: (req) => req.session?.cas?.principal,
    proxyTicket: (req, targetService) => flow.proxyTicket(sessionOf(req), targetService),
    flow,
  };
}

function requestOf(req: Request) {
  return { method: req.method, url: req.originalUrl };
}

function sessionOf(req: Request): SessionPort {
  if (req.session === undefined)
    throw new Error('@usher/client/express needs express-session mounted before it');
  // Always through `req.session`: regenerate() replaces the object.
  return {
    read: () => req.session.cas,
    write: (state) => {
      req.session.cas = state;
      return fromCallback((done) => req.session.save(done));
    },
    start: async (state) => {
      await fromCallback((done) => req.session.regenerate(done));
      req.session.cas = state;
      await fromCallback((done) => req.session.save(done));
      return req.sessionID;
    },
    destroy: () => fromCallback((done) => req.session.destroy(done)),
    // Its own session through req.session, or the end of this request would save it again.
    destroyById: (id) =>
      fromCallback((done) =>
        id === req.sessionID ? req.session.destroy(done) : req.sessionStore.destroy(id, done),
      ),
  };
}

function send(res: Response, reply: FlowReply): void {
  res.status(reply.status).set(reply.headers).send(reply.body);
}
