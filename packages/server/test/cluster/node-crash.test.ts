import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestBrowser } from '../helpers/browser.ts';
import { seedUsers, sharedBackends } from './shared-backends.ts';
import { shareCookies, signIn, ssoTicket, validate } from './sso-client.ts';
import { runPair } from './usher-process.ts';

const APP = 'http://127.0.0.2:3000/app/';
const PASSWORD = 'crash test password';
/** Node A is killed once this many sign-ins have been answered, with requests still in flight. */
const KILL_AFTER = 20;
const LOOPS = 3;
const dir = mkdtempSync(join(tmpdir(), 'usher-node-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Acknowledged {
  browser: TestBrowser;
  /** Tickets A answered with and nobody validated. */
  tickets: string[];
}

for (const backend of sharedBackends) {
  if (!(await backend.available())) continue;

  describe(`kill -9 of a node sharing ${backend.name}`, () => {
    after(() => backend.cleanup());

    it('loses no SSO session or ticket the killed node had answered for', async () => {
      await seedUsers(backend.storage(), ['kim'], PASSWORD);
      const [a, b] = await runPair(dir, backend.storage(), {
        logging: { level: 'warn' },
        throttle: { maxAttemptsPerUser: 100_000, maxAttemptsPerAddress: 100_000 },
        services: { registry: [{ name: 'App', match: 'prefix', pattern: APP }] },
      });
      try {
        const acknowledged: Acknowledged[] = [];
        let validatedOnA = 0;
        const load = async () => {
          for (;;) {
            const browser = new TestBrowser();
            try {
              const first = await signIn(browser, a.url, APP, { username: 'kim', password: PASSWORD });
              const session: Acknowledged = { browser, tickets: [first] };
              acknowledged.push(session);
              if (acknowledged.length === KILL_AFTER) a.child.kill('SIGKILL');
              const used = await ssoTicket(browser, a.url, APP);
              if ((await validate(a.url, used!, APP)).body.includes('authenticationSuccess')) validatedOnA++;
              const kept = await ssoTicket(browser, a.url, APP);
              if (kept) session.tickets.push(kept);
            } catch {
              return; // A is gone: what it answered before is what must survive.
            }
          }
        };
        await Promise.all(Array.from({ length: LOOPS }, load));
        assert.deepEqual(await a.exited, { code: null, signal: 'SIGKILL' });
        assert.ok(acknowledged.length >= KILL_AFTER && validatedOnA > 0, 'A was under load');

        for (const [i, { browser, tickets }] of acknowledged.entries()) {
          for (const ticket of tickets) {
            assert.match(
              (await validate(b.url, ticket, APP)).body,
              /authenticationSuccess/,
              `ticket of session ${i}`,
            );
          }
          shareCookies(browser, a.url, b.url);
          assert.ok(await ssoTicket(browser, b.url, APP), `SSO session ${i} still works on B`);
        }
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
}
