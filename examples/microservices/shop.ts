// Shop: an Express service behind Usher, started by `npm run demo` (alone: `npx tsx
// examples/microservices/shop.ts`, with AUTH_URL, SHOP_URL and BILLING_URL).
import { randomBytes } from 'node:crypto';
import { CasClient } from '@usher/client';
import { casExpress } from '@usher/client/express';
import express from 'express';
import session from 'express-session';
import { demoUrls, listenAddress } from './demo-urls.ts';
import { shopAccount, shopHome } from './shop-pages.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const urls = demoUrls();
const cas = casExpress(new CasClient({ serverUrl: urls.auth, serviceUrl: `${urls.shop}/cas/callback` }));
const app = express();
// The in-memory session store suits one process; single logout destroys sessions through it.
app.use(
  session({
    secret: randomBytes(32).toString('hex'),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  }),
);
app.use(cas.router);
app.get('/', cas.optionalLogin, (req, res) => {
  res.type('html').send(shopHome(urls, cas.user(req)));
});
app.get('/account', cas.requireLogin, (req, res) => {
  res.type('html').send(shopAccount(urls, cas.user(req)!));
});

const { host, port } = listenAddress(urls.shop);
const server = app.listen(port, host, (error) => {
  if (error) throw error;
  console.log(`shop listening on ${urls.shop}/`);
});
stopOnSignal(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
