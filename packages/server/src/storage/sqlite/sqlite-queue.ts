import type { Database, Statement } from 'better-sqlite3';
import { sqliteError } from './sqlite-errors.ts';

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
 */
export class SqliteQueue {
  readonly #db: Database;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  #queued: Operation[] = [];

  constructor(db: Database) {
    this.#db = db;
    // IMMEDIATE takes the write lock up front: a deferred transaction that read first could fail with
    // SQLITE_BUSY_SNAPSHOT, which busy_timeout does not retry, when another process wrote in between.
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  read<T>(run: () => T): Promise<T> {
    if (this.#queued.length > 0) return this.write(run);
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(sqliteError(error));
    }
  }

  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#queued.push({ run, resolve, reject }) === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const operations = this.#queued;
    this.#queued = [];
    const outcomes: ({ value: unknown } | { error: unknown })[] = [];
    try {
      this.#begin.run();
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
}
