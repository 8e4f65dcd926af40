import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Harness, uid } from './harness.ts';

const WINDOW = 60_000;

export function rateLimitCases({ each, pair }: Harness): void {
  describe('rate limits', () => {
    it(
      'counts hits per key within a window',
      each(async (storage) => {
        const [key, other] = [uid('login:alice'), uid('login:bob')];
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 1);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 2);
        assert.equal(await storage.rateLimits.hit(other, WINDOW), 1);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 3);
      }),
    );

    it(
      'starts again in the next window and after a reset',
      each(async (storage, clock) => {
        const key = uid('rest:10.0.0.1');
        clock.advance(WINDOW - (clock() % WINDOW) + WINDOW / 2);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 1);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 2);
        clock.advance(WINDOW / 2 - 1);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 3);
        clock.advance(1);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 1);
        await storage.rateLimits.reset(key);
        assert.equal(await storage.rateLimits.hit(key, WINDOW), 1);
        await storage.rateLimits.reset(uid('never-hit'));
      }),
    );

    it(
      'counts every concurrent hit, across instances too',
      pair(async (a, b) => {
        const key = uid('burst');
        const counts = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).rateLimits.hit(key, WINDOW)),
        );
        assert.deepEqual(
          counts.sort((x, y) => x - y),
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
      }),
    );
  });
}
