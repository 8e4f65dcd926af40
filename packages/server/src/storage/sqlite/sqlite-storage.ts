import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL_NAMES, storesByModel } from '../model-names.ts';
import { type StorageLogger, silentLogger } from '../storage-logger.ts';
import {
  type Clock,
  type ModelName,
  type ModelStore,
  type Storage,
  StorageUnavailableError,
} from '../types.ts';
import { migrate } from './migrations.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { SqliteItemStatements, SqliteModelStore } from './sqlite-model-store.ts';
import { SqliteOutboxStore } from './sqlite-outbox-store.ts';
import { LOCK_WAIT_MS, SqliteQueue } from './sqlite-queue.ts';
import { SqliteRateLimitStore } from './sqlite-rate-limit-store.ts';
import { SqliteUserStore } from './sqlite-user-store.ts';

const SWEEP_BATCH = 5000;

/**
 * Storage in one SQLite file. Several processes (cluster workers) may open the same file: WAL lets readers
 * run beside the single writer, writers wait their turn for the lock instead of failing, and every atomic
 * operation is a single statement. Writes are group-committed, lock waits included, off the event loop
 * ({@link SqliteQueue}), and checkpoints run on a thread of their own ({@link startCheckpointer}).
 */
export function openSqliteStorage(path: string, clock: Clock, logger: StorageLogger = silentLogger): Storage {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // Processes opening the file together wait their turn for the migration.
    db = new Database(path, { timeout: LOCK_WAIT_MS });
  } catch (error) {
    throw cannotOpen(path, error);
  }
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL is durable against application crashes; only an OS crash may lose the last commits.
    db.pragma('synchronous = NORMAL');
    migrate(db);
    // From here on the queue waits for locks itself, off the event loop (see SqliteQueue).
    db.pragma('busy_timeout = 0');
  } catch (error) {
    db.close();
    throw cannotOpen(path, error);
  }

  const queue = new SqliteQueue(db);
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(db, path, logger);
  const items = new SqliteItemStatements(db);
  const models = storesByModel((name) => new SqliteModelStore<unknown>(name, items, queue, clock));
  const purgeRateLimits = db.prepare('DELETE FROM rate_limits WHERE expires_at <= ?');
  const ping = db.prepare('SELECT 1').pluck();

  return {
    kind: 'sqlite',
    model: <T>(name: ModelName) => models.get(name) as ModelStore<T>,
    users: new SqliteUserStore(db, queue),
    outbox: new SqliteOutboxStore(db, queue, clock),
    rateLimits: new SqliteRateLimitStore(db, queue, clock),
    sweep: async () => {
      const now = clock();
      let removed = 0;
      // A batch per transaction, so requests and other processes get their turn in between.
      for (const model of MODEL_NAMES) {
        let changes: number;
        do {
          changes = await queue.write(() => items.sweep.run({ model, now, limit: SWEEP_BATCH }).changes);
          removed += changes;
        } while (changes === SWEEP_BATCH);
      }
      await queue.write(() => purgeRateLimits.run(now));
      return removed;
    },
    ping: () =>
      queue.read(() => {
        ping.get();
      }),
    close: async () => {
      if (!db.open) return;
      await queue.write(() => undefined).catch(() => undefined);
      await checkpointer?.stop();
      db.close();
    },
  };
}

/** A file that is not a database, a folder that cannot be made: said with the path and the setting. */
function cannotOpen(path: string, error: unknown): StorageUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StorageUnavailableError(`cannot open the SQLite file ${path} (storage.path): ${reason}`, {
    cause: error,
  });
}
