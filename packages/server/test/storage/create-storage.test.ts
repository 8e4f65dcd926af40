import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { storageConfigSchema } from '../../src/storage/config.ts';
import { createStorage } from '../../src/storage/create-storage.ts';
import { StorageUnavailableError } from '../../src/storage/types.ts';
import { postgresAvailable, postgresUrl } from './postgres-server.ts';
import { redisAvailable, redisUrl } from './redis-server.ts';

const clock = () => 1_700_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'usher-create-'));
const [redisUp, postgresUp] = [await redisAvailable(), await postgresAvailable()];
after(() => rmSync(dir, { recursive: true, force: true }));

describe('createStorage', () => {
  it('opens the memory backend', async () => {
    const storage = await createStorage({ kind: 'memory' }, { clock });
    assert.equal(storage.kind, 'memory');
    await storage.close();
  });

  it('opens the sqlite backend, creating missing directories', async () => {
    const storage = await createStorage({ kind: 'sqlite', path: join(dir, 'a', 'b', 'usher.db') }, { clock });
    assert.equal(storage.kind, 'sqlite');
    await storage.model('ticket').upsert('ST-1', 1, { expiresAt: clock() + 1 });
    assert.equal(await storage.model('ticket').find('ST-1'), 1);
    await storage.close();
  });

  it('names the refused connection when Redis or PostgreSQL is not there', async () => {
    const port = await closedPort();
    for (const config of [
      { kind: 'redis', url: `redis://127.0.0.1:${port}` },
      { kind: 'postgres', url: `postgres://postgres@127.0.0.1:${port}/test` },
    ] as const) {
      await assert.rejects(createStorage(config, { clock }), (error: Error) => {
        assert.ok(error instanceof StorageUnavailableError, `${config.kind}: ${error}`);
        assert.match(error.message, new RegExp(`unavailable: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
        return true;
      });
    }
  });

  it('refuses a Redis database or PostgreSQL database the server does not have, instead of using another', async (t) => {
    const redis = new URL(redisUrl);
    redis.pathname = '/99999';
    const postgres = new URL(postgresUrl);
    postgres.pathname = '/usher_no_such_database';
    const cases = [
      [redisUp, { kind: 'redis', url: redis.href }, /^Redis unavailable: ERR .*DB index is out of range/],
      [
        postgresUp,
        { kind: 'postgres', url: postgres.href },
        /^PostgreSQL refused the storage: .*"usher_no_such_database" does not exist/,
      ],
    ] as const;
    for (const [available, config, message] of cases) {
      if (!available) {
        t.diagnostic(`${config.kind} not reachable: not checked`);
        continue;
      }
      // A storage opened by mistake is closed, so that the failure shows instead of a hang.
      const refusal = await createStorage(config, { clock }).then(
        (storage) => storage.close(),
        (error: unknown) => error,
      );
      assert.ok(refusal instanceof StorageUnavailableError, `${config.kind}: ${refusal}`);
      assert.match(refusal.message, message);
    }
  });

  it('refuses an unknown model name', async () => {
    const storage = await createStorage({ kind: 'memory' }, { clock });
    assert.throws(() => storage.model('nope' as 'ticket'), TypeError);
  });
});

/** A loopback port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('storageConfigSchema', () => {
  it('applies defaults', () => {
    assert.deepEqual(storageConfigSchema.parse({ kind: 'redis' }), {
      kind: 'redis',
      keyPrefix: 'usher:',
      expiredRetentionMs: 3_600_000,
    });
    assert.deepEqual(storageConfigSchema.parse({ kind: 'postgres', url: 'postgres://db/usher' }), {
      kind: 'postgres',
      url: 'postgres://db/usher',
      schema: 'public',
      poolSize: 10,
      synchronousCommit: false,
    });
  });

  it('names the offending key', () => {
    const issues = (config: unknown) =>
      storageConfigSchema.safeParse(config).error?.issues.map((i) => [i.path.join('.'), i.message]);
    assert.deepEqual(issues({ kind: 'redis', sentinels: [{ host: 'a', port: 26379 }] }), [
      ['name', 'required with sentinels'],
    ]);
    assert.equal(issues({ kind: 'postgres', url: 'mysql://x' })?.[0]?.[0], 'url');
    assert.equal(issues({ kind: 'postgres', url: 'postgres://x', schema: 'a; drop' })?.[0]?.[0], 'schema');
    assert.equal(issues({ kind: 'sqlite' })?.[0]?.[0], 'path');
    assert.equal(issues({ kind: 'mongo' })?.[0]?.[0], 'kind');
  });

  it('passes TLS options through', () => {
    const parsed = storageConfigSchema.parse({
      kind: 'postgres',
      url: 'postgres://db/usher',
      ssl: { ca: 'PEM', rejectUnauthorized: true, minVersion: 'TLSv1.3' },
    });
    assert.deepEqual(parsed.kind === 'postgres' && parsed.ssl, {
      ca: 'PEM',
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    });
  });
});
