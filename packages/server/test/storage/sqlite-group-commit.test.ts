import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';

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
});
