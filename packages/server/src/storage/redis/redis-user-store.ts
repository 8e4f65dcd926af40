import { byUsername } from '../ordering.ts';
import type { UserRecord, UserStore } from '../types.ts';
import { redisCall } from './redis-errors.ts';
import { type RedisClient, RedisScript } from './redis-script.ts';

/** KEYS: users hash. ARGV: username, JSON. */
const updateScript = new RedisScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

/** Users as JSON in one hash keyed by username. */
export class RedisUserStore implements UserStore {
  readonly #client: RedisClient;
  readonly #key: string;

  constructor(client: RedisClient, key: string) {
    this.#client = client;
    this.#key = key;
  }

  async find(username: string): Promise<UserRecord | undefined> {
    const json = await redisCall(() => this.#client.hget(this.#key, username));
    return json == null ? undefined : JSON.parse(json);
  }

  async create(user: UserRecord): Promise<boolean> {
    return (await redisCall(() => this.#client.hsetnx(this.#key, user.username, JSON.stringify(user)))) === 1;
  }

  async update(user: UserRecord): Promise<boolean> {
    const json = JSON.stringify(user);
    return (await redisCall(() => updateScript.run(this.#client, [this.#key], [user.username, json]))) === 1;
  }

  async remove(username: string): Promise<boolean> {
    return (await redisCall(() => this.#client.hdel(this.#key, username))) === 1;
  }

  async list(): Promise<UserRecord[]> {
    const values = await redisCall(() => this.#client.hvals(this.#key));
    return values.map((json) => JSON.parse(json) as UserRecord).sort(byUsername);
  }

  count(): Promise<number> {
    return redisCall(() => this.#client.hlen(this.#key));
  }
}
