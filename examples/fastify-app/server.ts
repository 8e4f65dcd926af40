// A minimal Fastify app behind Usher (or any CAS server): `npx tsx examples/fastify-app/server.ts`.
// Register http://127.0.0.3:3000/ as a service at the CAS server first.
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import { CasClient } from '@usher/client';
import { casFastify } from '@usher/client/fastify';
import Fastify from 'fastify';

const host = process.env['HOST'] ?? '127.0.0.3';
const port = Number(process.env['PORT'] ?? 3000);
const casServerUrl = process.env['CAS_SERVER_URL'] ?? 'http://127.0.0.1:8080';

const cas = casFastify(
  new CasClient({ serverUrl: casServerUrl, serviceUrl: `http://${host}:${port}/cas/callback` }),
);
const app = Fastify();
await app.register(fastifyCookie);
// The default in-memory store is for trying things out; use a shared store in production.
const secret = process.env['SESSION_SECRET'] ?? randomBytes(32).toString('hex');
await app.register(fastifySession, {
  secret,
  saveUninitialized: false,
  cookie: { secure: 'auto', sameSite: 'lax' },
});
await app.register(cas.plugin);

app.get('/', { preHandler: cas.optionalLogin }, async (request, reply) => {
  const user = cas.user(request);
  return reply
    .type('text/html')
    .send(
      user
        ? `<p>Hello ${escapeHtml(user.user)}. <a href="/profile">Profile</a> · <a href="/cas/logout">Log out</a></p>`
        : '<p>Anonymous. <a href="/cas/login?next=/profile">Log in</a></p>',
    );
});
app.get('/profile', { preHandler: cas.requireLogin }, async (request) => cas.user(request));

await app.listen({ host, port });
console.log(`Fastify example listening on http://${host}:${port}/ (CAS ${casServerUrl})`);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
