import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { openPostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';
import { dropSchema, postgresAvailable, postgresConfig, sql, testSchema } from './postgres-server.ts';

if (await postgresAvailable()) {
  after(() => dropSchema(testSchema));
  runStorageConformance('postgres', (clock) => openPostgresStorage(postgresConfig(), clock, silentLogger));

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
