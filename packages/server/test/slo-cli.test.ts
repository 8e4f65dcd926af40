import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createStorage } from '../src/storage/create-storage.ts';
import type { Clock } from '../src/storage/types.ts';
import { TestBrowser } from './helpers/browser.ts';
import { LogoutReceiver } from './helpers/logout-receiver.ts';
import { startTestServer, ticketFrom } from './helpers/test-server.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** Runs the CLI without blocking this process, whose receivers must keep answering meanwhile. */
async function usher(config: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', MAIN, '--config', config, ...args],
      { env: { ...process.env, USHER_CONFIG: '' }, timeout: 60_000 },
    );
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout, err: failed.stderr };
  }
}

describe('usher session revoke / slo status', () => {
  let receiver: LogoutReceiver;
  let down: LogoutReceiver;
  let config: string;
  const tickets: string[] = [];

  before(async () => {
    receiver = await LogoutReceiver.on('127.0.0.2');
    down = await LogoutReceiver.on('127.0.0.3');
    await receiver.start();
    const dir = mkdtempSync(join(tmpdir(), 'usher-slo-cli-'));
    const path = join(dir, 'usher.db');
    const registry = [
      { name: 'Up', match: 'prefix', pattern: `${receiver.origin}/` },
      { name: 'Down', match: 'prefix', pattern: `${down.origin}/` },
    ];
    config = join(dir, 'usher.yaml');
    writeFileSync(config, JSON.stringify({ storage: { kind: 'sqlite', path }, services: { registry } }));

    // Sessions made by a server on the same database, dated now since the CLI reads the system clock.
    const t = await startTestServer({
      settings: { services: { registry } },
      storage: (clock: Clock) => createStorage({ kind: 'sqlite', path }, { clock }),
      startAt: Date.now(),
    });
    try {
      for (const service of [`${receiver.origin}/app`, `${down.origin}/app`]) {
        tickets.push(ticketFrom((await t.login({ service, browser: new TestBrowser() })).location));
      }
      await t.storage.outbox.enqueue([
        {
          id: 'SLO-old',
          url: `${down.origin}/app`,
          body: 'logoutRequest=x',
          sessionIndex: 'ST-1-oldticketoldticketoldticket',
          service: 'Down',
          status: 'failed',
          attempts: 10,
          nextAttemptAt: 0,
          createdAt: Date.now(),
          lastError: 'HTTP 500',
        },
      ]);
    } finally {
      await t.close();
    }
  });
  after(() => receiver.stop());

  it('session revoke ends the sessions and sends single logout, leaving failures for the server', async () => {
    const result = await usher(config, ['session', 'revoke', 'alice']);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /2 session\(s\) of "alice" ended/);
    assert.match(result.out, /logout requests: 1 delivered, 1 left for the server to retry, 0 failed/);
    assert.deepEqual(
      receiver.logoutRequests().map((r) => r.sessionIndex),
      [tickets[0]],
    );
    assert.match(result.err, /logout request failed, will retry/);

    const again = await usher(config, ['session', 'revoke', 'alice']);
    assert.match(again.out, /^0 session\(s\) of "alice" ended\n$/);
    assert.equal(receiver.received.length, 1);
  });

  it('slo status lists pending and failed requests with masked tickets; --failed only the failed', async () => {
    const status = await usher(config, ['slo', 'status']);
    assert.equal(status.code, 0, status.err);
    const lines = status.out.trim().split('\n');
    assert.equal(lines[0], 'STATUS\tSERVICE\tATTEMPTS\tNEXT ATTEMPT\tTICKET\tURL\tLAST ERROR');
    assert.match(
      lines[1] ?? '',
      /^pending\tDown\t1\t\d{4}-\d\d-\d\dT[^\t]+\tST-…[A-Za-z0-9]{6}\thttp:\/\/127\.0\.0\.3:\d+\/app\tECONNREFUSED$/,
    );
    assert.match(lines[2] ?? '', /^failed\tDown\t10\t-\tST-…ticket\t.*\tHTTP 500$/);
    assert.equal(lines.length, 3);
    assert.ok(!status.out.includes(tickets[1]!), 'tickets are masked');

    const failed = await usher(config, ['slo', 'status', '--failed']);
    assert.deepEqual(failed.out.trim().split('\n').slice(1), [lines[2]]);
  });
});

