import type { Server } from 'node:http';
import express from 'express';
import session from 'express-session';
import { casExpress } from '../src/express/index.ts';
import { runAdapterSuite } from './support/adapter-suite.ts';

runAdapterSuite('express', async (client, flowOptions, { host, port }) => {
  const cas = casExpress(client, flowOptions);
  const app = express();
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  app.use(cas.router);
  app.all('/private', cas.requireLogin, (req, res) => {
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
});
