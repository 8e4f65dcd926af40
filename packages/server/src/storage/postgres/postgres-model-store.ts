import { type ItemRow, itemFromRow } from '../sql-rows.ts';
import type { Clock, ModelName, ModelStore, StoredItem } from '../types.ts';
import type { NamedStatement, PgRunner } from './pg-runner.ts';
import { type BatchedStatement, StatementBatcher } from './statement-batcher.ts';

/**
 * The item statements over the qualified table name; the model is a parameter. Each is prepared by name
 * (per pool: a storage owns its pool, so one name never stands for two texts on a connection).
 */
export function itemQueries(table: string) {
  const named = (name: string, text: string): NamedStatement => ({ name: `usher_item_${name}`, text });
  return {
    upsert: named(
      'upsert',
      `INSERT INTO ${table} (model, id, payload, expires_at, group_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (model, id) DO UPDATE
       SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at, group_id = EXCLUDED.group_id`,
    ),
    // Distinct (model, id) pairs only: one statement may not update a row twice.
    upsertMany: named(
      'upsert_many',
      `INSERT INTO ${table} (model, id, payload, expires_at, group_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])
       ON CONFLICT (model, id) DO UPDATE
       SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at, group_id = EXCLUDED.group_id`,
    ),
    find: named('find', `SELECT payload FROM ${table} WHERE model = $1 AND id = $2 AND expires_at > $3`),
    // The joins below stay unnamed, so PostgreSQL plans each batch afresh: a cached generic plan chosen
    // while the table was small (a hash join over a sequential scan) would scan the whole table for every
    // batch once it has grown, until autovacuum's next ANALYZE. One plan per batch costs little.
    // Expiry is checked by the caller, against the clock reading of each call.
    findMany: `SELECT t.model, t.id, t.payload, t.expires_at FROM unnest($1::text[], $2::text[]) AS q (model, id)
       JOIN ${table} AS t ON t.model = q.model AND t.id = q.id`,
    // Concurrent deletes of one row serialize on its lock; the losers find it gone and return nothing.
    consume: named(
      'consume',
      `DELETE FROM ${table} WHERE model = $1 AND id = $2 AND expires_at > $3 RETURNING payload`,
    ),
    consumeMany: `DELETE FROM ${table} AS t USING unnest($1::text[], $2::text[], $3::bigint[]) AS q (model, id, now)
       WHERE t.model = q.model AND t.id = q.id AND t.expires_at > q.now
       RETURNING t.model, t.id, t.payload`,
    destroy: named('destroy', `DELETE FROM ${table} WHERE model = $1 AND id = $2`),
    findByGroup: named(
      'find_by_group',
      `SELECT id, payload, expires_at, group_id FROM ${table}
       WHERE model = $1 AND group_id = $2 AND expires_at > $3`,
    ),
    destroyByGroup: named('destroy_by_group', `DELETE FROM ${table} WHERE model = $1 AND group_id = $2`),
    // SKIP LOCKED: concurrent callers take disjoint rows instead of waiting for (or repeating) each other.
    takeExpired: named(
      'take_expired',
      `DELETE FROM ${table} WHERE (model, id) IN (
         SELECT model, id FROM ${table} WHERE model = $1 AND expires_at <= $2
         ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED
       ) RETURNING id, payload, expires_at, group_id`,
    ),
    sweep: named(
      'sweep',
      `DELETE FROM ${table} WHERE (model, id) IN (
         SELECT model, id FROM ${table} WHERE model = $1 AND expires_at <= $2 LIMIT $3 FOR UPDATE SKIP LOCKED
       )`,
    ),
  };
}

export type ItemQueries = ReturnType<typeof itemQueries>;

interface ItemKey {
  model: ModelName;
  id: string;
}

interface UpsertCall extends ItemKey {
  payload: string;
  expiresAt: number;
  groupId: string | null;
}

interface ReadCall extends ItemKey {
  /** The clock when the call was made: the item must expire after it. */
  now: number;
}

const keyOf = (item: { model: string; id: string }): string => `${item.model}\u0000${item.id}`;

