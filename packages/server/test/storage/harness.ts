import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { Clock, Storage } from '../../src/storage/types.ts';
import { type TestClock, testClock } from './test-clock.ts';

export type StorageFactory = (clock: Clock) => Promise<Storage>;

export interface Harness {
  /** A test body run with a fresh clock and storage, closed afterwards. */
  each(body: (storage: Storage, clock: TestClock) => Promise<void>): () => Promise<void>;
  /**
   * Same with a second instance over the same data (another connection, as another node would have);
   * skipped for the memory backend, whose instances share nothing.
   */
  pair(body: (a: Storage, b: Storage, clock: TestClock) => Promise<void>): (t: TestContext) => Promise<void>;
}

export function harness(factory: StorageFactory): Harness {
  return {
    each: (body) => async () => {
      const clock = testClock();
      const storage = await factory(clock);
      try {
        await body(storage, clock);
      } finally {
        await storage.close();
      }
    },
    pair: (body) => async (t) => {
      const clock = testClock();
      const a = await factory(clock);
      try {
        if (a.kind === 'memory') return t.skip('memory instances share nothing');
        const b = await factory(clock);
        try {
          await body(a, b, clock);
        } finally {
          await b.close();
        }
      } finally {
        await a.close();
      }
    },
  };
}

/** An id no other test (or earlier run on the same backend) uses. */
export function uid(label = 'id'): string {
  return `${label}-${randomUUID()}`;
}
