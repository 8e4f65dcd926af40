import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openRedisStorage } from '../../src/storage/redis/redis-storage.ts';
import { elapsed, failsFastAndRecovers } from './outage-scenarios.ts';
import { noUnhandledRejections, recordingLogger } from './recording-logger.ts';
import { dropTestKeys, redisAvailable, redisConfig, redisUrl } from './redis-server.ts';
import { eventually, withPort } from './server-under-test.ts';
import { closedPort, TcpProxy } from './tcp-proxy.ts';

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
      try {
        await failsFastAndRecovers('Redis', proxy, storage, logger);
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
