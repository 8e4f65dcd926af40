import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-sqlite-wal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite write-ahead log', () => {
  // A statement left open after `consume` or `hit` keeps its transaction alive, so no checkpoint can
  // complete and the WAL grows by every commit (hundreds of MB under load).
  it('stays bounded while tickets are consumed and attempts counted', async () => {
    const path = join(dir, 'wal.db');
    const storage = openSqliteStorage(path, () => 1_000);
    const tickets = storage.model<{ filler: string }>('ticket');
    const filler = 'x'.repeat(500);
    for (let i = 0; i < 3000; i++) {
      await tickets.upsert(`ST-${i}`, { filler }, { expiresAt: 60_000, groupId: 'TGT-1' });
    }
    for (let i = 0; i < 3000; i++) assert.ok(await tickets.consume(`ST-${i}`));
    for (let i = 0; i < 3000; i++) await storage.rateLimits.hit(`login:user:${i % 7}`, 60_000);
    const probe = new Database(path);
    try {
      // The server's own checkpoint thread may hold the checkpoint lock for a moment: try again then.
      let result: { busy: number; log: number; checkpointed: number } | undefined;
      for (let attempt = 0; attempt < 100 && result?.busy !== 0; attempt++) {
        if (attempt > 0) await setTimeout(20);
        [result] = probe.pragma('wal_checkpoint(PASSIVE)') as (typeof result)[];
      }
      assert.equal(result?.busy, 0);
      assert.equal(result?.checkpointed, result?.log, 'every frame could be checkpointed');
      // With every frame checkpointed, the next write starts the WAL again from its beginning.
      await tickets.upsert('ST-next', { filler }, { expiresAt: 60_000 });
      const [after] = probe.pragma('wal_checkpoint(PASSIVE)') as (typeof result)[];
      assert.ok(after && after.log < 100, `WAL holds ${after?.log} frames after the rewind`);
      assert.ok(
        statSync(`${path}-wal`).size < 64 * 1024 * 1024,
        `WAL is ${statSync(`${path}-wal`).size} bytes`,
      );
    } finally {
      probe.close();
      await storage.close();
    }
  });
});
