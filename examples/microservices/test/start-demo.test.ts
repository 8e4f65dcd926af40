import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEMO_USER } from '../demo-user.ts';
import { startDemo } from './support/running-demo.ts';

test('npm run demo starts auth, shop and billing, prints their URLs and the demo user', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.scripts.demo, 'tsx examples/microservices/start-demo.ts');

  const demo = await startDemo();
  try {
    const printed = demo.output.join('\n');
    for (const url of Object.values(demo.urls)) assert.ok(printed.includes(`${url}/`), url);
    assert.ok(printed.includes(`sign in as ${DEMO_USER.username} / ${DEMO_USER.password}`));
    assert.match(printed, /Fastify, back-channel logout/);

    const login = await fetch(`${demo.urls.auth}/login`);
    assert.equal(login.status, 200);
    const shop = await fetch(`${demo.urls.shop}/account`, { redirect: 'manual' });
    assert.ok(shop.headers.get('location')?.startsWith(`${demo.urls.auth}/login?service=`));
    const billing = await fetch(`${demo.urls.billing}/`, { redirect: 'manual' });
    assert.ok(billing.headers.get('location')?.startsWith(`${demo.urls.auth}/login?service=`));
  } finally {
    await demo.stop();
  }
});

test('Ctrl-C stops all three processes', async () => {
  const demo = await startDemo();
  await demo.stop();
  assert.equal(demo.child.exitCode, 0);
  for (const url of Object.values(demo.urls)) {
    await assert.rejects(fetch(`${url}/`), (error: Error & { cause?: { code?: string } }) => {
      assert.equal(error.cause?.code, 'ECONNREFUSED', url);
      return true;
    });
  }
});
