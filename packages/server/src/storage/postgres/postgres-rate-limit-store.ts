import { windowStart } from '../rate-limit-window.ts';
import type { Clock, RateLimitStore } from '../types.ts';
import type { PgRunner } from './pg-runner.ts';

export class PostgresRateLimitStore implements RateLimitStore {
  constructor(
    private readonly db: PgRunner,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowMs: number): Promise<number> {
    const start = windowStart(this.clock(), windowMs);
    // A counter from a later window (a node whose clock runs ahead) is counted into, not reset.
    const { rows } = await this.db.query<{ count: number }>(
      `INSERT INTO ${this.table} AS r (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN r.window_start >= EXCLUDED.window_start THEN r.count + 1 ELSE 1 END,
         window_start = GREATEST(r.window_start, EXCLUDED.window_start),
         expires_at = GREATEST(r.expires_at, EXCLUDED.expires_at)
       RETURNING count`,
      [key, start, start + windowMs],
    );
    return rows[0]!.count;
  }

  async reset(key: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }
}
