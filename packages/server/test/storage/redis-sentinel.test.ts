import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';
import {
  redisTopologySuite,
  replicasCaughtUp,
  sentinelMaster,
  startRedisSentinel,
  topologyConfig,
} from './redis-topology.ts';
import { eventually } from './server-under-test.ts';

// A private master, its replica and a Sentinel monitoring them, started for this file and gone after it.
redisTopologySuite(
  'redis sentinel',
  (processes) => startRedisSentinel(processes, { replicas: 1 }),
  (sentinel) => {
    runStorageConformance('redis sentinel', (clock) =>
      openRedisStorage(topologyConfig(sentinel()), clock, silentLogger),
    );

    // Last, since it kills the master the tests above use.
    it('follows Sentinel to the promoted replica when the master dies', { timeout: 60_000 }, async () => {
      const { master, replicas } = sentinel();
      const replica = replicas[0]!;
      const storage = await openRedisStorage(topologyConfig(sentinel()), Date.now, silentLogger);
      try {
        const tickets = storage.model('ticket');
        await tickets.upsert('ST-before-failover', 'payload', { expiresAt: Date.now() + 60_000 });
        await replicasCaughtUp(sentinel());

        await master.kill();
        await eventually(
          async () => assert.equal(await sentinelMaster(sentinel()), `${replica.host}:${replica.port}`),
          20_000,
        );
        assert.equal(await eventually(() => tickets.find('ST-before-failover'), 20_000), 'payload');
        assert.equal(await tickets.consume('ST-before-failover'), 'payload');
        await tickets.upsert('ST-after-failover', 'later', { expiresAt: Date.now() + 60_000 });

        const reopened = await openRedisStorage(topologyConfig(sentinel()), Date.now, silentLogger);
        try {
          assert.equal(await reopened.model('ticket').find('ST-after-failover'), 'later');
          assert.equal(await reopened.model('ticket').find('ST-before-failover'), undefined);
        } finally {
          await reopened.close();
        }
      } finally {
        await storage.close();
      }
    });
  },
);
