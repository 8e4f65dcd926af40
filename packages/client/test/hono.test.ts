import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { casHono } from '../src/hono/index.ts';
import { runAdapterSuite } from './support/adapter-suite.ts';

runAdapterSuite('hono', async (client, flowOptions, { host, port }) => {
  const cas = casHono(client, flowOptions);
  const app = new Hono();
  app.route('/', cas.routes);
  app.on(['GET', 'POST'], '/private', cas.requireLogin, (c) => c.json(cas.user(c)));
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
});
