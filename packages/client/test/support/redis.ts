import { Redis } from 'ioredis';

/**
 * A Redis client for the tests, or undefined (tests skip) when no server answers at REDIS_URL (default
 * redis://127.0.0.1:6379). With CI=true a missing Redis fails instead of skipping.
 */
export async function connectRedis(): Promise<Redis | undefined> {
  const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    if (process.env['CI'] === 'true')
      throw new Error(`CI=true but Redis at ${url} is unreachable`, { cause: error });
    return undefined;
  }
}
