import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/test-server.ts';
import {
  type LogLine,
  type NodeSettings,
  runUsher,
  type UsherProcess,
  usherFailure,
} from './usher-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-log-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function settings(logFile: string, server: Record<string, unknown> = {}): Promise<NodeSettings> {
  return {
    server: { host: '127.0.0.1', port: await freePort(), ...server },
    storage: { kind: 'sqlite', path: join(dir, `${randomUUID()}.db`) },
    logging: { level: 'info', file: logFile },
    services: { registry: [{ name: 'Shop', match: 'prefix', pattern: 'http://127.0.0.2:3000/shop/' }] },
  };
}

function linesOf(file: string): LogLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

/** Polls `file` until `count` lines say `msg`. */
async function waitForLines(file: string, msg: string, count = 1): Promise<LogLine[]> {
  for (let waited = 0; waited < 20_000; waited += 20) {
    const found = linesOf(file).filter((line) => line.msg === msg);
    if (found.length >= count) return found;
    await sleep(20);
  }
  throw new Error(`no ${count} "${msg}" lines in ${file}:\n${linesOf(file).map((l) => l.msg)}`);
}

async function withUsher(config: NodeSettings, test: (p: UsherProcess) => Promise<void>): Promise<void> {
  const p = await runUsher(dir, config);
  try {
    await test(p);
  } finally {
    await p.stop();
  }
}

describe('logging.file', () => {
  it('appends the log lines to the file, creating its folder, and keeps only the banner on stdout', async () => {
    const file = join(dir, randomUUID(), 'logs', 'usher.log');
    await withUsher(await settings(file), async (p) => {
      await waitForLines(file, 'listening');
      const response = await fetch(`${p.url}/serviceValidate?service=x`);
      await response.body?.cancel();
      const [refused] = await waitForLines(file, 'CAS request refused');
      assert.equal(refused!.level, 40, 'a failure is a warning');
      assert.deepEqual(p.logs(), [], 'no JSON line on stdout');
      assert.match(p.output(), /Usher CAS server listening/);
      assert.equal(statSync(file).mode & 0o777, 0o640);
    });
    const lines = linesOf(file).length;
    await withUsher(await settings(file), async () => {
      await waitForLines(file, 'listening', 2);
    });
    assert.ok(linesOf(file).length > lines, 'a restart appends instead of truncating');
  });

  it('SIGHUP reopens the file after rotation: the old lines stay in the renamed file, new ones go to a new one', async () => {
    const file = join(dir, `${randomUUID()}.log`);
    await withUsher(await settings(file), async (p) => {
      await waitForLines(file, 'listening');
      renameSync(file, `${file}.1`);
      p.child.kill('SIGHUP');
      await waitForLines(file, 'services reloaded');
      assert.equal(
        linesOf(`${file}.1`).some((line) => line.msg === 'services reloaded'),
        false,
        'nothing written to the rotated file after SIGHUP',
      );
      assert.ok(linesOf(`${file}.1`).some((line) => line.msg === 'listening'));
    });
  });

  it('with workers, the primary and every worker append to one file and all reopen it on SIGHUP', async () => {
    const file = join(dir, `${randomUUID()}.log`);
    await withUsher(await settings(file, { workers: 2 }), async (p) => {
      await waitForLines(file, 'workers listening');
      renameSync(file, `${file}.1`);
      p.child.kill('SIGHUP');
      const reloads = await waitForLines(file, 'services reloaded', 2);
      assert.deepEqual(new Set(reloads.map((line) => line.worker)), new Set([1, 2]));
      await waitForLines(file, 'reloading the services in every worker');
      assert.equal(
        linesOf(`${file}.1`).filter((line) => line.msg === 'listening').length,
        2,
        'both workers wrote to the file before rotation',
      );
    });
  });

  it('a file that cannot be reopened leaves logging on the old file, with a warning there', async () => {
    const file = join(dir, `${randomUUID()}.log`);
    await withUsher(await settings(file), async (p) => {
      await waitForLines(file, 'listening');
      renameSync(file, `${file}.1`);
      mkdirSync(file);
      p.child.kill('SIGHUP');
      const [warning] = await waitForLines(
        `${file}.1`,
        'log file not reopened; logging goes on to the old file',
      );
      assert.match(String(warning!.reason), /EISDIR/);
      await waitForLines(`${file}.1`, 'services reloaded');
      const response = await fetch(`${p.url}/serviceValidate?service=x`);
      await response.body?.cancel();
      await waitForLines(`${file}.1`, 'CAS request refused');
      assert.match(p.output(), /usher: log file .*: EISDIR/, 'also said on stderr');
      assert.equal(p.child.exitCode, null, 'still serving');
    });
  });

  it('refuses to start when the file cannot be opened, naming logging.file', async () => {
    const folder = join(dir, randomUUID());
    mkdirSync(folder);
    const { code, output } = await usherFailure(dir, await settings(folder));
    assert.equal(code, 2);
    assert.match(output, new RegExp(`cannot open the log file ${folder} \\(logging\\.file\\): EISDIR`));
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });
});
