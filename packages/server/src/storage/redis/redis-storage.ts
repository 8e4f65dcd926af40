import { MODEL_NAMES, storesByModel } from '../model-names.ts';
import type { StorageLogger } from '../storage-logger.ts';
import type { Clock, ModelName, ModelStore, Storage } from '../types.ts';
import { createRedisClient, type RedisConfig } from './redis-client.ts';
import { isReplyError, redisCall, redisUnavailable } from './redis-errors.ts';
import { RedisKeys } from './redis-keys.ts';
import { RedisModelStore } from './redis-model-store.ts';
import { RedisOutboxStore } from './redis-outbox-store.ts';
import { RedisRateLimitStore } from './redis-rate-limit-store.ts';
import { RedisUserStore } from './redis-user-store.ts';

const SWEEP_BATCH = 1000;

/**
 * Storage in Redis (standalone, Sentinel or Cluster). Atomic operations are Lua scripts. Items also carry
 * a Redis TTL (expiry plus `expiredRetentionMs`) as a safety net, but `sweep()` should still run
 * periodically: it removes expired items promptly, together with their index entries.
 * Rejects with StorageUnavailableError when Redis cannot be reached.
 */
export async function openRedisStorage(
  config: RedisConfig,
  clock: Clock,
  logger: StorageLogger,
): Promise<Storage> {
  const client = createRedisClient(config, logger);
  // When the first command fails, ioredis reports its retry limit; the connection error says why.
  let connectionError: Error | undefined;
  const recordError = (error: Error) => {
    connectionError = error;
  };
  client.on('error', recordError);
  try {
    await redisCall(() => client.ping());
    // A set-up command the server refused (SELECT of a database it does not have) leaves ioredis
    // connected to another database: refuse to start rather than use it.
    if (connectionError && isReplyError(connectionError)) throw redisUnavailable(connectionError);
  } catch (error) {
    client.disconnect();
    throw connectionError ? redisUnavailable(connectionError) : error;
  } finally {
    client.off('error', recordError);
  }

  const keys = new RedisKeys(config.keyPrefix);
  const context = { client, keys, clock, retentionMs: config.expiredRetentionMs };
  const models = storesByModel((name) => new RedisModelStore<unknown>(name, context));

  return {
    kind: 'redis',
    model: <T>(name: ModelName) => models.get(name) as ModelStore<T>,
    users: new RedisUserStore(client, keys.users()),
    outbox: new RedisOutboxStore(client, keys, clock),
    rateLimits: new RedisRateLimitStore(client, keys, clock),
    async sweep() {
      let removed = 0;
      for (const model of MODEL_NAMES) {
        let batch: { removed: number; scanned: number };
        do {
          batch = await (models.get(model) as RedisModelStore<unknown>).sweep(SWEEP_BATCH);
          removed += batch.removed;
        } while (batch.scanned === SWEEP_BATCH);
      }
      return removed;
    },
    async ping() {
      await redisCall(() => client.ping());
    },
    async close() {
      await redisCall(() => client.quit()).catch(() => client.disconnect());
    },
  };
}
