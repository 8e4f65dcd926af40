import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { storageConfigSchema } from '../../src/storage/config.ts';
import type { RedisConfig } from '../../src/storage/redis/redis-client.ts';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { serverUnderTest } from './server-under-test.ts';

export const redisUrl = process.env.USHER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own per test run, so runs never see each other's data. */
export const testPrefix = `usher-test-${randomUUID()}:`;

export function redisConfig(overrides: Partial<RedisConfig> = {}): RedisConfig {
  return storageConfigSchema.parse({
    kind: 'redis',
    url: redisUrl,
    keyPrefix: testPrefix,
    ...overrides,
  }) as RedisConfig;
}

export function redisAvailable(): Promise<boolean> {
  return serverUnderTest('Redis', redisUrl, async () => {
    const storage = await openRedisStorage(redisConfig(), Date.now, silentLogger);
    await storage.close();
  });
}

/** Deletes every key of this run. */
export async function dropTestKeys(): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${testPrefix}*`, count: 1000 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    await redis.quit();
  }
}
