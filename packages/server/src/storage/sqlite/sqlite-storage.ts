import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MODEL_NAMES, storesByModel } from '../model-names.ts';
import type { Clock, ModelName, ModelStore, Storage } from '../types.ts';
import { migrate } from './migrations.ts';
import { sqliteCall } from './sqlite-errors.ts';
import { SqliteItemStatements, SqliteModelStore } from './sqlite-model-store.ts';
import { SqliteOutboxStore } from './sqlite-outbox-store.ts';
import { SqliteRateLimitStore } from './sqlite-rate-limit-store.ts';
import { SqliteUserStore } from './sqlite-user-store.ts';

const SWEEP_BATCH = 5000;

/**
 * Storage in one SQLite file. Several processes (cluster workers) may open the same file: WAL lets readers
 * run beside the single writer, busy_timeout makes writers queue instead of failing, and every atomic
 * operation is a single statement.
 */
export function openSqliteStorage(path: string, clock: Clock): Storage {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5000 });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL is durable against application crashes; only an OS crash may lose the last commits.
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const items = new SqliteItemStatements(db);
  const models = storesByModel((name) => new SqliteModelStore<unknown>(name, items, clock));
  const purgeRateLimits = db.prepare('DELETE FROM rate_limits WHERE expires_at <= ?');
  const ping = db.prepare('SELECT 1').pluck();

  return {
    kind: 'sqlite',
    model: <T>(name: ModelName) => models.get(name) as ModelStore<T>,
    users: new SqliteUserStore(db),
    outbox: new SqliteOutboxStore(db, clock),
    rateLimits: new SqliteRateLimitStore(db, clock),
    sweep: () =>
      sqliteCall(() => {
        const now = clock();
        let removed = 0;
        // In batches, so other processes can write between them.
        for (const model of MODEL_NAMES) {
          let changes: number;
          do {
            changes = items.sweep.run({ model, now, limit: SWEEP_BATCH }).changes;
            removed += changes;
          } while (changes === SWEEP_BATCH);
        }
        purgeRateLimits.run(now);
        return removed;
      }),
    ping: () =>
      sqliteCall(() => {
        ping.get();
      }),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
