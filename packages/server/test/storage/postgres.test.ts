import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type pg from 'pg';
import { createPools, openPostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';
import { dropSchema, postgresAvailable, postgresConfig, sql, testSchema } from './postgres-server.ts';

if (await postgresAvailable()) {
  after(() => dropSchema(testSchema));
  runStorageConformance('postgres', (clock) => openPostgresStorage(postgresConfig(), clock, silentLogger));

  describe('postgres commit durability', () => {
    const synchronousCommitOf = async (pool: pg.Pool): Promise<string> => {
      try {
        return (await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!
          .synchronous_commit;
      } finally {
        await pool.end();
      }
    };

    it('commits items asynchronously by default, the outbox and users always synchronously', async () => {
      const defaults = createPools(postgresConfig());
      assert.equal(await synchronousCommitOf(defaults.items), 'off');
      assert.equal(await synchronousCommitOf(defaults.durable), 'on');
      const synchronous = createPools(postgresConfig({ synchronousCommit: true }));
      assert.equal(await synchronousCommitOf(synchronous.items), 'on');
      assert.equal(await synchronousCommitOf(synchronous.durable), 'on');
    });

    it('keeps both settings when the URL carries its own connection options', async () => {
      const { url } = postgresConfig();
      const withOptions = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c synchronous_commit=local -c statement_timeout=4321')}`;
      const pools = createPools(postgresConfig({ url: withOptions }));
      const timeout = await pools.items.query<{ statement_timeout: string }>('SHOW statement_timeout');
      assert.equal(timeout.rows[0]!.statement_timeout, '4321ms', "the URL's own options still apply");
      assert.equal(await synchronousCommitOf(pools.items), 'off');
      assert.equal(await synchronousCommitOf(pools.durable), 'on');
    });
  });

  describe('postgres batched statements', () => {
    const open = () => openPostgresStorage(postgresConfig(), Date.now, silentLogger);
    const later = () => Date.now() + 60_000;

    it('serves concurrent calls of several models, each its own answer', async () => {
      const storage = await open();
      try {
        const ids = Array.from({ length: 30 }, (_, i) => `batch-${randomBytes(6).toString('hex')}-${i}`);
        const models = ['ticket', 'serviceAccess', 'session'] as const;
        const model = (i: number) => storage.model<{ i: number }>(models[i % 3]!);
        await Promise.all(
          ids.map((id, i) => model(i).upsert(id, { i }, { expiresAt: later(), groupId: 'g' })),
        );
        assert.deepEqual(
          await Promise.all(ids.map((id, i) => model(i).find(id))),
          ids.map((_, i) => ({ i })),
        );
        // Another model's id is another item.
        assert.deepEqual(
          await Promise.all(ids.map((id, i) => model(i + 1).find(id))),
          ids.map(() => undefined),
        );
        const consumed = await Promise.all(
          ids.flatMap((id, i) => [model(i).consume(id), model(i).consume(id)]),
        );
        assert.deepEqual(
          consumed.filter((c) => c !== undefined).sort((a, b) => a!.i - b!.i),
          ids.map((_, i) => ({ i })),
        );
      } finally {
        await storage.close();
      }
    });

    it('applies concurrent upserts of one item in call order', async () => {
      const storage = await open();
      try {
        const tickets = storage.model<number>('ticket');
        const id = `batch-${randomBytes(6).toString('hex')}`;
        await Promise.all([1, 2, 3, 4].map((n) => tickets.upsert(id, n, { expiresAt: later() })));
        assert.equal(await tickets.find(id), 4);
      } finally {
        await storage.close();
      }
    });

    it('gives each item to exactly one of two instances consuming the same items in opposite orders', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      try {
        const ids = Array.from({ length: 200 }, (_, i) => `batch-${randomBytes(6).toString('hex')}-${i}`);
        await Promise.all(ids.map((id) => a.model('ticket').upsert(id, id, { expiresAt: later() })));
        const results = await Promise.all([
          ...ids.map((id) => a.model<string>('ticket').consume(id)),
          ...[...ids].reverse().map((id) => b.model<string>('ticket').consume(id)),
        ]);
        assert.deepEqual(results.filter((r) => r !== undefined).sort(), [...ids].sort());
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('fails only the call with a value PostgreSQL refuses, not the calls batched with it', async () => {
      const storage = await open();
      try {
        const tickets = storage.model<string>('ticket');
        const ids = [1, 2, 3].map((n) => `batch-${randomBytes(6).toString('hex')}-${n}`);
        await Promise.all(ids.map((id) => tickets.upsert(id, id, { expiresAt: later() })));
        const results = await Promise.allSettled([
          tickets.consume(ids[0]!),
          tickets.consume('ST-\u0000-nul'),
          tickets.consume(ids[1]!),
          tickets.upsert('ST-\u0000-nul', 'x', { expiresAt: later() }),
          tickets.upsert(ids[2]!, 'replaced', { expiresAt: later() }),
        ]);
        assert.deepEqual(
          results.map((r) => r.status),
          ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'],
        );
        assert.deepEqual(
          results.filter((r) => r.status === 'fulfilled').map((r) => r.value),
          [ids[0], ids[1], undefined],
        );
        assert.ok(!(results[1] as PromiseRejectedResult).reason.message.includes('unavailable'));
        assert.equal(await tickets.find(ids[2]!), 'replaced');
      } finally {
        await storage.close();
      }
    });
  });

  describe('postgres migrations', () => {
    it('creates the schema once when several nodes start together', async () => {
      const schema = `usher_test_${randomBytes(6).toString('hex')}`;
      try {
        const storages = await Promise.all(
          Array.from({ length: 4 }, () =>
            openPostgresStorage(postgresConfig({ schema }), Date.now, silentLogger),
          ),
        );
        await Promise.all(storages.map((s) => s.close()));
        const rows = await sql<{ version: number; name: string }>(
          `SELECT version, name FROM "${schema}".usher_migrations`,
        );
        assert.deepEqual(rows, [{ version: 1, name: 'initial' }]);
      } finally {
        await dropSchema(schema);
      }
    });
  });
}
