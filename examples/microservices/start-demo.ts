// `npm run demo`: Usher (auth) and two services, shop (Express) and billing (Fastify), each in its own
// process on its own loopback host: one login for both services, one logout for both. Ctrl-C stops all.
//   npm run demo -- --auth-port 8080 --shop-port 3000 --billing-port 3000 --billing-logout front-channel
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { logoutModeOf } from './auth-config.ts';
import { type DemoProcessName, startDemoProcess } from './demo-process.ts';
import { DEFAULT_PORTS, demoUrlsFor } from './demo-urls.ts';
import { DEMO_USER } from './demo-user.ts';

const { values } = parseArgs({
  options: {
    'auth-port': { type: 'string' },
    'shop-port': { type: 'string' },
    'billing-port': { type: 'string' },
    'billing-logout': { type: 'string', default: process.env['BILLING_LOGOUT'] ?? 'back-channel' },
  },
});
const billingLogout = logoutModeOf(values['billing-logout']);
const urls = demoUrlsFor({
  auth: portOption('auth-port', values['auth-port'], DEFAULT_PORTS.auth),
  shop: portOption('shop-port', values['shop-port'], DEFAULT_PORTS.shop),
  billing: portOption('billing-port', values['billing-port'], DEFAULT_PORTS.billing),
});
const env = {
  ...process.env,
  AUTH_URL: urls.auth,
  SHOP_URL: urls.shop,
  BILLING_URL: urls.billing,
  BILLING_LOGOUT: billingLogout,
};

const names: DemoProcessName[] = ['auth', 'shop', 'billing'];
const processes = names.map((name) => startDemoProcess(name, env));
const children = processes.map((p) => p.child);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopDemo(0));

const started = await Promise.allSettled(processes.map((p) => p.listening));
const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
if (failures.length > 0) {
  console.error(`demo not started: ${failures.join('; ')}`);
  await stopDemo(1);
}

console.log(`
Usher microservices demo: one login for both services, one logout for both.
  auth      ${urls.auth}/   Usher, the CAS server
  shop      ${urls.shop}/   Express
  billing   ${urls.billing}/   Fastify, ${billingLogout} logout
  sign in as ${DEMO_USER.username} / ${DEMO_USER.password}
Open ${urls.shop}/ in a browser. Ctrl-C stops all three.
`);
for (const child of children) {
  child.once('exit', (code) => {
    if (stopping) return;
    console.error(`${names[children.indexOf(child)]} stopped (exit ${code}): stopping the demo`);
    stopDemo(1);
  });
}

/** Stops every process still running, waits for them, then exits with `code`. */
async function stopDemo(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => {
        child.kill('SIGTERM');
        return once(child, 'exit');
      }),
  );
  process.exit(code);
}

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--${name}: not a port: ${value}`);
  return port;
}
