import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { StorageUnavailableError } from '../../src/storage/types.ts';
import { noUnhandledRejections, recordingLogger } from './recording-logger.ts';
import { dropTestKeys, redisAvailable, redisConfig, redisUrl } from './redis-server.ts';
import { eventually, withPort } from './server-under-test.ts';
import { closedPort, TcpProxy } from './tcp-proxy.ts';

async function elapsed(work: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await assert.rejects(work, StorageUnavailableError);
  return Date.now() - started;
}

describe('redis outages', () => {
  it('rejects promptly when nothing listens', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const leaked = await noUnhandledRejections(async () => {
      assert.ok((await elapsed(openRedisStorage(redisConfig({ url }), Date.now, recordingLogger()))) < 4000);
    });
    assert.deepEqual(leaked, []);
  });
});

if (await redisAvailable()) {
  after(dropTestKeys);
  const target = new URL(redisUrl);

  describe('redis outages against a real server', () => {
    it('fails fast while Redis is down and recovers when it is back', async () => {
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
      const logger = recordingLogger();
      const storage = await openRedisStorage(
        redisConfig({ url: withPort(redisUrl, proxy.port) }),
        Date.now,
        logger,
      );
      const tickets = storage.model('ticket');
      try {
        const leaked = await noUnhandledRejections(async () => {
          await tickets.upsert('ST-outage', 'payload', { expiresAt: Date.now() + 60_000 });
          await proxy.down();
          assert.ok((await elapsed(tickets.find('ST-outage'))) < 4000);
          assert.ok((await elapsed(storage.ping())) < 4000);
          await proxy.up();
          assert.equal(await eventually(() => tickets.find('ST-outage'), 10_000), 'payload');
        });
        assert.deepEqual(leaked, []);
        assert.deepEqual(logger.messages, [
          'warn: Redis unavailable; storage calls fail until it is back',
          'info: Redis connection restored',
        ]);
      } finally {
        await storage.close();
        await proxy.down();
      }
    });

    it('gives up on a connection that stops answering', async () => {
      const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
      const storage = await openRedisStorage(
        redisConfig({ url: withPort(redisUrl, proxy.port) }),
        Date.now,
        recordingLogger(),
      );
      try {
        proxy.freeze();
        assert.ok((await elapsed(storage.model('session').find('TGT-frozen'))) < 6000);
        await proxy.up();
        assert.equal(await eventually(() => storage.model('session').find('TGT-frozen'), 10_000), undefined);
      } finally {
        await storage.close();
        await proxy.down();
      }
    });
  });
}
