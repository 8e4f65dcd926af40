import { randomUUID } from 'node:crypto';
import { after, it } from 'node:test';
import { Cluster } from 'ioredis';
import { storageConfigSchema } from '../../src/storage/config.ts';
import type { RedisConfig } from '../../src/storage/redis/redis-client.ts';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';

// Needs a Redis Cluster, named by its seed nodes: USHER_TEST_REDIS_CLUSTER=127.0.0.1:7000,127.0.0.1:7001
const seeds = process.env.USHER_TEST_REDIS_CLUSTER;

if (seeds) {
  const cluster = seeds.split(',').map((seed) => {
    const [host = '127.0.0.1', port = '6379'] = seed.trim().split(':');
    return { host, port: Number(port) };
  });
  const keyPrefix = `usher-test-${randomUUID()}:`;
  const config = storageConfigSchema.parse({ kind: 'redis', cluster, keyPrefix }) as RedisConfig;

  after(async () => {
    // Every key shares the {usher} hash tag, so one node holds them all.
    const client = new Cluster(cluster);
    try {
      await client.ping();
      for (const node of client.nodes('master')) {
        for await (const keys of node.scanStream({ match: `${keyPrefix}*`, count: 1000 })) {
          if ((keys as string[]).length > 0) await node.del(...(keys as string[]));
        }
      }
    } finally {
      await client.quit();
    }
  });
  runStorageConformance('redis cluster', (clock) => openRedisStorage(config, clock, silentLogger));
} else {
  it('redis cluster conformance', { skip: 'set USHER_TEST_REDIS_CLUSTER=host:port,... to run' }, () => {});
}
