import type { Database, Statement } from 'better-sqlite3';
import { windowStart } from '../rate-limit-window.ts';
import type { Clock, RateLimitStore } from '../types.ts';
import type { SqliteQueue } from './sqlite-queue.ts';

export class SqliteRateLimitStore implements RateLimitStore {
  readonly #queue: SqliteQueue;
  readonly #clock: Clock;
  readonly #hit: Statement;
  readonly #reset: Statement;

  constructor(db: Database, queue: SqliteQueue, clock: Clock) {
    this.#queue = queue;
    this.#clock = clock;
    // A counter from a later window (a node whose clock runs ahead) is kept and counted into, not reset.
    this.#hit = db
      .prepare(
        `INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES (@key, @start, 1, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN window_start >= excluded.window_start THEN count + 1 ELSE 1 END,
           window_start = max(window_start, excluded.window_start),
           expires_at = max(expires_at, excluded.expires_at)
         RETURNING count`,
      )
      .pluck();
    this.#reset = db.prepare('DELETE FROM rate_limits WHERE key = ?');
  }

  hit(key: string, windowMs: number): Promise<number> {
    return this.#queue.write(() => {
      const start = windowStart(this.#clock(), windowMs);
      // all(), not get(), so the RETURNING statement completes (see SqliteModelStore.consume).
      return this.#hit.all({ key, start, expiresAt: start + windowMs })[0] as number;
    });
  }

  reset(key: string): Promise<void> {
    return this.#queue.write(() => {
      this.#reset.run(key);
    });
  }
}
