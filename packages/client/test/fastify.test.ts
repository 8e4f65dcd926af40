import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import Fastify from 'fastify';
import { casFastify } from '../src/fastify/index.ts';
import { runAdapterSuite } from './support/adapter-suite.ts';

runAdapterSuite('fastify', async (client, flowOptions, { host, port }) => {
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
  app.get('/public', { preHandler: cas.optionalLogin }, async (request) => ({
    user: cas.user(request)?.user ?? null,
  }));
  app.get<{ Querystring: { target: string } }>('/pt', { preHandler: cas.requireLogin }, async (request) => ({
    pt: await cas.proxyTicket(request, request.query.target),
  }));
  await app.listen({ host, port });
  return { close: () => app.close() };
});
