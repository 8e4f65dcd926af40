// A minimal Hono app behind Usher (or any CAS server): `npx tsx examples/hono-app/server.ts`.
// Register http://127.0.0.4:3000/ as a service at the CAS server first.
import { serve } from '@hono/node-server';
import { CasClient } from '@usher/client';
import { casHono } from '@usher/client/hono';
import { Hono } from 'hono';
import { html } from 'hono/html';

const host = process.env['HOST'] ?? '127.0.0.4';
const port = Number(process.env['PORT'] ?? 3000);
const casServerUrl = process.env['CAS_SERVER_URL'] ?? 'http://127.0.0.1:8080';

// Sessions live in memory by default; pass `session: { store: new RedisCasStore(redis) }` for several processes.
const cas = casHono(
  new CasClient({ serverUrl: casServerUrl, serviceUrl: `http://${host}:${port}/cas/callback` }),
);
const app = new Hono();
app.route('/', cas.routes);

app.get('/', cas.optionalLogin, (c) => {
  const user = cas.user(c);
  return c.html(
    user
      ? html`<p>Hello ${user.user}. <a href="/profile">Profile</a> · <a href="/cas/logout">Log out</a></p>`
      : html`<p>Anonymous. <a href="/cas/login?next=/profile">Log in</a></p>`,
  );
});
app.get('/profile', cas.requireLogin, (c) => c.json(cas.user(c)));

serve({ fetch: app.fetch, hostname: host, port }, () =>
  console.log(`Hono example listening on http://${host}:${port}/ (CAS ${casServerUrl})`),
);
