import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CasStore, MemoryCasStore, RedisCasStore } from '../src/index.ts';
import { connectRedis } from './support/redis.ts';

/** The CasStore contract, run against every implementation. */
function runStoreSuite(name: string, create: () => CasStore, options: { skip?: boolean } = {}): void {
  describe(`CasStore: ${name}`, () => {
    const t = (title: string, fn: (store: CasStore) => Promise<void>) =>
      test(title, { skip: options.skip === true }, () => fn(create()));

    t('set then get, replace, delete', async (store) => {
      await store.set('k', 'v1', 10_000);
      assert.equal(await store.get('k'), 'v1');
      await store.set('k', 'v2', 10_000);
      assert.equal(await store.get('k'), 'v2');
      await store.delete('k');
      assert.equal(await store.get('k'), undefined);
    });

    t('add only stores when absent', async (store) => {
      assert.equal(await store.add('k', 'first', 10_000), true);
      assert.equal(await store.add('k', 'second', 10_000), false);
      assert.equal(await store.get('k'), 'first');
    });

    t('take returns the value once, even to concurrent callers', async (store) => {
      await store.set('k', 'v', 10_000);
      const taken = await Promise.all(Array.from({ length: 10 }, () => store.take('k')));
      assert.deepEqual(
        taken.filter((v) => v !== undefined),
        ['v'],
      );
      assert.equal(await store.get('k'), undefined);
    });

    t('values expire, and an expired key can be added again', async (store) => {
      await store.set('short', 'v', 30);
      await sleep(80);
      assert.equal(await store.get('short'), undefined);
      assert.equal(await store.take('short'), undefined);
      assert.equal(await store.add('short', 'again', 10_000), true);
    });

    t('missing keys', async (store) => {
      assert.equal(await store.get('missing'), undefined);
      assert.equal(await store.take('missing'), undefined);
      await store.delete('missing');
    });
  });
}

runStoreSuite('memory', () => new MemoryCasStore());

const redis = await connectRedis();
after(() => redis?.disconnect());
runStoreSuite('redis', () => new RedisCasStore(redis!, { keyPrefix: `usher:test:${randomUUID()}:` }), {
  skip: redis === undefined,
});

describe('MemoryCasStore bounds', () => {
  test('past maxEntries, expired entries go first, then the oldest', async () => {
    let now = 0;
    const store = new MemoryCasStore({ maxEntries: 3, clock: () => now });
    await store.set('expiring', 'x', 10);
    await store.set('a', 'a', 1_000);
    await store.set('b', 'b', 1_000);
    now = 20;
    await store.set('c', 'c', 1_000);
    assert.equal(store.size, 3);
    assert.equal(await store.get('a'), 'a');
    await store.set('d', 'd', 1_000);
    assert.equal(store.size, 3);
    assert.equal(await store.get('a'), undefined);
    assert.equal(await store.get('d'), 'd');
  });
});