/**
 * A logout receiver on `host` registered as Shop, the CLI's configuration file, and a server on the same
 * SQLite file whose clock starts at `startAt` (sessions it makes are read by the CLI's system clock).
 */
async function shopOn(host: string, startAt: number) {
  const receiver = await LogoutReceiver.on(host);
  await receiver.start();
  const dir = mkdtempSync(join(tmpdir(), 'usher-cli-shop-'));
  const path = join(dir, 'usher.db');
  const registry = [{ name: 'Shop', match: 'prefix', pattern: `${receiver.origin}/` }];
  const config = join(dir, 'usher.yaml');
  writeFileSync(config, JSON.stringify({ storage: { kind: 'sqlite', path }, services: { registry } }));
  const t = await startTestServer({
    settings: { services: { registry } },
    storage: (clock: Clock) => createStorage({ kind: 'sqlite', path }, { clock }),
    startAt,
  });
  return { receiver, config, t };
}

describe('usher tickets cleanup', () => {
  let receiver: LogoutReceiver;
  after(() => receiver.stop());

  it('ends expired SSO sessions with single logout to their services, not just deletes them', async () => {
    // Signed in three hours ago: past the 2-hour idle timeout, within the 8-hour maximum.
    const shop = await shopOn('127.0.0.4', Date.now() - 3 * 3600_000);
    receiver = shop.receiver;
    const { config, t } = shop;
    let ticket: string;
    try {
      ticket = ticketFrom(
        (await t.login({ service: `${receiver.origin}/app`, browser: new TestBrowser() })).location,
      );
    } finally {
      await t.close();
    }

    const result = await usher(config, ['tickets', 'cleanup']);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^1 expired SSO session\(s\) ended$/m);
    assert.match(result.out, /^logout requests: 1 delivered, 0 left for the server to retry, 0 failed$/m);
    assert.match(result.out, /^\d+ expired item\(s\) deleted$/m);
    assert.deepEqual(
      receiver.logoutRequests().map((r) => r.sessionIndex),
      [ticket],
    );

    const again = await usher(config, ['tickets', 'cleanup']);
    assert.match(again.out, /^0 expired SSO session\(s\) ended\n0 expired item\(s\) deleted\n$/);
    assert.equal(receiver.received.length, 1, 'each expiry is handled once');
  });
});

describe('usher user disable / enable / attr', () => {
  let receiver: LogoutReceiver;
  after(() => receiver.stop());

  it('disable refuses the user and ends their sessions with single logout; enable lets them in again', async () => {
    const shop = await shopOn('127.0.0.5', Date.now());
    receiver = shop.receiver;
    const { config, t } = shop;
    try {
      const service = `${receiver.origin}/app`;
      const browser = new TestBrowser();
      const ticket = ticketFrom((await t.login({ service, browser })).location);

      const disabled = await usher(config, ['user', 'disable', 'alice']);
      assert.equal(disabled.code, 0, disabled.err);
      assert.match(disabled.out, /^user "alice" disabled; 1 session\(s\) ended$/m);
      assert.match(disabled.out, /^logout requests: 1 delivered/m);
      assert.deepEqual(
        receiver.logoutRequests().map((r) => r.sessionIndex),
        [ticket],
      );
      const refused = await t.login({ service, browser: new TestBrowser() });
      assert.equal(refused.status, 401);
      assert.match(refused.text, /This account is disabled/);

      assert.equal((await usher(config, ['user', 'enable', 'alice'])).code, 0);
      assert.equal((await t.login({ service, browser: new TestBrowser() })).status, 302);

      const changed = await usher(config, [
        'user',
        'attr',
        'alice',
        '--attr',
        'mail=new@example.org',
        '--unset',
        'memberOf',
      ]);
      assert.equal(changed.code, 0, changed.err);
      const listed = (await usher(config, ['user', 'list'])).out;
      assert.match(listed, /^alice {2}.*mail=new@example\.org/m);
      assert.doesNotMatch(listed, /memberOf/);

      assert.equal((await usher(config, ['user', 'disable', 'nobody'])).code, 1);
      assert.equal((await usher(config, ['user', 'attr', 'alice'])).code, 2, 'nothing to change');
      assert.equal((await usher(config, ['user', 'attr', 'alice', '--unset', '@usher/totp-secret'])).code, 2);
    } finally {
      await t.close();
    }
  });
});
