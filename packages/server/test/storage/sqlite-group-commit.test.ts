import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { LOCK_WAIT_MS } from '../../src/storage/sqlite/sqlite-queue.ts';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import { type Storage, StorageUnavailableError } from '../../src/storage/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-sqlite-group-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite group commit', () => {
  it('runs operations issued together in order and reports each only once committed', async () => {
    const path = join(dir, 'order.db');
    const storage = openSqliteStorage(path, () => 1_000);
    const tickets = storage.model<{ n: number }>('ticket');
    const other = new Database(path, { readonly: true });
    try {
      await Promise.all(
        Array.from({ length: 200 }, (_, n) =>
          tickets.upsert(`ST-${n}`, { n }, { expiresAt: 60_000 }).then(() => {
            const find = other.prepare("SELECT payload FROM items WHERE model = 'ticket' AND id = ?");
            assert.ok(
              find.get(`ST-${n}`),
              `ST-${n} is visible to another connection once its upsert resolved`,
            );
          }),
        ),
      );
      // Upserts and consumes issued in one turn run in issue order; only one consumer wins each ticket.
      const upserts = Array.from({ length: 200 }, (_, n) =>
        tickets.upsert(`PT-${n}`, { n }, { expiresAt: 60_000 }),
      );
      const consumed = await Promise.all([
        ...Array.from({ length: 200 }, (_, n) => tickets.consume(`PT-${n}`)),
        ...Array.from({ length: 200 }, (_, n) => tickets.consume(`PT-${n}`)),
      ]);
      await Promise.all(upserts);
      assert.deepEqual(
        consumed.slice(0, 200).map((payload) => payload?.n),
        Array.from({ length: 200 }, (_, n) => n),
      );
      assert.deepEqual(consumed.slice(200), Array(200).fill(undefined));
    } finally {
      other.close();
      await storage.close();
    }
  });

  it('fails only the operation that failed, not the others committed with it', async () => {
    const storage = openSqliteStorage(join(dir, 'failure.db'), () => 1_000);
    const tickets = storage.model<unknown>('ticket');
    try {
      const results = await Promise.allSettled([
        tickets.upsert('ST-before', { ok: true }, { expiresAt: 60_000 }),
        tickets.upsert('ST-bad', { big: 1n }, { expiresAt: 60_000 }), // JSON cannot hold a BigInt
        tickets.upsert('ST-after', { ok: true }, { expiresAt: 60_000 }),
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(await tickets.find('ST-before'), { ok: true });
      assert.deepEqual(await tickets.find('ST-after'), { ok: true });
      assert.equal(await tickets.find('ST-bad'), undefined);
    } finally {
      await storage.close();
    }
  });

  it('commits what was queued before closing', async () => {
    const path = join(dir, 'close.db');
    const storage = openSqliteStorage(path, () => 1_000);
    const pending = storage.model('ticket').upsert('ST-last', { n: 1 }, { expiresAt: 60_000 });
    await storage.close();
    await pending;
    const reopened = openSqliteStorage(path, () => 1_000);
    try {
      assert.deepEqual(await reopened.model('ticket').find('ST-last'), { n: 1 });
    } finally {
      await reopened.close();
    }
  });

  it('waits for a write lock held elsewhere without blocking the event loop', () =>
    withWriteLockHeldElsewhere('locked.db', async (storage, holder) => {
      let settled = false;
      const write = storage
        .model('ticket')
        .upsert('ST-waiting', { n: 1 }, { expiresAt: 60_000 })
        .finally(() => {
          settled = true;
        });
      const started = performance.now();
      await setTimeout(50);
      // SQLite's own busy handler would have slept through this timer on the event loop.
      assert.ok(performance.now() - started < LOCK_WAIT_MS / 2, 'timers ran while the write waited');
      assert.equal(settled, false, 'the write waits for the lock');
      const meanwhile = storage.model('ticket').upsert('ST-joined', { n: 2 }, { expiresAt: 60_000 });
      holder.exec('COMMIT');
      await Promise.all([write, meanwhile]);
      assert.deepEqual(await storage.model('ticket').find('ST-waiting'), { n: 1 });
      assert.deepEqual(await storage.model('ticket').find('ST-joined'), { n: 2 });
    }));

  it('fails the waiting operations as an outage once the lock stays taken too long', () =>
    withWriteLockHeldElsewhere('stuck.db', async (storage, holder) => {
      const started = Date.now();
      await assert.rejects(
        storage.model('ticket').upsert('ST-stuck', { n: 1 }, { expiresAt: 60_000 }),
        (error: unknown) => error instanceof StorageUnavailableError && /locked|busy/i.test(error.message),
      );
      assert.ok(Date.now() - started >= LOCK_WAIT_MS - 50, 'it waited the whole lock timeout first');
      holder.exec('ROLLBACK');
      // The queue is usable again once the lock is free.
      await storage.model('ticket').upsert('ST-after', { n: 2 }, { expiresAt: 60_000 });
      assert.deepEqual(await storage.model('ticket').find('ST-after'), { n: 2 });
      assert.equal(await storage.model('ticket').find('ST-stuck'), undefined);
    }));
});

/** Opens a storage while another connection (as another process or a checkpoint would) holds the write lock. */
async function withWriteLockHeldElsewhere(
  file: string,
  body: (storage: Storage, holder: Database.Database) => Promise<void>,
): Promise<void> {
  const path = join(dir, file);
  const storage = openSqliteStorage(path, () => 1_000);
  const holder = new Database(path);
  try {
    holder.exec('BEGIN IMMEDIATE');
    await body(storage, holder);
  } finally {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    await storage.close();
  }
}