/** In key order, so that concurrent batches of two nodes lock shared rows in the same order. */
const sortedByKey = <C extends ItemKey>(items: C[]): C[] =>
  [...items].sort((a, b) =>
    a.model !== b.model ? (a.model < b.model ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );

/**
 * The statements of the hot path (find, upsert, consume) for every model of one storage, each behind a
 * {@link StatementBatcher}: concurrent calls, of any model, share one statement. Issuing a ticket writes
 * the ticket and its service access in one round trip, and concurrent validations consume their
 * tickets in one.
 */
export class ItemBatches {
  readonly upsert: StatementBatcher<UpsertCall, void>;
  readonly find: StatementBatcher<ReadCall, string | undefined>;
  readonly consume: StatementBatcher<ReadCall, string | undefined>;

  constructor(db: PgRunner, sql: ItemQueries) {
    const upsert: BatchedStatement<UpsertCall, void> = {
      key: keyOf,
      async one(c) {
        await db.query(sql.upsert, [c.model, c.id, c.payload, c.expiresAt, c.groupId]);
      },
      async many(calls) {
        const sorted = sortedByKey(calls);
        await db.query(sql.upsertMany, [
          sorted.map((c) => c.model),
          sorted.map((c) => c.id),
          sorted.map((c) => c.payload),
          sorted.map((c) => c.expiresAt),
          sorted.map((c) => c.groupId),
        ]);
        return calls.map(() => undefined);
      },
    };
    const find: BatchedStatement<ReadCall, string | undefined> = {
      // Reads may share a batch: duplicates are asked once and answered from the same row.
      key: undefined,
      async one(c) {
        const { rows } = await db.query<{ payload: string }>(sql.find, [c.model, c.id, c.now]);
        return rows[0]?.payload;
      },
      async many(calls) {
        const distinct = [...new Map(calls.map((c) => [keyOf(c), c])).values()];
        const { rows } = await db.query<{ model: string; id: string; payload: string; expires_at: string }>(
          sql.findMany,
          [distinct.map((c) => c.model), distinct.map((c) => c.id)],
        );
        const found = new Map(rows.map((row) => [keyOf(row), row]));
        return calls.map((c) => {
          const row = found.get(keyOf(c));
          return row && Number(row.expires_at) > c.now ? row.payload : undefined;
        });
      },
    };
    const consume: BatchedStatement<ReadCall, string | undefined> = {
      key: keyOf,
      async one(c) {
        const { rows } = await db.query<{ payload: string }>(sql.consume, [c.model, c.id, c.now]);
        return rows[0]?.payload;
      },
      async many(calls) {
        const sorted = sortedByKey(calls);
        const { rows } = await db.query<{ model: string; id: string; payload: string }>(sql.consumeMany, [
          sorted.map((c) => c.model),
          sorted.map((c) => c.id),
          sorted.map((c) => c.now),
        ]);
        const taken = new Map(rows.map((row) => [keyOf(row), row.payload]));
        return calls.map((c) => taken.get(keyOf(c)));
      },
    };
    this.upsert = new StatementBatcher(upsert);
    this.find = new StatementBatcher(find);
    this.consume = new StatementBatcher(consume);
  }
}

export class PostgresModelStore<T> implements ModelStore<T> {
  readonly #model: ModelName;
  readonly #db: PgRunner;
  readonly #sql: ItemQueries;
  readonly #batches: ItemBatches;
  readonly #clock: Clock;

  constructor(model: ModelName, db: PgRunner, queries: ItemQueries, batches: ItemBatches, clock: Clock) {
    this.#model = model;
    this.#db = db;
    this.#sql = queries;
    this.#batches = batches;
    this.#clock = clock;
  }

  async upsert(id: string, payload: T, options: { expiresAt: number; groupId?: string }): Promise<void> {
    await this.#batches.upsert.run({
      model: this.#model,
      id,
      payload: JSON.stringify(payload),
      expiresAt: options.expiresAt,
      groupId: options.groupId ?? null,
    });
  }

  async find(id: string): Promise<T | undefined> {
    const payload = await this.#batches.find.run({ model: this.#model, id, now: this.#clock() });
    return payload === undefined ? undefined : JSON.parse(payload);
  }

  async consume(id: string): Promise<T | undefined> {
    const payload = await this.#batches.consume.run({ model: this.#model, id, now: this.#clock() });
    return payload === undefined ? undefined : JSON.parse(payload);
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
