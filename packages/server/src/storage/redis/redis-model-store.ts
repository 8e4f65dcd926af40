import type { Clock, ModelName, ModelStore, StoredItem } from '../types.ts';
import {
  consumeScript,
  destroyByGroupScript,
  destroyScript,
  findByGroupScript,
  takeExpiredScript,
  upsertScript,
} from './model-scripts.ts';
import { redisCall } from './redis-errors.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { RedisClient } from './redis-script.ts';

export interface RedisModelContext {
  client: RedisClient;
  keys: RedisKeys;
  clock: Clock;
  /** How long Redis keeps an expired item for takeExpired before dropping it by TTL. */
  retentionMs: number;
}

export class RedisModelStore<T> implements ModelStore<T> {
  readonly #model: ModelName;
  readonly #ctx: RedisModelContext;

  constructor(model: ModelName, context: RedisModelContext) {
    this.#model = model;
    this.#ctx = context;
  }

  async upsert(id: string, payload: T, options: { expiresAt: number; groupId?: string }): Promise<void> {
    const { client, keys, clock, retentionMs } = this.#ctx;
    const now = clock();
    const ttl = Math.max(1, Math.ceil(options.expiresAt - now)) + retentionMs;
    const args = [id, JSON.stringify(payload), options.expiresAt, options.groupId ?? '', ttl];
    await redisCall(() =>
      upsertScript.run(
        client,
        [this.#itemKey(id), keys.expiry(this.#model)],
        [...args, keys.group(this.#model), now - retentionMs],
      ),
    );
  }

  async find(id: string): Promise<T | undefined> {
    const [payload, expiresAt] = await redisCall(() => this.#ctx.client.hmget(this.#itemKey(id), 'p', 'e'));
    return payload != null && Number(expiresAt) > this.#ctx.clock() ? JSON.parse(payload) : undefined;
  }

  async consume(id: string): Promise<T | undefined> {
    const { client, keys, clock } = this.#ctx;
    const payload = await redisCall(() =>
      consumeScript.run(
        client,
        [this.#itemKey(id), keys.expiry(this.#model)],
        [id, clock(), keys.group(this.#model)],
      ),
    );
    return typeof payload === 'string' ? JSON.parse(payload) : undefined;
  }

  async destroy(id: string): Promise<void> {
    const { client, keys } = this.#ctx;
    await redisCall(() =>
      destroyScript.run(client, [this.#itemKey(id), keys.expiry(this.#model)], [id, keys.group(this.#model)]),
    );
  }

  async findByGroup(groupId: string): Promise<StoredItem<T>[]> {
    const { client, keys, clock } = this.#ctx;
    const flat = (await redisCall(() =>
      findByGroupScript.run(client, [this.#groupKey(groupId)], [clock(), keys.item(this.#model), groupId]),
    )) as string[];
    const items: StoredItem<T>[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      items.push({
        id: flat[i]!,
        payload: JSON.parse(flat[i + 1]!),
        expiresAt: Number(flat[i + 2]),
        groupId,
      });
    }
    return items;
  }

  async destroyByGroup(groupId: string): Promise<number> {
    const { client, keys } = this.#ctx;
    return (await redisCall(() =>
      destroyByGroupScript.run(
        client,
        [this.#groupKey(groupId), keys.expiry(this.#model)],
        [keys.item(this.#model), groupId],
      ),
    )) as number;
  }

  async takeExpired(limit: number): Promise<StoredItem<T>[]> {
    const flat = (await this.#takeExpired(limit, true)) as string[];
    const items: StoredItem<T>[] = [];
    for (let i = 0; i < flat.length; i += 4) {
      const item: StoredItem<T> = {
        id: flat[i]!,
        payload: JSON.parse(flat[i + 1]!),
        expiresAt: Number(flat[i + 2]),
      };
      if (flat[i + 3]) item.groupId = flat[i + 3];
      items.push(item);
    }
    return items;
  }

  /** Deletes up to `limit` expired items; returns how many existed and how many entries were scanned. */
  async sweep(limit: number): Promise<{ removed: number; scanned: number }> {
    const [removed, scanned] = (await this.#takeExpired(limit, false)) as [number, number];
    return { removed, scanned };
  }

  #takeExpired(limit: number, withItems: boolean): Promise<unknown> {
    const { client, keys, clock } = this.#ctx;
    const args = [clock(), limit, keys.item(this.#model), keys.group(this.#model), withItems ? '1' : '0'];
    return redisCall(() => takeExpiredScript.run(client, [keys.expiry(this.#model)], args));
  }

  #itemKey(id: string): string {
    return this.#ctx.keys.item(this.#model) + id;
  }

  #groupKey(groupId: string): string {
    return this.#ctx.keys.group(this.#model) + groupId;
  }
}
