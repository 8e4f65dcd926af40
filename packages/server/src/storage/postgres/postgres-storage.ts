import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { ResolvedStorageConfig } from '../config.ts';
import { MODEL_NAMES, storesByModel } from '../model-names.ts';
import type { StorageLogger } from '../storage-logger.ts';
import {
  type Clock,
  type ModelName,
  type ModelStore,
  type Storage,
  StorageUnavailableError,
} from '../types.ts';
import { migrate, quoteIdent } from './migrations.ts';
import { PgLinkHealth, PgRunner } from './pg-runner.ts';
import { ItemBatches, itemQueries, PostgresModelStore } from './postgres-model-store.ts';
import { PostgresOutboxStore } from './postgres-outbox-store.ts';
import { PostgresRateLimitStore } from './postgres-rate-limit-store.ts';
import { PostgresUserStore } from './postgres-user-store.ts';

export type PostgresConfig = Extract<ResolvedStorageConfig, { kind: 'postgres' }>;

const SWEEP_BATCH = 5000;
/** Connections for the outbox and users: light traffic next to the items'. */
const DURABLE_POOL_SIZE = 2;

/**
 * Two pools: one for the items (tickets, sessions, login tokens, service accesses: the hot path) and the
 * rate-limit counters, whose commits are asynchronous unless `synchronousCommit`, and one whose commits
 * are always synchronous (migrations, the single-logout outbox, users). A synchronous commit flushes the
 * write-ahead log up to itself, so the items written before it (a session ended before its logout
 * messages are queued) are on disk too.
 *
 * Each new connection runs `SET synchronous_commit` before anything else. The setting cannot travel in
 * the connection's startup `options`: pg lets an `options=` parameter of the URL replace those.
 */
export function createPools(config: PostgresConfig): { items: pg.Pool; durable: pg.Pool } {
  const common: pg.PoolConfig = {
    connectionString: config.url,
    // Bounded waits so that calls fail fast while the server is away; the pool reconnects on later calls.
    connectionTimeoutMillis: 3000,
    query_timeout: 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'usher',
    ...(config.ssl ? { ssl: (config.ssl === true ? {} : config.ssl) as ConnectionOptions } : {}),
  };
  return {
    items: withSynchronousCommit(new pg.Pool({ ...common, max: config.poolSize }), config.synchronousCommit),
    durable: withSynchronousCommit(
      new pg.Pool({ ...common, max: Math.min(config.poolSize, DURABLE_POOL_SIZE) }),
      true,
    ),
  };
}

function withSynchronousCommit(pool: pg.Pool, on: boolean): pg.Pool {
  // Queued ahead of the query the connection was opened for; a failure shows on that query too.
  pool.on('connect', (client) => {
    client.query(`SET synchronous_commit = ${on ? 'on' : 'off'}`).catch(() => {});
  });
  return pool;
}

/**
 * Storage in PostgreSQL. Atomic operations are single statements (DELETE ... RETURNING, SKIP LOCKED).
 * Opening migrates the schema; it rejects with StorageUnavailableError when the server cannot be reached.
 */
export async function openPostgresStorage(
  config: PostgresConfig,
  clock: Clock,
  logger: StorageLogger,
): Promise<Storage> {
  const { items: itemsPool, durable: durablePool } = createPools(config);
  const health = new PgLinkHealth(logger);
  const db = new PgRunner(durablePool, health);
  const itemsDb = new PgRunner(itemsPool, health);
  const endPools = () => Promise.all([durablePool, itemsPool].map((p) => (p.ended ? undefined : p.end())));
  try {
    await db.run(() => migrate(durablePool, config.schema));
  } catch (error) {
    await endPools().catch(() => {});
    // Refusals of the server itself (no such database or role, no right to create the schema) too.
    if (error instanceof StorageUnavailableError) throw error;
    throw new StorageUnavailableError(`PostgreSQL refused the storage: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const s = quoteIdent(config.schema);
  const items = itemQueries(`${s}.usher_items`);
  const batches = new ItemBatches(itemsDb, items);
  const models = storesByModel(
    (name) => new PostgresModelStore<unknown>(name, itemsDb, items, batches, clock),
  );

  return {
    kind: 'postgres',
    model: <T>(name: ModelName) => models.get(name) as ModelStore<T>,
    users: new PostgresUserStore(db, `${s}.usher_users`),
    outbox: new PostgresOutboxStore(db, `${s}.usher_outbox`, clock),
    rateLimits: new PostgresRateLimitStore(itemsDb, `${s}.usher_rate_limits`, clock),
    async sweep() {
      const now = clock();
      let removed = 0;
      // In batches, so that no statement holds many row locks for long.
      for (const model of MODEL_NAMES) {
        let batch: number;
        do {
          batch = (await itemsDb.query(items.sweep, [model, now, SWEEP_BATCH])).rowCount ?? 0;
          removed += batch;
        } while (batch === SWEEP_BATCH);
      }
      await itemsDb.query(`DELETE FROM ${s}.usher_rate_limits WHERE expires_at <= $1`, [now]);
      return removed;
    },
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      await endPools();
    },
  };
}
