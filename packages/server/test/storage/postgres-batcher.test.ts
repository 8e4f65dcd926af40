import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchedStatement, StatementBatcher } from '../../src/storage/postgres/statement-batcher.ts';
import { StorageUnavailableError } from '../../src/storage/types.ts';

// The batcher of the PostgreSQL adapter against a scripted statement: what goes out together, in which
// order, and how failures reach the callers. The adapter itself is tested against a real server in
// postgres.test.ts.

interface Item {
  key: string;
  value: string;
}

/** A statement that records its batches and answers each item with `<value>!`, once released. */
function recorder(options: { keyed?: boolean; fail?: (items: Item[]) => Error | undefined } = {}) {
  const batches: string[][] = [];
  const gates: (() => void)[] = [];
  let hold = false;
  const gate = () => (hold ? new Promise<void>((resolve) => gates.push(resolve)) : Promise.resolve());
  const statement: BatchedStatement<Item, string> = {
    key: options.keyed === false ? undefined : (item) => item.key,
    async one(item) {
      batches.push([`one:${item.value}`]);
      await gate();
      const error = options.fail?.([item]);
      if (error) throw error;
      return `${item.value}!`;
    },
    async many(items) {
      batches.push(items.map((item) => item.value));
      await gate();
      const error = options.fail?.(items);
      if (error) throw error;
      return items.map((item) => `${item.value}!`);
    },
  };
  return {
    statement,
    batches,
    /** Makes later statements wait for release(). */
    hold() {
      hold = true;
    },
    release() {
      hold = false;
      for (const open of gates.splice(0)) open();
    },
  };
}

const item = (key: string, value = key): Item => ({ key, value });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('postgres statement batcher', () => {
  it('runs a lone call as a single-row statement', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.statement);
    assert.equal(await batcher.run(item('a')), 'a!');
    assert.deepEqual(r.batches, [['one:a']]);
  });

  it('sends the calls made in one turn as one statement, answering each its own', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.statement);
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((k) => batcher.run(item(k))));
    assert.deepEqual(results, ['a!', 'b!', 'c!', 'd!']);
    assert.deepEqual(r.batches, [['a', 'b', 'c', 'd']]);
  });

  it('keeps at most two batches on the wire; the calls behind them go out together', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.statement);
    r.hold();
    const first = batcher.run(item('a'));
    await turn();
    const second = batcher.run(item('b'));
    await turn();
    const rest = ['c', 'd', 'e'].map((k) => batcher.run(item(k)));
    await turn();
    assert.deepEqual(r.batches, [['one:a'], ['one:b']]);
    r.release();
    assert.deepEqual(await Promise.all([first, second, ...rest]), ['a!', 'b!', 'c!', 'd!', 'e!']);
    assert.deepEqual(r.batches, [['one:a'], ['one:b'], ['c', 'd', 'e']]);
  });

  it('never sends two calls of one key together or at the same time, and keeps their order', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.statement);
    const results = await Promise.all([
      batcher.run(item('x', 'x1')),
      batcher.run(item('y', 'y1')),
      batcher.run(item('x', 'x2')),
      batcher.run(item('z', 'z1')),
      batcher.run(item('x', 'x3')),
    ]);
    assert.deepEqual(results, ['x1!', 'y1!', 'x2!', 'z1!', 'x3!']);
    // z1 may not overtake x2 (it is not behind it), but x2 waits for x1 and x3 for x2.
    assert.deepEqual(r.batches, [['x1', 'y1', 'z1'], ['one:x2'], ['one:x3']]);
  });

  it('lets reads without a key share a batch', async () => {
    const r = recorder({ keyed: false });
    const batcher = new StatementBatcher(r.statement);
    const results = await Promise.all(['s', 's', 's'].map((k) => batcher.run(item(k))));
    assert.deepEqual(results, ['s!', 's!', 's!']);
    assert.deepEqual(r.batches, [['s', 's', 's']]);
  });

  it('retries each call alone when a batch fails for a reason of its own, so only the bad one fails', async () => {
    const bad = new Error('invalid byte sequence');
    const r = recorder({ fail: (items) => (items.some((i) => i.value === 'bad') ? bad : undefined) });
    const batcher = new StatementBatcher(r.statement);
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((k) => batcher.run(item(k))));
    assert.deepEqual(results, [
      { status: 'fulfilled', value: 'a!' },
      { status: 'rejected', reason: bad },
      { status: 'fulfilled', value: 'c!' },
    ]);
    assert.deepEqual(r.batches, [['a', 'bad', 'c'], ['one:a'], ['one:bad'], ['one:c']]);
  });

  it('fails every call of a batch when PostgreSQL is unavailable, without retrying, and serves later calls', async () => {
    let down = true;
    const outage = new StorageUnavailableError('PostgreSQL unavailable: connection refused');
    const r = recorder({ fail: () => (down ? outage : undefined) });
    const batcher = new StatementBatcher(r.statement);
    const results = await Promise.allSettled(['a', 'b'].map((k) => batcher.run(item(k))));
    assert.deepEqual(results, [
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
    assert.deepEqual(r.batches, [['a', 'b']]);
    down = false;
    assert.deepEqual(await Promise.all(['a', 'b'].map((k) => batcher.run(item(k)))), ['a!', 'b!']);
  });

  it('splits a burst into statements of at most 256 calls', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.statement);
    const keys = Array.from({ length: 600 }, (_, i) => `k${i}`);
    const results = await Promise.all(keys.map((k) => batcher.run(item(k))));
    assert.deepEqual(
      results,
      keys.map((k) => `${k}!`),
    );
    assert.deepEqual(
      r.batches.map((b) => b.length),
      [256, 256, 88],
    );
  });
});
