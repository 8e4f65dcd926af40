import type { Database, Statement } from 'better-sqlite3';
import { byCreation } from '../ordering.ts';
import { type OutboxRow, outboxFromRow } from '../sql-rows.ts';
import type { Clock, OutboxMessage, OutboxStatus, OutboxStore } from '../types.ts';
import type { SqliteQueue } from './sqlite-queue.ts';

export class SqliteOutboxStore implements OutboxStore {
  readonly #queue: SqliteQueue;
  readonly #db: Database;
  readonly #clock: Clock;
  readonly #insert: Statement;
  readonly #claim: Statement;
  readonly #delivered: Statement;
  readonly #reschedule: Statement;
  readonly #fail: Statement;
  readonly #listAll: Statement;
  readonly #listStatus: Statement;
  readonly #purge: Statement;

  constructor(db: Database, queue: SqliteQueue, clock: Clock) {
    this.#db = db;
    this.#queue = queue;
    this.#clock = clock;
    this.#insert = db.prepare(
      `INSERT INTO outbox (id, url, body, session_index, service, status, attempts, next_attempt_at, created_at,
         last_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.#claim = db.prepare(
      `UPDATE outbox SET next_attempt_at = @leasedUntil WHERE id IN (
         SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at
         LIMIT @limit
       ) RETURNING *`,
    );
    this.#delivered = db.prepare(
      `UPDATE outbox SET status = 'delivered', attempts = attempts + 1 WHERE id = ? AND status = 'pending'`,
    );
    this.#reschedule = db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
       WHERE id = ? AND status = 'pending'`,
    );
    this.#fail = db.prepare(
      `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?
       WHERE id = ? AND status = 'pending'`,
    );
    this.#listAll = db.prepare('SELECT * FROM outbox');
    this.#listStatus = db.prepare('SELECT * FROM outbox WHERE status = ?');
    this.#purge = db.prepare(`DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?`);
  }

  enqueue(messages: OutboxMessage[]): Promise<void> {
    return this.#queue.write(() => {
      this.#db.transaction(() => {
        for (const m of messages) {
          this.#insert.run(
            m.id,
            m.url,
            m.body,
            m.sessionIndex,
            m.service,
            m.status,
            m.attempts,
            m.nextAttemptAt,
            m.createdAt,
            m.lastError ?? null,
          );
        }
      })();
    });
  }

  claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    return this.#queue.write(() => {
      const now = this.#clock();
      return (this.#claim.all({ leasedUntil: now + leaseMs, now, limit }) as OutboxRow[]).map(outboxFromRow);
    });
  }

  markDelivered(id: string): Promise<void> {
    return this.#queue.write(() => {
      this.#delivered.run(id);
    });
  }

  markFailed(id: string, error: string, next: { nextAttemptAt: number } | { final: true }): Promise<void> {
    return this.#queue.write(() => {
      if ('final' in next) this.#fail.run(error, id);
      else this.#reschedule.run(error, next.nextAttemptAt, id);
    });
  }

  list(status?: OutboxStatus): Promise<OutboxMessage[]> {
    return this.#queue.read(() => {
      const rows = (status ? this.#listStatus.all(status) : this.#listAll.all()) as OutboxRow[];
      return rows.map(outboxFromRow).sort(byCreation);
    });
  }

  purge(before: number): Promise<number> {
    return this.#queue.write(() => this.#purge.run(before).changes);
  }
}
