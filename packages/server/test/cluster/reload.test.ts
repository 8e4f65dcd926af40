import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../helpers/test-server.ts';
import { type LogLine, MAIN, type NodeSettings, runUsher, type UsherProcess } from './usher-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SHOP = 'http://127.0.0.2:3000/shop/';
const BILLING = 'http://127.0.0.3:3000/billing/';
const service = (name: string, pattern: string) => ({ name, match: 'prefix', pattern });

async function settings(server: Record<string, unknown> = {}): Promise<NodeSettings> {
  return {
    server: { host: '127.0.0.1', port: await freePort(), ...server },
    storage: { kind: 'sqlite', path: join(dir, `${randomUUID()}.db`) },
    logging: { level: 'info' },
    services: { registry: [service('Shop', SHOP)] },
  };
}

/** The same settings with Billing registered beside Shop. */
const withBilling = (initial: NodeSettings) => ({
  ...initial,
  services: { registry: [service('Shop', SHOP), service('Billing', BILLING)] },
});

/** The login page's status for `target`: 200 (the form) for a registered service, 403 otherwise. */
async function loginStatus(p: UsherProcess, target: string): Promise<number> {
  const response = await fetch(`${p.url}/login?service=${encodeURIComponent(target)}`, {
    headers: { connection: 'close' },
  });
  await response.body?.cancel();
  return response.status;
}

/**
 * Replaces the configuration file the way editors and deployment tools do, by renaming a complete new file
 * over it: the server may be reading it at that moment, and an in-place write could hand it half a file.
 */
function replaceConfig(file: string, next: object): void {
  writeFileSync(`${file}.new`, JSON.stringify(next));
  renameSync(`${file}.new`, file);
}

/** Rewrites the configuration file, sends SIGHUP, and waits for the `count`-th log line `msg`. */
async function rewriteAndHangUp(p: UsherProcess, next: object, msg: string, count = 1): Promise<LogLine[]> {
  replaceConfig(p.configFile, next);
  return hangUp(p, msg, count);
}

/** Sends SIGHUP and waits for `count` new log lines `msg`; resolves with them. */
async function hangUp(p: UsherProcess, msg: string, count = 1): Promise<LogLine[]> {
  const before = p.logs().filter((line) => line.msg === msg).length;
  p.child.kill('SIGHUP');
  await p.waitForLog(() => p.logs().filter((line) => line.msg === msg).length >= before + count);
  return p
    .logs()
    .filter((line) => line.msg === msg)
    .slice(before);
}

/** Whether `pid` has a listener for SIGHUP: bit 0 of the caught-signals mask in /proc (Linux). */
function catchesHangup(pid: number): boolean {
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return mask !== undefined && (BigInt(`0x${mask}`) & 1n) === 1n;
}

/** The processes `pid` has forked (cluster workers), from /proc (Linux). */
function childrenOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean),
  );
}

