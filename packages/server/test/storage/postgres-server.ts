import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { storageConfigSchema } from '../../src/storage/config.ts';
import { openPostgresStorage, type PostgresConfig } from '../../src/storage/postgres/postgres-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { serverUnderTest } from './server-under-test.ts';

export const postgresUrl = process.env.USHER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of its own per test run, dropped at the end. */
export const testSchema = `usher_test_${randomBytes(6).toString('hex')}`;

export function postgresConfig(overrides: Partial<PostgresConfig> = {}): PostgresConfig {
  return storageConfigSchema.parse({
    kind: 'postgres',
    url: postgresUrl,
    schema: testSchema,
    poolSize: 4,
    ...overrides,
  }) as PostgresConfig;
}

export function postgresAvailable(): Promise<boolean> {
  return serverUnderTest('PostgreSQL', postgresUrl, async () => {
    const storage = await openPostgresStorage(postgresConfig(), Date.now, silentLogger);
    await storage.close();
  });
}

/** Runs one statement on a connection of its own. */
export async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
