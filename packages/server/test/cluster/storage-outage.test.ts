import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestBrowser } from '../helpers/browser.ts';
import { freePort } from '../helpers/test-server.ts';
import { eventually } from '../storage/server-under-test.ts';
import { closedPort, TcpProxy } from '../storage/tcp-proxy.ts';
import { seedUsers, sharedBackends } from './shared-backends.ts';
import { signIn, ssoTicket, validate } from './sso-client.ts';
import { runUsher, usherFailure } from './usher-process.ts';

const APP = 'http://127.0.0.2:3000/app/';
const PASSWORD = 'outage test password';
const dir = mkdtempSync(join(tmpdir(), 'usher-outage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const settings = async (storage: object) => ({
  server: { host: '127.0.0.1', port: await freePort() },
  storage,
  logging: { level: 'info' },
  services: { registry: [{ name: 'App', match: 'prefix', pattern: APP }] },
});

for (const backend of sharedBackends) {
  describe(`${backend.name} unreachable`, () => {
    for (const workers of ['1', '2']) {
      it(`at start: usher serve --workers ${workers} exits 3 with a clear message`, async () => {
        const { code, output } = await usherFailure(
          dir,
          await settings(backend.storage(await closedPort())),
          ['--workers', workers],
        );
        assert.equal(code, 3, output);
        assert.match(output, /usher: storage unavailable: /);
        assert.doesNotMatch(output, /listening on/);
      });
    }
  });

  if (!(await backend.available())) continue;
  after(() => backend.cleanup());

  describe(`${backend.name} outage while serving`, () => {
    it('answers 503 with a clear page and a log line, keeps running, and recovers', async () => {
      await seedUsers(backend.storage(), ['olive'], PASSWORD);
      const proxy = await TcpProxy.start(backend.target);
      const node = await runUsher(dir, await settings(backend.storage(proxy.port)));
      try {
        const browser = new TestBrowser();
        const first = await signIn(browser, node.url, APP, { username: 'olive', password: PASSWORD });
        assert.match((await validate(node.url, first, APP)).body, /authenticationSuccess/);
        const pending = await ssoTicket(browser, node.url, APP);
        assert.ok(pending);

        await proxy.down();
        const page = await browser.get(`${node.url}/login?service=${encodeURIComponent(APP)}`);
        assert.equal(page.status, 503);
        assert.match(page.text, /Temporarily unavailable/);
        assert.match(page.text, /Sign-in is temporarily unavailable/);
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
        const refused = await validate(node.url, pending, APP);
        assert.equal(refused.status, 503);
        assert.match(refused.body, /code="INTERNAL_ERROR"/);
        assert.doesNotMatch(refused.body, new RegExp(pending), 'the live ticket is not echoed');
        await node.waitForLog((l) => l.msg === 'storage unavailable' && l.url === '/login');
        assert.equal(node.child.exitCode, null, 'still running');

        await proxy.up();
        const back = await eventually(async () => {
          const ticket = await ssoTicket(browser, node.url, APP);
          assert.ok(ticket, 'the SSO session outlived the outage');
          return ticket;
        }, 20_000);
        assert.match((await validate(node.url, back, APP)).body, /authenticationSuccess/);
        const late = await validate(node.url, pending, APP);
        assert.match(
          late.body,
          /authenticationSuccess/,
          'a validation that failed on the outage burnt nothing',
        );
        const logged = node.output();
        assert.doesNotMatch(
          logged,
          new RegExp(`${pending}|${PASSWORD}`),
          'no live ticket or password in logs',
        );
      } finally {
        await node.stop();
        await proxy.down();
      }
    });
  });
}
