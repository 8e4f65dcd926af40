import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { ResolvedStorageConfig } from '../config.ts';
import { MODEL_NAMES, storesByModel } from '../model-names.ts';
import type { StorageLogger } from '../storage-logger.ts';
import type { Clock, ModelName, ModelStore, Storage } from '../types.ts';
import { migrate, quoteIdent } from './migrations.ts';
import { PgRunner } from './pg-runner.ts';
import { ItemBatches, itemQueries, PostgresModelStore } from './postgres-model-store.ts';
import { PostgresOutboxStore } from './postgres-outbox-store.ts';
import { PostgresRateLimitStore } from './postgres-rate-limit-store.ts';
import { PostgresUserStore } from './postgres-user-store.ts';

export type PostgresConfig = Extract<ResolvedStorageConfig, { kind: 'postgres' }>;

const SWEEP_BATCH = 5000;

/**
 * Storage in PostgreSQL. Atomic operations are single statements (DELETE ... RETURNING, SKIP LOCKED).
 * Opening migrates the schema; it rejects with StorageUnavailableError when the server cannot be reached.
 */
export async function openPostgresStorage(
  config: PostgresConfig,
  clock: Clock,
  logger: StorageLogger,
): Promise<Storage> {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    // Bounded waits so that calls fail fast while the server is away; the pool reconnects on later calls.
    connectionTimeoutMillis: 3000,
    query_timeout: 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'usher',
    ...(config.ssl ? { ssl: (config.ssl === true ? {} : config.ssl) as ConnectionOptions } : {}),
  });
  const db = new PgRunner(pool, logger);
  try {
    await db.run(() => migrate(pool, config.schema));
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  const s = quoteIdent(config.schema);
  const items = itemQueries(`${s}.usher_items`);
  const batches = new ItemBatches(db, items);
  const models = storesByModel((name) => new PostgresModelStore<unknown>(name, db, items, batches, clock));

  return {
    kind: 'postgres',
    model: <T>(name: ModelName) => models.get(name) as ModelStore<T>,
    users: new PostgresUserStore(db, `${s}.usher_users`),
    outbox: new PostgresOutboxStore(db, `${s}.usher_outbox`, clock),
    rateLimits: new PostgresRateLimitStore(db, `${s}.usher_rate_limits`, clock),
    async sweep() {
      const now = clock();
      let removed = 0;
      // In batches, so that no statement holds many row locks for long.
      for (const model of MODEL_NAMES) {
        let batch: number;
        do {
          batch = (await db.query(items.sweep, [model, now, SWEEP_BATCH])).rowCount ?? 0;
          removed += batch;
        } while (batch === SWEEP_BATCH);
      }
      await db.query(`DELETE FROM ${s}.usher_rate_limits WHERE expires_at <= $1`, [now]);
      return removed;
    },
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
