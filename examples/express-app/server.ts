// A minimal Express app behind Usher (or any CAS server): `npx tsx examples/express-app/server.ts`.
// Register http://127.0.0.2:3000/ as a service at the CAS server first.
import { randomBytes } from 'node:crypto';
import { CasClient } from '@usher/client';
import { casExpress } from '@usher/client/express';
import express from 'express';
import session from 'express-session';

const host = process.env['HOST'] ?? '127.0.0.2';
const port = Number(process.env['PORT'] ?? 3000);
const casServerUrl = process.env['CAS_SERVER_URL'] ?? 'http://127.0.0.1:8080';

const cas = casExpress(
  new CasClient({ serverUrl: casServerUrl, serviceUrl: `http://${host}:${port}/cas/callback` }),
);
const app = express();
// The default MemoryStore is for trying things out; use a shared store (connect-redis...) in production.
const secret = process.env['SESSION_SECRET'] ?? randomBytes(32).toString('hex');
app.use(
  session({ secret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }),
);
app.use(cas.router);

app.get('/', cas.optionalLogin, (req, res) => {
  const user = cas.user(req);
  res
    .type('html')
    .send(
      user
        ? `<p>Hello ${escapeHtml(user.user)}. <a href="/profile">Profile</a> · <a href="/cas/logout">Log out</a></p>`
        : '<p>Anonymous. <a href="/cas/login?next=/profile">Log in</a></p>',
    );
});
app.get('/profile', cas.requireLogin, (req, res) => {
  res.json(cas.user(req));
});

app.listen(port, host, () =>
  console.log(`Express example listening on http://${host}:${port}/ (CAS ${casServerUrl})`),
);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
