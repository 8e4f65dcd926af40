import type { Database, Statement } from 'better-sqlite3';
import { isSqliteBusy, sqliteError } from './sqlite-errors.ts';

/** How long operations wait for the write lock (held by another process or a checkpoint) before failing. */
export const LOCK_WAIT_MS = 5000;
/** Longest pause between two attempts at the write lock. */
const MAX_RETRY_DELAY_MS = 4;

interface Operation {
  run: () => unknown;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one connection. Every operation runs in the order it was issued; the writes issued in
 * the same event-loop turn (under load, those of many concurrent requests) run in one transaction, and
 * each caller learns its result only once that transaction is committed. A commit costs far more than a
 * statement (WAL frames, locks), so this divides most of the write cost by the batch size.
 *
 * A read issued while nothing is queued runs at once; behind queued writes it waits its turn, so callers
 * always see their own writes.
 *
 * The connection must have `busy_timeout = 0`: when the write lock is taken (a checkpoint, another
 * process), SQLite's own busy handler would sleep on the event loop, stalling every request for 1, 3, 8,
 * 18… ms; here the queue instead tries again on a timer while requests go on, and operations issued
 * meanwhile join the waiting batch.
 */
export class SqliteQueue {
  readonly #db: Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  #queued: Operation[] = [];
  /** When the waiting batch first found the lock taken; undefined while not waiting. */
  #waitingSince: number | undefined;
  #retries = 0;

  constructor(db: Database) {
    this.#db = db;
    // IMMEDIATE takes the write lock up front: a deferred transaction that read first could fail with
    // SQLITE_BUSY_SNAPSHOT when another process wrote in between.
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  read<T>(run: () => T): Promise<T> {
    if (this.#queued.length > 0) return this.write(run);
    try {
      return Promise.resolve(run());
    } catch (error) {
      // Readers rarely meet a lock in WAL mode (another process recovering the WAL): wait like a write.
      if (isSqliteBusy(error)) return this.write(run);
      return Promise.reject(sqliteError(error));
    }
  }

  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#queued.push({ run, resolve, reject }) === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    try {
      this.#begin.run();
    } catch (error) {
      this.#retryLater(error);
      return;
    }
    this.#waitingSince = undefined;
    this.#retries = 0;
    const operations = this.#queued;
    this.#queued = [];
    const outcomes: ({ value: unknown } | { error: unknown })[] = [];
    try {
      for (const operation of operations) {
        try {
          outcomes.push({ value: operation.run() });
        } catch (error) {
          // A failed statement is undone on its own; some errors (I/O, disk full) end the transaction.
          if (!this.#db.inTransaction) throw error;
          outcomes.push({ error: sqliteError(error) });
        }
      }
      this.#commit.run();
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      const failure = sqliteError(error);
      for (const operation of operations) operation.reject(failure);
      return;
    }
    operations.forEach((operation, i) => {
      const outcome = outcomes[i]!;
      if ('error' in outcome) operation.reject(outcome.error);
      else operation.resolve(outcome.value as never);
    });
  }

  /** BEGIN failed: wait for the lock without blocking the event loop, or give up on the whole batch. */
  #retryLater(error: unknown): void {
    const now = Date.now();
    this.#waitingSince ??= now;
    if (isSqliteBusy(error) && now - this.#waitingSince < LOCK_WAIT_MS) {
      const delay = Math.min(this.#retries++, MAX_RETRY_DELAY_MS);
      if (delay === 0) setImmediate(() => this.#flush());
      else setTimeout(() => this.#flush(), delay);
      return;
    }
    this.#waitingSince = undefined;
    this.#retries = 0;
    const operations = this.#queued;
    this.#queued = [];
    const failure = sqliteError(error);
    for (const operation of operations) operation.reject(failure);
  }
}
