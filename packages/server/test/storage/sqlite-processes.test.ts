import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';

const worker = fileURLToPath(new URL('./sqlite-worker.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'usher-sqlite-procs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Won {
  consumed: string[];
  expired: string[];
  claimed: string[];
}

/** Starts `n` workers, lets them go once all have opened the file, and collects what each won. */
async function race(n: number, path: string, now: number, count: number): Promise<Won[]> {
  const workers = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, path, String(now), String(count)]);
    let out = '';
    let err = '';
    let markReady: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.startsWith('ready\n')) markReady();
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    const done = new Promise<Won>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve(JSON.parse(out.slice('ready\n'.length)))
          : reject(new Error(`worker ${code}: ${err}`)),
      );
    });
    return { child, ready, done };
  });
  await Promise.race([Promise.all(workers.map((w) => w.ready)), Promise.all(workers.map((w) => w.done))]);
  for (const w of workers) w.child.stdin.end('go\n');
  return Promise.all(workers.map((w) => w.done));
}

describe('sqlite shared by several processes', () => {
  it('gives every ticket, expiry and outbox message to exactly one process', async () => {
    const path = join(dir, 'shared.db');
    const now = 1_700_000_000_000;
    const count = 600;
    // Opening first from all workers at once also races the schema migration.
    await race(4, path, now, 0);

    const storage = openSqliteStorage(path, () => now);
    const ids = Array.from({ length: count }, (_, i) => `ST-${i}`);
    for (const id of ids) {
      await storage.model('ticket').upsert(id, { id }, { expiresAt: now + 60_000 });
      await storage.model('session').upsert(`TGT-${id}`, { id }, { expiresAt: now });
    }
    await storage.outbox.enqueue(
      ids.map((id) => ({
        id: `slo-${id}`,
        url: 'https://app/logout',
        body: 'logoutRequest=x',
        sessionIndex: id,
        service: 'https://app/',
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    await storage.close();

    const results = await race(4, path, now, count);
    const all = (pick: (won: Won) => string[]) => results.flatMap(pick).sort();
    assert.deepEqual(
      all((r) => r.consumed),
      [...ids].sort(),
    );
    assert.deepEqual(
      all((r) => r.expired),
      ids.map((id) => `TGT-${id}`).sort(),
    );
    assert.deepEqual(
      all((r) => r.claimed),
      ids.map((id) => `slo-${id}`).sort(),
    );
  });
});
