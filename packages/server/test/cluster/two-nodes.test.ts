import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStorage } from '../../src/storage/create-storage.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { LogoutReceiver } from '../helpers/logout-receiver.ts';
import { eventually } from '../storage/server-under-test.ts';
import { seedUsers, sharedBackends } from './shared-backends.ts';
import { shareCookies, signIn, ssoTicket, validate } from './sso-client.ts';
import { runPair, type UsherProcess } from './usher-process.ts';

const APP = 'http://127.0.0.2:3000/app/';
const PASSWORD = 'two nodes password';
const dir = mkdtempSync(join(tmpdir(), 'usher-two-nodes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const backend of sharedBackends) {
  if (!(await backend.available())) continue;

  describe(`two nodes sharing ${backend.name}`, () => {
    let a: UsherProcess;
    let b: UsherProcess;
    let receiver: LogoutReceiver;

    before(async () => {
      await seedUsers(backend.storage(), ['ann', 'ben'], PASSWORD);
      receiver = await LogoutReceiver.on('127.0.0.3');
      await receiver.start();
      [a, b] = await runPair(dir, backend.storage(), {
        logging: { level: 'info' },
        services: {
          registry: [
            { name: 'App', match: 'prefix', pattern: APP, singleLogout: false },
            { name: 'Receiver', match: 'prefix', pattern: `${receiver.origin}/` },
          ],
        },
        // Retries come soon and both nodes look for them often, so both work the outbox.
        singleLogout: { pollIntervalMs: 100, retry: { initialDelayMs: 200 } },
      });
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop(), receiver?.stop()]);
      await backend.cleanup();
    });

    it('a ticket issued on A validates on B, and only once', async () => {
      const ticket = await signIn(new TestBrowser(), a.url, APP, { username: 'ann', password: PASSWORD });
      const onB = await validate(b.url, ticket, APP);
      assert.match(onB.body, /<cas:user>ann<\/cas:user>/);
      const again = await validate(a.url, ticket, APP);
      assert.match(again.body, /code="INVALID_TICKET"/);
    });

    it('A and B race to validate the same tickets: each ticket succeeds exactly once', async () => {
      const browser = new TestBrowser();
      await signIn(browser, a.url, APP, { username: 'ann', password: PASSWORD });
      const tickets = await Promise.all(Array.from({ length: 20 }, () => ssoTicket(browser, a.url, APP)));
      const answers = await Promise.all(
        tickets.flatMap((ticket) => [validate(a.url, ticket!, APP), validate(b.url, ticket!, APP)]),
      );
      const successes = answers.filter((r) => r.body.includes('authenticationSuccess')).length;
      assert.equal(successes, tickets.length);
    });

    it('an SSO session started on A is honoured by B', async () => {
      const browser = new TestBrowser();
      await signIn(browser, a.url, APP, { username: 'ben', password: PASSWORD });
      assert.equal(await ssoTicket(browser, b.url, APP), undefined, 'B has not seen the cookie yet');
      shareCookies(browser, a.url, b.url);
      const ticket = await ssoTicket(browser, b.url, APP);
      assert.ok(ticket);
      assert.match((await validate(a.url, ticket, APP)).body, /<cas:user>ben<\/cas:user>/);
    });

    it('logout on B ends the SSO session on A and revokes its tickets', async () => {
      const browser = new TestBrowser();
      await signIn(browser, a.url, APP, { username: 'ann', password: PASSWORD });
      const unused = await ssoTicket(browser, a.url, APP);
      assert.ok(unused);
      shareCookies(browser, a.url, b.url);
      const bye = await browser.get(`${b.url}/logout`);
      assert.equal(bye.status, 200);
      assert.equal(await ssoTicket(browser, a.url, APP), undefined, 'no SSO on A any more');
      assert.match((await validate(a.url, unused, APP)).body, /code="INVALID_TICKET"/);
      await b.waitForLog((l) => l.msg === 'logout' && l.user === 'ann');
    });

    // Last: it stops both nodes, so that no delivery can still be on its way when counting.
    it('single logout: every logoutRequest is delivered once, though both nodes work the outbox', async () => {
      const service = `${receiver.origin}/app`;
      const firstTries = new Set<string>();
      const accepted = new Map<string, number>();
      receiver.respond = (response) => {
        const index = receiver.logoutRequests().at(-1)!.sessionIndex;
        // Every first attempt fails, so each message goes back to the outbox for either node to retry.
        if (!firstTries.has(index)) {
          firstTries.add(index);
          response.writeHead(503).end();
          return;
        }
        accepted.set(index, (accepted.get(index) ?? 0) + 1);
        response.writeHead(200).end();
      };
      const issued: string[] = [];
      const browsers = Array.from({ length: 8 }, () => new TestBrowser());
      for (const browser of browsers) {
        const onA = await signIn(browser, a.url, service, { username: 'ben', password: PASSWORD });
        shareCookies(browser, a.url, b.url);
        const onB = await ssoTicket(browser, b.url, service);
        assert.ok(onB);
        assert.match((await validate(b.url, onA, service)).body, /authenticationSuccess/);
        assert.match((await validate(a.url, onB, service)).body, /authenticationSuccess/);
        issued.push(onA, onB);
      }
      for (const [i, browser] of browsers.entries()) {
        assert.equal((await browser.get(`${(i % 2 ? a : b).url}/logout`)).status, 200);
      }
      await eventually(async () => assert.equal(accepted.size, issued.length), 30_000);
      await Promise.all([a.stop(), b.stop()]);

      assert.deepEqual([...accepted.keys()].sort(), [...issued].sort());
      assert.deepEqual(new Set(accepted.values()), new Set([1]), 'no logoutRequest accepted twice');
      const delivered = (p: UsherProcess) =>
        p.logs().filter((l) => l.msg === 'logout request delivered').length;
      assert.equal(delivered(a) + delivered(b), issued.length);
      const store = await createStorage(backend.storage(), { clock: Date.now });
      try {
        const messages = await store.outbox.list();
        assert.equal(messages.length, issued.length);
        assert.ok(messages.every((m) => m.status === 'delivered' && m.attempts === 2));
      } finally {
        await store.close();
      }
    });
  });
}
