// Refreshes the README's screenshots in docs/images/microservices/: runs the browser tests with the demo
// on its default ports (so the pages show the README's URLs), then copies the steps the README shows.
//   npx tsx examples/microservices/screenshots.ts
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHOTS_DIR } from './test/support/tour.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMAGES_DIR = join(ROOT, 'docs/images/microservices');

/** Test screenshot → README image. */
const README_IMAGES: Record<string, string> = {
  'gateway-anonymous/01-shop-anonymous.png': '1-shop-anonymous.png',
  'single-sign-on/01-usher-login-for-shop.png': '2-usher-login.png',
  'single-sign-on/02-shop-account.png': '3-shop-account.png',
  'single-sign-on/03-billing-without-password.png': '4-billing-without-password.png',
  'single-sign-on/04-signed-out-at-billing.png': '5-signed-out-at-billing.png',
  'renew/01-pay.png': '6-billing-pay.png',
  'front-channel/01-usher-signed-out.png': '7-usher-signed-out-front-channel.png',
};

// One test file at a time: each starts the demo, and default ports cannot be shared.
for (const file of ['single-sign-on.test.ts', 'front-channel.test.ts']) {
  const run = spawnSync(process.execPath, ['scripts/run-tests.mjs', `examples/microservices/test/${file}`], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, MICROSERVICES_DEMO_DEFAULT_PORTS: '1' },
  });
  if (run.status !== 0) throw new Error(`${file} failed: no screenshots copied`);
}
mkdirSync(IMAGES_DIR, { recursive: true });
for (const [shot, image] of Object.entries(README_IMAGES)) {
  copyFileSync(join(SHOTS_DIR, shot), join(IMAGES_DIR, image));
  console.log(`docs/images/microservices/${image}`);
}
