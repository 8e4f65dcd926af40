import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Harness, uid } from './harness.ts';

export function sweepCases({ each }: Harness): void {
  describe('sweep and lifecycle', () => {
    it(
      'physically removes expired items of every model and keeps live ones',
      each(async (storage, clock) => {
        const live = uid('live');
        await storage.model('ticket').upsert(uid('ST'), 1, { expiresAt: clock() + 10 });
        await storage.model('session').upsert(uid('TGT'), 2, { expiresAt: clock() + 10, groupId: uid('g') });
        await storage.model('loginToken').upsert(uid('LT'), 3, { expiresAt: clock() + 10 });
        await storage.model('session').upsert(live, 4, { expiresAt: clock() + 60_000 });
        await storage.rateLimits.hit(uid('key'), 5);
        clock.advance(10);
        assert.equal(await storage.sweep(), 3);
        assert.equal(await storage.sweep(), 0);
        assert.deepEqual(await storage.model('session').takeExpired(10), []);
        assert.equal(await storage.model('session').find(live), 4);
      }),
    );

    it(
      'answers ping',
      each(async (storage) => {
        await storage.ping();
      }),
    );
  });
}
