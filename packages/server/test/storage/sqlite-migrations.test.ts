import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from '../../src/storage/sqlite/migrations.ts';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-sqlite-migrations-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const itemsTableSql = (db: Database.Database) =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'").pluck().get() as string;

describe('sqlite schema migrations', () => {
  for (const from of [1, 2]) {
    it(`brings a version ${from} file up to date and keeps its items, groups and expiries`, async () => {
      const path = join(dir, `v${from}.db`);
      const old = new Database(path);
      migrate(old, from);
      assert.equal(old.pragma('user_version', { simple: true }), from);
      const insert = old.prepare(
        'INSERT INTO items (model, id, payload, expires_at, group_id) VALUES (?, ?, ?, ?, ?)',
      );
      insert.run('session', 'TGT-1', '{"user":"ann"}', 5_000, 'user:ann');
      insert.run('ticket', 'ST-1', '{"service":"https://app/"}', 5_000, 'TGT-1');
      insert.run('ticket', 'ST-old', '{"service":"https://app/"}', 500, 'TGT-1');
      old.close();

      const storage = openSqliteStorage(path, () => 1_000);
      try {
        assert.deepEqual(await storage.model('session').find('TGT-1'), { user: 'ann' });
        assert.deepEqual(
          (await storage.model('ticket').findByGroup('TGT-1')).map((item) => item.id),
          ['ST-1'],
        );
        assert.equal(await storage.model('ticket').consume('ST-old'), undefined, 'expired stays invisible');
        assert.deepEqual(await storage.model('ticket').consume('ST-1'), { service: 'https://app/' });
        assert.equal(await storage.sweep(), 1);
      } finally {
        await storage.close();
      }
      const upgraded = new Database(path, { readonly: true });
      try {
        assert.ok(!/WITHOUT ROWID/i.test(itemsTableSql(upgraded)), 'items is a rowid table again');
        assert.ok(
          (upgraded.pragma('user_version', { simple: true }) as number) > from,
          'the version moved on',
        );
      } finally {
        upgraded.close();
      }
    });
  }

  it('refuses a file written by a newer Usher', () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    assert.throws(() => openSqliteStorage(path, () => 1_000), /schema version 999 is newer/);
  });
});
