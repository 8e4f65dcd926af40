import type { CasStore } from './cas-store.ts';

/** The subset of an ioredis client this store uses (GETDEL needs Redis 6.2 or later). */
export interface RedisLike {
  set(key: string, value: string, px: 'PX', ttlMs: number): Promise<unknown>;
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): Promise<unknown>;
  get(key: string): Promise<string | null>;
  getdel(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
}

export interface RedisCasStoreOptions {
  /** Prepended to every key; default `usher:client:`. */
  keyPrefix?: string;
}

/** Shared store for several processes or nodes; expiry is Redis's own (`PX`). */
export class RedisCasStore implements CasStore {
  readonly #redis: RedisLike;
  readonly #prefix: string;

  constructor(redis: RedisLike, options: RedisCasStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.keyPrefix ?? 'usher:client:';
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#prefix + key, value, 'PX', redisTtl(ttlMs));
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(this.#prefix + key, value, 'PX', redisTtl(ttlMs), 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#prefix + key)) ?? undefined;
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.#redis.getdel(this.#prefix + key)) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}

/** Redis refuses a PX of 0 or a fraction. */
function redisTtl(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
