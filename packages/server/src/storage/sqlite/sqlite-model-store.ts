import type { Database, Statement } from 'better-sqlite3';
import { type ItemRow, itemFromRow } from '../sql-rows.ts';
import type { Clock, ModelName, ModelStore, StoredItem } from '../types.ts';
import type { SqliteQueue } from './sqlite-queue.ts';

/** One set of statements for every model: the model name is a bound parameter. */
export class SqliteItemStatements {
  readonly upsert: Statement;
  readonly find: Statement;
  readonly consume: Statement;
  readonly destroy: Statement;
  readonly findByGroup: Statement;
  readonly destroyByGroup: Statement;
  readonly takeExpired: Statement;
  readonly sweep: Statement;

  constructor(db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO items (model, id, payload, expires_at, group_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (model, id) DO UPDATE
       SET payload = excluded.payload, expires_at = excluded.expires_at, group_id = excluded.group_id`,
    );
    this.find = db.prepare('SELECT payload FROM items WHERE model = ? AND id = ? AND expires_at > ?').pluck();
    this.consume = db
      .prepare('DELETE FROM items WHERE model = ? AND id = ? AND expires_at > ? RETURNING payload')
      .pluck();
    this.destroy = db.prepare('DELETE FROM items WHERE model = ? AND id = ?');
    this.findByGroup = db.prepare(
      'SELECT id, payload, expires_at, group_id FROM items WHERE model = ? AND group_id = ? AND expires_at > ?',
    );
    this.destroyByGroup = db.prepare('DELETE FROM items WHERE model = ? AND group_id = ?');
    // One statement, so under SQLite's single writer lock no other connection can take the same rows.
    this.takeExpired = db.prepare(
      `DELETE FROM items WHERE model = @model AND id IN (
         SELECT id FROM items WHERE model = @model AND expires_at <= @now ORDER BY expires_at LIMIT @limit
       ) RETURNING id, payload, expires_at, group_id`,
    );
    this.sweep = db.prepare(
      `DELETE FROM items WHERE model = @model AND id IN (
         SELECT id FROM items WHERE model = @model AND expires_at <= @now LIMIT @limit
       )`,
    );
  }
}

export class SqliteModelStore<T> implements ModelStore<T> {
  readonly #model: ModelName;
  readonly #sql: SqliteItemStatements;
  readonly #queue: SqliteQueue;
  readonly #clock: Clock;

  constructor(model: ModelName, statements: SqliteItemStatements, queue: SqliteQueue, clock: Clock) {
    this.#model = model;
    this.#sql = statements;
    this.#queue = queue;
    this.#clock = clock;
  }

  upsert(id: string, payload: T, options: { expiresAt: number; groupId?: string }): Promise<void> {
    return this.#queue.write(() => {
      const json = JSON.stringify(payload);
      this.#sql.upsert.run(this.#model, id, json, options.expiresAt, options.groupId ?? null);
    });
  }

  find(id: string): Promise<T | undefined> {
    return this.#queue.read(() => parse(this.#sql.find.get(this.#model, id, this.#clock())));
  }

  consume(id: string): Promise<T | undefined> {
    // all(), not get(): get() leaves a RETURNING statement open, which keeps its transaction from ending
    // and every later checkpoint from completing, so the WAL grows without bound.
    return this.#queue.write(() => parse(this.#sql.consume.all(this.#model, id, this.#clock())[0]));
  }

  destroy(id: string): Promise<void> {
    return this.#queue.write(() => {
      this.#sql.destroy.run(this.#model, id);
    });
  }

  findByGroup(groupId: string): Promise<StoredItem<T>[]> {
    return this.#queue.read(() =>
      (this.#sql.findByGroup.all(this.#model, groupId, this.#clock()) as ItemRow[]).map(itemFromRow<T>),
    );
  }

  destroyByGroup(groupId: string): Promise<number> {
    return this.#queue.write(() => this.#sql.destroyByGroup.run(this.#model, groupId).changes);
  }

  takeExpired(limit: number): Promise<StoredItem<T>[]> {
    return this.#queue.write(() =>
      (this.#sql.takeExpired.all({ model: this.#model, now: this.#clock(), limit }) as ItemRow[]).map(
        itemFromRow<T>,
      ),
    );
  }
}

function parse<T>(json: unknown): T | undefined {
  return typeof json === 'string' ? JSON.parse(json) : undefined;
}
