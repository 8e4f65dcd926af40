import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { silentLogger } from '../../src/storage/storage-logger.ts';
import { runStorageConformance } from './conformance.ts';
import { dropTestKeys, redisAvailable, redisConfig } from './redis-server.ts';
import { redisCli, redisTopologySuite } from './redis-topology.ts';

if (await redisAvailable()) {
  after(dropTestKeys);
  runStorageConformance('redis', (clock) => openRedisStorage(redisConfig(), clock, silentLogger));
}

/** A standalone server on this host only, without persistence. */
const serverArgs = (port: number) => [
  '--port',
  `${port}`,
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
];

// A private server, so that flushing its script cache or counting its reads disturbs nobody else.
redisTopologySuite(
  'redis on a private server',
  (processes) => processes.server(serverArgs),
  (server) => {
    const openPrivate = () => {
      const { host, port } = server();
      return openRedisStorage(redisConfig({ url: `redis://${host}:${port}` }), Date.now, silentLogger);
    };

    it('runs its scripts again when the server has forgotten them, also for commands sent in one write', async () => {
      const { port } = server();
      const storage = await openPrivate();
      try {
        const tickets = storage.model<number>('ticket');
        const ids = Array.from({ length: 20 }, (_, i) => `ST-script-${i}`);
        const expiresAt = Date.now() + 60_000;
        await Promise.all(ids.map((id, i) => tickets.upsert(id, i, { expiresAt, groupId: 'TGT-script' })));
        assert.equal(await redisCli(port, 'script', 'flush'), 'OK');
        // Concurrent calls go out in one write; every one of them gets NOSCRIPT and retries with the script.
        const results = await Promise.all(ids.flatMap((id) => [tickets.consume(id), tickets.consume(id)]));
        assert.deepEqual(
          results.filter((r) => r !== undefined).sort((a, b) => a - b),
          ids.map((_, i) => i),
        );
        assert.deepEqual(await tickets.findByGroup('TGT-script'), []);
      } finally {
        await storage.close();
      }
    });

    it('sends the commands issued in one turn in one write', async () => {
      const { port } = server();
      const storage = await openPrivate();
      try {
        const reads = async () =>
          Number(/total_reads_processed:(\d+)/.exec(await redisCli(port, 'info', 'stats'))?.[1]);
        await storage.ping();
        const before = await reads();
        const sessions = storage.model('session');
        await Promise.all(Array.from({ length: 20 }, (_, i) => sessions.find(`TGT-${i}`)));
        // 20 commands in one read, plus the read of the second INFO; without coalescing 21.
        assert.ok((await reads()) - before <= 3);
      } finally {
        await storage.close();
      }
    });
  },
);
