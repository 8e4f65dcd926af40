import type { Server } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { serve } from '@hono/node-server';
import express from 'express';
import session from 'express-session';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { casExpress } from '../../src/express/index.ts';
import { casFastify } from '../../src/fastify/index.ts';
import { casHono } from '../../src/hono/index.ts';
import type { StartApp } from './adapter-suite.ts';

// The same small app on each framework (see StartApp): what the adapter suites and the Usher tests drive.

export const startExpressApp: StartApp = async (client, flowOptions, { host, port }) => {
  const cas = casExpress(client, flowOptions);
  const app = express();
  // resave: a session destroyed in the store behind req.session's back would be saved again.
  app.use(session({ secret: 'test secret', resave: true, saveUninitialized: false }));
  app.use(cas.router);
  app.all('/private', cas.requireLogin, (req, res) => {
    res.json(cas.user(req));
  });
  app.all('/renewed', cas.requireLogin({ renew: true }), (req, res) => {
    res.json(cas.user(req));
  });
  app.get('/public', cas.optionalLogin, (req, res) => {
    res.json({ user: cas.user(req)?.user ?? null });
  });
  app.get('/pt', cas.requireLogin, async (req, res) => {
    res.json({ pt: await cas.proxyTicket(req, String(req.query['target'])) });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(port, host, () => resolve(s));
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const startFastifyApp: StartApp = async (client, flowOptions, { host, port }) => {
  const cas = casFastify(client, flowOptions);
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: 'a test secret of at least thirty-two characters',
    cookie: { secure: false },
    saveUninitialized: false,
  });
  await app.register(cas.plugin);
  app.route({
    method: ['GET', 'POST'],
    url: '/private',
    preHandler: cas.requireLogin,
    handler: async (request) => cas.user(request),
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/renewed',
    preHandler: cas.requireLogin({ renew: true }),
    handler: async (request) => cas.user(request),
  });
  app.get('/public', { preHandler: cas.optionalLogin }, async (request) => ({
    user: cas.user(request)?.user ?? null,
  }));
  app.get<{ Querystring: { target: string } }>('/pt', { preHandler: cas.requireLogin }, async (request) => ({
    pt: await cas.proxyTicket(request, request.query.target),
  }));
  await app.listen({ host, port });
  return { close: () => app.close() };
};

export const startHonoApp: StartApp = async (client, flowOptions, { host, port }) => {
  const cas = casHono(client, flowOptions);
  const app = new Hono();
  app.route('/', cas.routes);
  app.on(['GET', 'POST'], '/private', cas.requireLogin, (c) => c.json(cas.user(c)));
  app.on(['GET', 'POST'], '/renewed', cas.requireLogin({ renew: true }), (c) => c.json(cas.user(c)));
  app.get('/public', cas.optionalLogin, (c) => c.json({ user: cas.user(c)?.user ?? null }));
  app.get('/pt', cas.requireLogin, async (c) =>
    c.json({ pt: await cas.proxyTicket(c, c.req.query('target') ?? '') }),
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export const APPS = { express: startExpressApp, fastify: startFastifyApp, hono: startHonoApp };
