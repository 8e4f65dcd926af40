// Auth: the Usher CAS server of the microservices demo. `npm run demo` starts it with shop and billing;
// alone: `npx tsx examples/microservices/auth.ts` (AUTH_URL, SHOP_URL, BILLING_URL, BILLING_LOGOUT).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUsherServer } from '@usher/server';
import { authConfig, logoutModeOf } from './auth-config.ts';
import { demoUrls } from './demo-urls.ts';
import { createDemoUser } from './demo-user.ts';
import { stopOnSignal } from './stop-on-signal.ts';

const urls = demoUrls();
// A fresh database each run, so the demo user can be created with its known password.
const dataDir = mkdtempSync(join(tmpdir(), 'usher-demo-'));
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = authConfig(urls, logoutModeOf(process.env['BILLING_LOGOUT']), join(dataDir, 'usher.db'));
const server = await createUsherServer({ config });
await createDemoUser(server.storage);
await server.listen();
stopOnSignal(() => server.close());
console.log(`auth listening on ${config.server.publicUrl}/`);
