import { after } from 'node:test';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';
import { dropTestKeys, redisAvailable, redisConfig } from './redis-server.ts';

if (await redisAvailable()) {
  after(dropTestKeys);
  runStorageConformance('redis', (clock) => openRedisStorage(redisConfig(), clock, silentLogger));
}
