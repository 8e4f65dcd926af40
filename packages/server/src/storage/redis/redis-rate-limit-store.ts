import { windowStart } from '../rate-limit-window.ts';
import type { Clock, RateLimitStore } from '../types.ts';
import { redisCall } from './redis-errors.ts';
import type { RedisKeys } from './redis-keys.ts';
import { type RedisClient, RedisScript } from './redis-script.ts';

/**
 * KEYS: counter. ARGV: window start, ttlMs. The window comes from the caller's clock, not from Redis TTL,
 * so counts agree with the other backends; the TTL only reclaims memory. A counter from a later window
 * (a node whose clock runs ahead) is counted into, not reset.
 */
const hitScript = new RedisScript(`
local w = tonumber(redis.call('HGET', KEYS[1], 'w'))
if w and w >= tonumber(ARGV[1]) then return redis.call('HINCRBY', KEYS[1], 'c', 1) end
redis.call('HSET', KEYS[1], 'w', ARGV[1], 'c', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowMs: number): Promise<number> {
    const start = windowStart(this.clock(), windowMs);
    const ttl = Math.max(1, Math.ceil(windowMs));
    return (await redisCall(() =>
      hitScript.run(this.client, [this.keys.rateLimit(key)], [start, ttl]),
    )) as number;
  }

  async reset(key: string): Promise<void> {
    await redisCall(() => this.client.del(this.keys.rateLimit(key)));
  }
}
