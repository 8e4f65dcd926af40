import type { ModelName } from '../types.ts';

/**
 * Key layout. Every key carries the same `{usher}` hash tag, so in Redis Cluster all of them live in one
 * slot and each Lua script may touch any of them (scripts build item keys from ids they read).
 */
export class RedisKeys {
  readonly #base: string;

  constructor(keyPrefix: string) {
    this.#base = `${keyPrefix}{usher}:`;
  }

  /** Prefix of the hash holding one item of `model` (fields p = payload JSON, e = expiresAt, g = groupId). */
  item(model: ModelName): string {
    return `${this.#base}m:${model}:`;
  }

  /** Sorted set of a model's item ids scored by expiresAt. */
  expiry(model: ModelName): string {
    return `${this.#base}x:${model}`;
  }

  /** Prefix of the set of item ids of one group. */
  group(model: ModelName): string {
    return `${this.#base}g:${model}:`;
  }

  /** Hash of username → user JSON. */
  users(): string {
    return `${this.#base}users`;
  }

  /** Prefix of the hash holding one outbox message. */
  outboxMessage(): string {
    return `${this.#base}o:m:`;
  }

  /** Sorted set of outbox ids in a status: pending scored by nextAttemptAt, the others by createdAt. */
  outboxStatus(status: string): string {
    return `${this.#base}o:${status}`;
  }

  /** Hash holding one rate-limit counter (fields w = window start, c = count). */
  rateLimit(key: string): string {
    return `${this.#base}r:${key}`;
  }
}
