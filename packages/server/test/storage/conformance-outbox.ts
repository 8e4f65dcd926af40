import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboxMessage, Storage } from '../../src/storage/types.ts';
import { type Harness, uid } from './harness.ts';

const LEASE = 30_000;

function message(now: number, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  const id = uid('slo');
  return {
    id,
    url: 'https://app.example.org/logout?x=1&é=ü',
    body: `logoutRequest=${encodeURIComponent('<samlp:LogoutRequest ID="' + id + '"/>')}`,
    sessionIndex: uid('ST'),
    service: 'https://app.example.org/',
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    ...overrides,
  };
}

/** Only the messages of this test: others may share the backend. */
async function listed(storage: Storage, ids: string[], status?: OutboxMessage['status']) {
  return (await storage.outbox.list(status)).filter((m) => ids.includes(m.id));
}

const ids = (messages: OutboxMessage[]) => messages.map((m) => m.id).sort();

export function outboxCases({ each, pair }: Harness): void {
  describe('outbox', () => {
    it(
      'lists enqueued messages, oldest first, ignoring a repeated id',
      each(async (storage, clock) => {
        const first = message(clock());
        const second = message(clock() + 1);
        await storage.outbox.enqueue([second, first]);
        await storage.outbox.enqueue([{ ...first, url: 'https://other/' }]);
        await storage.outbox.enqueue([]);
        assert.deepEqual(await listed(storage, [first.id, second.id]), [first, second]);
        assert.deepEqual(await listed(storage, [first.id, second.id], 'pending'), [first, second]);
        assert.deepEqual(await listed(storage, [first.id], 'delivered'), []);
      }),
    );

    it(
      'leases due messages so a second claim gets nothing until the lease ends',
      each(async (storage, clock) => {
        const due = [message(clock() - 5), message(clock())];
        const later = message(clock(), { nextAttemptAt: clock() + 1000 });
        await storage.outbox.enqueue([...due, later]);
        const claimed = await storage.outbox.claimDue(10, LEASE);
        assert.deepEqual(ids(claimed), ids(due));
        for (const m of claimed) assert.equal(m.nextAttemptAt, clock() + LEASE);
        assert.deepEqual(await storage.outbox.claimDue(10, LEASE), []);
        clock.advance(1000);
        assert.deepEqual(ids(await storage.outbox.claimDue(10, LEASE)), [later.id]);
        clock.advance(LEASE - 1000);
        assert.deepEqual(ids(await storage.outbox.claimDue(10, LEASE)), ids(due));
      }),
    );

    it(
      'claims at most the limit, earliest due first',
      each(async (storage, clock) => {
        const messages = [2, 0, 3, 1].map((n) => message(clock() - 10 + n));
        await storage.outbox.enqueue(messages);
        const claimed = await storage.outbox.claimDue(2, LEASE);
        assert.deepEqual(ids(claimed), ids([messages[1]!, messages[3]!]));
        assert.equal((await storage.outbox.claimDue(10, LEASE)).length, 2);
      }),
    );

    it(
      'records delivery',
      each(async (storage, clock) => {
        const m = message(clock());
        await storage.outbox.enqueue([m]);
        await storage.outbox.claimDue(10, LEASE);
        await storage.outbox.markDelivered(m.id);
        const [stored] = await listed(storage, [m.id], 'delivered');
        assert.equal(stored?.status, 'delivered');
        assert.equal(stored?.attempts, 1);
        assert.deepEqual(await listed(storage, [m.id], 'pending'), []);
        clock.advance(LEASE);
        assert.deepEqual(await storage.outbox.claimDue(10, LEASE), []);
        await storage.outbox.markDelivered(uid('missing'));
      }),
    );

    it(
      'reschedules a failed attempt, then fails for good',
      each(async (storage, clock) => {
        const m = message(clock());
        await storage.outbox.enqueue([m]);
        await storage.outbox.claimDue(10, LEASE);
        await storage.outbox.markFailed(m.id, 'HTTP 503 — réessayer', { nextAttemptAt: clock() + 5000 });
        assert.deepEqual(await listed(storage, [m.id], 'pending'), [
          { ...m, attempts: 1, lastError: 'HTTP 503 — réessayer', nextAttemptAt: clock() + 5000 },
        ]);
        clock.advance(4999);
        assert.deepEqual(await storage.outbox.claimDue(10, LEASE), []);
        clock.advance(1);
        assert.deepEqual(ids(await storage.outbox.claimDue(10, LEASE)), [m.id]);
        await storage.outbox.markFailed(m.id, 'ECONNREFUSED', { final: true });
        const [failed] = await listed(storage, [m.id], 'failed');
        assert.equal(failed?.status, 'failed');
        assert.equal(failed?.attempts, 2);
        assert.equal(failed?.lastError, 'ECONNREFUSED');
        assert.deepEqual(await listed(storage, [m.id], 'pending'), []);
        clock.advance(LEASE);
        assert.deepEqual(await storage.outbox.claimDue(10, LEASE), []);
        await storage.outbox.markFailed(m.id, 'late', { nextAttemptAt: clock() });
        assert.equal((await listed(storage, [m.id], 'failed'))[0]?.lastError, 'ECONNREFUSED');
      }),
    );

    it(
      'purges finished messages created before a time, never pending ones',
      each(async (storage, clock) => {
        const oldDelivered = message(clock() - 2000);
        const oldFailed = message(clock() - 2000);
        const oldPending = message(clock() - 2000, { nextAttemptAt: clock() + 60_000 });
        const recent = message(clock());
        const all = [oldDelivered, oldFailed, oldPending, recent];
        await storage.outbox.enqueue(all);
        await storage.outbox.markDelivered(oldDelivered.id);
        await storage.outbox.markFailed(oldFailed.id, 'gone', { final: true });
        await storage.outbox.markDelivered(recent.id);
        assert.equal(await storage.outbox.purge(clock() - 1000), 2);
        assert.equal(await storage.outbox.purge(clock() - 1000), 0);
        assert.deepEqual(ids(await listed(storage, ids(all))), ids([oldPending, recent]));
      }),
    );

    it(
      'leases each message to exactly one of two instances claiming concurrently',
      pair(async (a, b, clock) => {
        const messages = Array.from({ length: 30 }, () => message(clock()));
        await a.outbox.enqueue(messages);
        const batches = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).outbox.claimDue(4, LEASE)),
        );
        const claimed = batches.flat().map((m) => m.id);
        const rest = (await a.outbox.claimDue(100, LEASE)).map((m) => m.id);
        assert.deepEqual([...claimed, ...rest].sort(), ids(messages));
      }),
    );
  });
}
