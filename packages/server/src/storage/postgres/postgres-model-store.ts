import { type ItemRow, itemFromRow } from '../sql-rows.ts';
import type { Clock, ModelName, ModelStore, StoredItem } from '../types.ts';
import type { PgRunner } from './pg-runner.ts';

/** The item queries, over the qualified table name; the model is a parameter. */
export function itemQueries(table: string) {
  return {
    upsert: `INSERT INTO ${table} (model, id, payload, expires_at, group_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (model, id) DO UPDATE
             SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at, group_id = EXCLUDED.group_id`,
    find: `SELECT payload FROM ${table} WHERE model = $1 AND id = $2 AND expires_at > $3`,
    // Concurrent deletes of one row serialize on its lock; the losers find it gone and return nothing.
    consume: `DELETE FROM ${table} WHERE model = $1 AND id = $2 AND expires_at > $3 RETURNING payload`,
    destroy: `DELETE FROM ${table} WHERE model = $1 AND id = $2`,
    findByGroup: `SELECT id, payload, expires_at, group_id FROM ${table}
                  WHERE model = $1 AND group_id = $2 AND expires_at > $3`,
    destroyByGroup: `DELETE FROM ${table} WHERE model = $1 AND group_id = $2`,
    // SKIP LOCKED: concurrent callers take disjoint rows instead of waiting for (or repeating) each other.
    takeExpired: `DELETE FROM ${table} WHERE (model, id) IN (
                    SELECT model, id FROM ${table} WHERE model = $1 AND expires_at <= $2
                    ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED
                  ) RETURNING id, payload, expires_at, group_id`,
    sweep: `DELETE FROM ${table} WHERE (model, id) IN (
              SELECT model, id FROM ${table} WHERE model = $1 AND expires_at <= $2 LIMIT $3 FOR UPDATE SKIP LOCKED
            )`,
  };
}

export type ItemQueries = ReturnType<typeof itemQueries>;

export class PostgresModelStore<T> implements ModelStore<T> {
  readonly #model: ModelName;
  readonly #db: PgRunner;
  readonly #sql: ItemQueries;
  readonly #clock: Clock;

  constructor(model: ModelName, db: PgRunner, queries: ItemQueries, clock: Clock) {
    this.#model = model;
    this.#db = db;
    this.#sql = queries;
    this.#clock = clock;
  }

  async upsert(id: string, payload: T, options: { expiresAt: number; groupId?: string }): Promise<void> {
    const json = JSON.stringify(payload);
    await this.#db.query(this.#sql.upsert, [
      this.#model,
      id,
      json,
      options.expiresAt,
      options.groupId ?? null,
    ]);
  }

  async find(id: string): Promise<T | undefined> {
    const { rows } = await this.#db.query<{ payload: string }>(this.#sql.find, [
      this.#model,
      id,
      this.#clock(),
    ]);
    return rows[0] && JSON.parse(rows[0].payload);
  }

  async consume(id: string): Promise<T | undefined> {
    const { rows } = await this.#db.query<{ payload: string }>(this.#sql.consume, [
      this.#model,
      id,
      this.#clock(),
    ]);
    return rows[0] && JSON.parse(rows[0].payload);
  }

  async destroy(id: string): Promise<void> {
    await this.#db.query(this.#sql.destroy, [this.#model, id]);
  }

  async findByGroup(groupId: string): Promise<StoredItem<T>[]> {
    const values = [this.#model, groupId, this.#clock()];
    const { rows } = await this.#db.query<ItemRow>(this.#sql.findByGroup, values);
    return rows.map(itemFromRow<T>);
  }

  async destroyByGroup(groupId: string): Promise<number> {
    return (await this.#db.query(this.#sql.destroyByGroup, [this.#model, groupId])).rowCount ?? 0;
  }

  async takeExpired(limit: number): Promise<StoredItem<T>[]> {
    const values = [this.#model, this.#clock(), limit];
    const { rows } = await this.#db.query<ItemRow>(this.#sql.takeExpired, values);
    return rows.map(itemFromRow<T>);
  }
}
