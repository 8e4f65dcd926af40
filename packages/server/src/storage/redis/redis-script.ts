import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { isReplyError } from './redis-errors.ts';

export type RedisClient = Redis | Cluster;

/** A Lua script run by hash, sent in full only when the server does not know it yet (after a restart). */
export class RedisScript {
  readonly #lua: string;
  readonly #sha: string;

  constructor(lua: string) {
    this.#lua = lua;
    this.#sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(isReplyError(error) && error.message.startsWith('NOSCRIPT'))) throw error;
      return client.eval(this.#lua, keys.length, ...keys, ...args);
    }
  }
}