describe('SIGHUP reloads the services without a restart', () => {
  it('one process: a service added to the file is served, an invalid file changes nothing', async () => {
    const initial = await settings();
    const p = await runUsher(dir, initial);
    try {
      assert.equal(await loginStatus(p, BILLING), 403);
      assert.match(p.output(), new RegExp(`process: ${p.pid} \\(kill -HUP ${p.pid} reloads the services`));
      const added = withBilling(initial);
      const [reloaded] = await rewriteAndHangUp(p, added, 'services reloaded');
      assert.deepEqual(reloaded?.services, ['Shop', 'Billing']);
      assert.equal(await loginStatus(p, BILLING), 200);
      assert.equal(await loginStatus(p, SHOP), 200);

      const invalid = {
        ...initial,
        services: { registry: [service('Billing', BILLING), { name: 'Bad', match: 'regex', pattern: '(' }] },
      };
      const [refused] = await rewriteAndHangUp(
        p,
        invalid,
        'services not reloaded: invalid configuration, the running services stay',
      );
      assert.match(String(refused?.problems), /services\.registry\[1\]\.pattern/);
      assert.equal(await loginStatus(p, SHOP), 200, 'the running services stay');

      const removed = {
        ...added,
        services: { registry: [service('Billing', BILLING)] },
        ui: { title: 'Other' },
      };
      await rewriteAndHangUp(p, removed, 'services reloaded');
      assert.equal(await loginStatus(p, SHOP), 403, 'a service taken out of the file is refused');
      await p.waitForLog(
        (line) => line.msg === 'settings other than the services changed; they apply at the next restart',
      );
      assert.equal(p.child.exitCode, null, 'still running');
    } finally {
      await p.stop();
    }
  });

  it('usher service add and disable change the file a running server reloads on SIGHUP', async () => {
    const p = await runUsher(dir, await settings());
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--config', p.configFile, 'service', ...args], {
        encoding: 'utf8',
        env: { ...process.env, USHER_CONFIG: '' },
      });
    try {
      assert.equal(cli('add', 'Billing', BILLING).status, 0);
      assert.equal(await loginStatus(p, BILLING), 403, 'not before SIGHUP');
      await hangUp(p, 'services reloaded');
      assert.equal(await loginStatus(p, BILLING), 200);
      assert.equal(cli('disable', 'Shop').status, 0);
      await hangUp(p, 'services reloaded');
      assert.equal(await loginStatus(p, SHOP), 403);
      assert.equal(await loginStatus(p, BILLING), 200);
    } finally {
      await p.stop();
    }
  });

  it('two workers: the primary passes SIGHUP on and each worker reloads', async () => {
    const initial = await settings({ workers: 2 });
    const p = await runUsher(dir, initial);
    try {
      await p.waitForLog((line) => line.msg === 'workers listening');
      const added = withBilling(initial);
      const reloads = await rewriteAndHangUp(p, added, 'services reloaded', 2);
      assert.equal(new Set(reloads.map((line) => line.worker)).size, 2, 'one reload per worker');
      // New connections are spread over the workers: every one answers with the new services.
      for (let i = 0; i < 6; i++) assert.equal(await loginStatus(p, BILLING), 200);
    } finally {
      await p.stop();
    }
  });

  it('a SIGHUP while the server is still starting is held, then applied: it does not end the process', async () => {
    const initial = await settings({ workers: 2 });
    const added = withBilling(initial);
    let hungUpBeforeWorkers: boolean | undefined;
    const p = await runUsher(dir, initial, [], (child, configFile) => {
      const poll = setInterval(() => {
        if (child.exitCode !== null || child.signalCode !== null) return clearInterval(poll);
        if (!catchesHangup(child.pid!)) return;
        clearInterval(poll);
        // Still starting: the workers that would answer the reload are not even forked yet.
        hungUpBeforeWorkers = childrenOf(child.pid!).length === 0;
        replaceConfig(configFile, added);
        child.kill('SIGHUP');
      }, 2);
    });
    try {
      assert.equal(hungUpBeforeWorkers, true, 'the SIGHUP was sent before any worker was forked');
      await p.waitForLog((line) => line.msg === 'reloading the services in every worker');
      await p.waitForLog(() => p.logs().filter((line) => line.msg === 'services reloaded').length >= 2);
      assert.equal(p.child.exitCode, null, 'still running');
      assert.equal(await loginStatus(p, BILLING), 200, 'the file rewritten during start-up applies');
    } finally {
      await p.stop();
    }
  });

  it('two workers: a worker still starting gets the SIGHUP once it listens, instead of dying of it', async () => {
    const initial = await settings({ workers: 2 });
    const p = await runUsher(dir, initial);
    try {
      await p.waitForLog((line) => line.msg === 'workers listening');
      const [victim, survivor] = childrenOf(p.pid);
      process.kill(Number(victim), 'SIGKILL');
      await p.waitForLog((line) => line.msg === 'worker died; restarting it');
      const replacement = await new Promise<string>((resolve) => {
        const poll = setInterval(() => {
          const fresh = childrenOf(p.pid).find((pid) => pid !== survivor);
          if (!fresh) return;
          clearInterval(poll);
          resolve(fresh);
        }, 2);
      });
      assert.equal(
        p.logs().some((line) => line.msg === 'worker listening' && String(line.pid) === replacement),
        false,
        'the SIGHUP is sent while the replacement is still starting',
      );
      const added = withBilling(initial);
      const reloads = await rewriteAndHangUp(p, added, 'services reloaded', 2);
      assert.equal(new Set(reloads.map((line) => line.worker)).size, 2, 'both workers reloaded');
      assert.equal(p.logs().filter((line) => line.msg === 'worker died; restarting it').length, 1);
      for (let i = 0; i < 6; i++) assert.equal(await loginStatus(p, BILLING), 200);
    } finally {
      await p.stop();
    }
  });
});
