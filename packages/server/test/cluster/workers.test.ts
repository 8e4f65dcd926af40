import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestBrowser } from '../helpers/browser.ts';
import { freePort } from '../helpers/test-server.ts';
import { signIn, ssoTicket, validate } from './sso-client.ts';
import { type NodeSettings, runUsher, type UsherProcess, usherFailure } from './usher-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-workers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function sqliteSettings(server: Record<string, unknown> = {}): Promise<NodeSettings> {
  return {
    server: { host: '127.0.0.1', port: await freePort(), ...server },
    storage: { kind: 'sqlite', path: join(dir, `${randomUUID()}.db`) },
    demo: { enabled: true },
    logging: { level: 'info' },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const workerPids = (p: UsherProcess) =>
  p.logs().flatMap((line) => (line.msg === 'worker listening' ? [line.pid as number] : []));

describe('usher serve with 2 workers on SQLite (server.workers)', () => {
  let primary: UsherProcess;
  let service: string;
  let password: string;
  const browser = new TestBrowser();

  before(async () => {
    primary = await runUsher(dir, await sqliteSettings({ workers: 2 }));
    service = `${primary.url}/demo/`;
  });
  after(() => primary.stop());

  it('bootstraps once, in the primary: one banner, one demo user, two workers', async () => {
    const output = primary.output();
    assert.equal(output.match(/listening on .* \(2 workers\)/g)?.length, 1, output);
    const created = [...output.matchAll(/demo user created: demo \/ (\S+)/g)];
    assert.equal(created.length, 1, output);
    password = created[0]![1]!;
    await primary.waitForLog(() => workerPids(primary).length === 2);
    assert.equal(new Set(workerPids(primary)).size, 2);
  });

  it('spreads requests over both workers, which share SSO sessions and tickets', async () => {
    await signIn(browser, primary.url, service, { username: 'demo', password });
    for (let i = 0; i < 20; i++) {
      const ticket = await ssoTicket(browser, primary.url, service);
      assert.ok(ticket, `SSO ticket ${i}`);
      const { body } = await validate(primary.url, ticket, service);
      assert.match(body, /<cas:user>demo<\/cas:user>/);
    }
    const byTicket = (msg: string) =>
      new Map(primary.logs().flatMap((l) => (l.msg === msg ? [[l.ticket as string, l.worker]] : [])));
    const issued = byTicket('service ticket issued');
    const validated = byTicket('ticket validated');
    assert.deepEqual([...new Set(validated.values())].sort(), [1, 2], 'both workers answered');
    const crossed = [...validated].filter(([ticket, worker]) => issued.get(ticket) !== worker);
    assert.ok(crossed.length > 0, 'a ticket issued by one worker was validated by the other');
  });

  it('restarts a worker killed with SIGKILL, and the SSO session lives on', async () => {
    const [victim, survivor] = workerPids(primary);
    process.kill(victim!, 'SIGKILL');
    const died = await primary.waitForLog((l) => l.msg === 'worker died; restarting it');
    assert.equal(died.level, 40);
    assert.equal(died.signal, 'SIGKILL');
    assert.equal(died.pid, victim);
    assert.equal(died.restartInMs, 1000);
    await primary.waitForLog(() => workerPids(primary).length === 3);
    // The replacement dies at once too: the slot keeps crashing, so the delay doubles.
    process.kill(workerPids(primary)[2]!, 'SIGKILL');
    const again = await primary.waitForLog((l) => l.msg === 'worker died; restarting it' && l.pid !== victim);
    assert.equal(again.restartInMs, 2000);
    await primary.waitForLog(() => workerPids(primary).length === 4);
    const replacement = workerPids(primary)[3]!;
    assert.ok(isAlive(replacement) && isAlive(survivor!) && !isAlive(victim!));
    for (let i = 0; i < 6; i++) {
      const ticket = await ssoTicket(new TestBrowser(), primary.url, service);
      assert.equal(ticket, undefined, 'no session without the cookie');
      const mine = await ssoTicket(browser, primary.url, service);
      assert.ok(mine);
      assert.match((await validate(primary.url, mine, service)).body, /authenticationSuccess/);
    }
  });

  it('closes every worker on SIGTERM and exits 0', async () => {
    const pids = workerPids(primary).filter(isAlive);
    assert.equal(pids.length, 2);
    primary.child.kill('SIGTERM');
    assert.deepEqual(await primary.exited, { code: 0, signal: null });
    assert.deepEqual(pids.filter(isAlive), []);
    assert.equal(primary.logs().filter((l) => l.msg === 'shutting down').length, 3);
  });
});

describe('usher serve --workers refuses what cannot work', () => {
  it('in-process storage', async () => {
    const settings = { ...(await sqliteSettings()), storage: { kind: 'memory' } };
    const { code, output } = await usherFailure(dir, settings, ['--workers', '2']);
    assert.equal(code, 2);
    assert.match(output, /2 workers cannot share in-process memory storage/);
  });

  it('a count below 1', async () => {
    const { code, output } = await usherFailure(dir, await sqliteSettings(), ['--workers', '0']);
    assert.notEqual(code, 0);
    assert.match(output, /--workers.*at least 1/);
  });

  it('a port already taken: the workers fail to listen and the primary exits with their code', async () => {
    const squatter = createServer();
    const settings = await sqliteSettings();
    await new Promise<void>((resolve) => squatter.listen(settings.server.port, '127.0.0.1', resolve));
    try {
      const { code, output } = await usherFailure(dir, settings, ['--workers', '2']);
      assert.equal(code, 1);
      assert.match(output, /EADDRINUSE/);
      assert.match(output, /exited \(1\) before listening/);
      assert.doesNotMatch(output, /listening on/);
    } finally {
      squatter.close();
    }
  });
});
