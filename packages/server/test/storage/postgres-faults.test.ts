import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openPostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { elapsed, failsFastAndRecovers } from './outage-scenarios.ts';
import { dropSchema, postgresAvailable, postgresConfig, postgresUrl, testSchema } from './postgres-server.ts';
import { noUnhandledRejections, recordingLogger } from './recording-logger.ts';
import { eventually, withPort } from './server-under-test.ts';
import { closedPort, TcpProxy } from './tcp-proxy.ts';

describe('postgres outages', () => {
  it('rejects promptly when nothing listens', async () => {
    const url = withPort(postgresUrl, await closedPort());
    const leaked = await noUnhandledRejections(async () => {
      assert.ok(
        (await elapsed(openPostgresStorage(postgresConfig({ url }), Date.now, recordingLogger()))) < 4000,
      );
    });
    assert.deepEqual(leaked, []);
  });
});

if (await postgresAvailable()) {
  after(() => dropSchema(testSchema));
  const target = new URL(postgresUrl);
  const proxyTo = () => TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });

  describe('postgres outages against a real server', () => {
    it('fails fast while PostgreSQL is down and recovers when it is back', async () => {
      const proxy = await proxyTo();
      const logger = recordingLogger();
      const url = withPort(postgresUrl, proxy.port);
      const storage = await openPostgresStorage(postgresConfig({ url }), Date.now, logger);
      try {
        await failsFastAndRecovers('PostgreSQL', proxy, storage, logger);
      } finally {
        await storage.close();
        await proxy.down();
      }
    });

    it('gives up on a connection that stops answering', async () => {
      const proxy = await proxyTo();
      const url = withPort(postgresUrl, proxy.port);
      const storage = await openPostgresStorage(postgresConfig({ url }), Date.now, recordingLogger());
      try {
        await storage.model('session').find('TGT-frozen'); // a connection open and idle in the pool
        proxy.freeze();
        assert.ok((await elapsed(storage.model('session').find('TGT-frozen'))) < 7000);
        await proxy.up();
        assert.equal(await eventually(() => storage.model('session').find('TGT-frozen'), 10_000), undefined);
      } finally {
        await storage.close();
        await proxy.down();
      }
    });
  });
}
