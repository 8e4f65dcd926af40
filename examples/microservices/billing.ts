// Billing: a Fastify service behind Usher, started by `npm run demo` (alone: `npx tsx
// examples/microservices/billing.ts`, with AUTH_URL, SHOP_URL and BILLING_URL).
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { CasClient } from '@usher/client';
import { casFastify } from '@usher/client/fastify';
import Fastify from 'fastify';
import { billingHome, billingPaid, billingPay, billingSignedOut } from './billing-pages.ts';
import { demoUrls, listenAddress } from './demo-urls.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const urls = demoUrls();
const cas = casFastify(new CasClient({ serverUrl: urls.auth, serviceUrl: `${urls.billing}/cas/callback` }));

const app = Fastify();
await app.register(fastifyCookie);
// The in-memory session store suits one process; single logout destroys sessions through it.
await app.register(fastifySession, {
  secret: randomBytes(32).toString('hex'),
  saveUninitialized: false,
  cookie: { secure: 'auto', sameSite: 'lax' },
});
await app.register(cas.plugin);

const HTML = 'text/html; charset=utf-8';
app.get('/', { preHandler: cas.requireLogin }, (request, reply) =>
  reply.type(HTML).send(billingHome(urls, cas.user(request)!)),
);
app.get('/pay', { preHandler: cas.requireLogin }, (request, reply) =>
  reply.type(HTML).send(billingPay(urls, cas.user(request)!)),
);
// Paying asks for the password again: `renew` in the login URL and in the validation, so that only a
// ticket from a password typed just now is accepted, whatever sessions the browser already has.
app.get('/pay/confirmed', { preHandler: cas.requireLogin({ renew: true }) }, (request, reply) =>
  reply.type(HTML).send(billingPaid(urls, cas.user(request)!)),
);
app.get('/signed-out', (_request, reply) => reply.type(HTML).send(billingSignedOut(urls)));

await app.listen(listenAddress(urls.billing));
console.log(`billing listening on ${urls.billing}/`);
stopOnSignal(() => app.close());
