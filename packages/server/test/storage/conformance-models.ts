import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredItem } from '../../src/storage/types.ts';
import { type Harness, uid } from './harness.ts';

interface Ticket {
  service: string;
  n: number;
}

const MINUTE = 60_000;

const byId = <T>(items: StoredItem<T>[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));

export function modelCases({ each, pair }: Harness): void {
  describe('models', () => {
    it(
      'finds what was upserted and nothing else',
      each(async (storage, clock) => {
        const tickets = storage.model<Ticket>('ticket');
        const id = uid('ST');
        await tickets.upsert(id, { service: 'https://app', n: 1 }, { expiresAt: clock() + MINUTE });
        assert.deepEqual(await tickets.find(id), { service: 'https://app', n: 1 });
        assert.equal(await tickets.find(uid('ST')), undefined);
      }),
    );

    it(
      'replaces payload, expiry and group on upsert',
      each(async (storage, clock) => {
        const tickets = storage.model<Ticket>('ticket');
        const [id, g1, g2] = [uid('ST'), uid('g'), uid('g')];
        await tickets.upsert(id, { service: 'a', n: 1 }, { expiresAt: clock() + 1000, groupId: g1 });
        await tickets.upsert(id, { service: 'b', n: 2 }, { expiresAt: clock() + MINUTE, groupId: g2 });
        clock.advance(2000);
        assert.deepEqual(await tickets.find(id), { service: 'b', n: 2 });
        assert.deepEqual(await tickets.findByGroup(g1), []);
        assert.deepEqual(await tickets.findByGroup(g2), [
          { id, payload: { service: 'b', n: 2 }, expiresAt: clock() - 2000 + MINUTE, groupId: g2 },
        ]);
        await tickets.upsert(id, { service: 'c', n: 3 }, { expiresAt: clock() + MINUTE });
        assert.deepEqual(await tickets.findByGroup(g2), []);
        assert.equal(await tickets.destroyByGroup(g2), 0);
        assert.deepEqual(await tickets.find(id), { service: 'c', n: 3 });
      }),
    );

    it(
      'keeps models apart',
      each(async (storage, clock) => {
        const id = uid('same');
        await storage.model('ticket').upsert(id, 'a ticket', { expiresAt: clock() + MINUTE });
        await storage.model('session').upsert(id, 'a session', { expiresAt: clock() + MINUTE });
        assert.equal(await storage.model('ticket').consume(id), 'a ticket');
        assert.equal(await storage.model('session').find(id), 'a session');
        assert.equal(await storage.model('loginToken').find(id), undefined);
      }),
    );

    it(
      'hides an item from every read once the clock reaches its expiry',
      each(async (storage, clock) => {
        const tickets = storage.model<Ticket>('ticket');
        const [id, group] = [uid('ST'), uid('g')];
        await tickets.upsert(id, { service: 's', n: 1 }, { expiresAt: clock() + 1000, groupId: group });
        clock.advance(999);
        assert.deepEqual(await tickets.find(id), { service: 's', n: 1 });
        clock.advance(1);
        assert.equal(await tickets.find(id), undefined);
        assert.deepEqual(await tickets.findByGroup(group), []);
        assert.equal(await tickets.consume(id), undefined);
      }),
    );

    it(
      'consumes once',
      each(async (storage, clock) => {
        const tickets = storage.model<Ticket>('ticket');
        const id = uid('ST');
        await tickets.upsert(id, { service: 's', n: 7 }, { expiresAt: clock() + MINUTE, groupId: uid('g') });
        assert.deepEqual(await tickets.consume(id), { service: 's', n: 7 });
        assert.equal(await tickets.consume(id), undefined);
        assert.equal(await tickets.find(id), undefined);
        assert.equal(await tickets.consume(uid('ST')), undefined);
      }),
    );

    it(
      'gives an item to exactly one of 50 concurrent consumers',
      each(async (storage, clock) => {
        const tickets = storage.model<Ticket>('ticket');
        const id = uid('ST');
        await tickets.upsert(id, { service: 's', n: 1 }, { expiresAt: clock() + MINUTE });
        const results = await Promise.all(Array.from({ length: 50 }, () => tickets.consume(id)));
        assert.equal(results.filter((r) => r !== undefined).length, 1);
      }),
    );

    it(
      'gives an item to exactly one consumer across two instances',
      pair(async (a, b, clock) => {
        const ids = Array.from({ length: 20 }, () => uid('ST'));
        for (const id of ids) await a.model('ticket').upsert(id, { id }, { expiresAt: clock() + MINUTE });
        const results = await Promise.all(
          ids.flatMap((id) =>
            Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).model<{ id: string }>('ticket').consume(id)),
          ),
        );
        const won = results.filter((r) => r !== undefined).map((r) => r.id);
        assert.deepEqual(won.sort(), [...ids].sort());
      }),
    );

    it(
      'does not consume an expired item, leaving it to takeExpired',
      each(async (storage, clock) => {
        const tickets = storage.model<Ticket>('ticket');
        const id = uid('ST');
        await tickets.upsert(id, { service: 's', n: 1 }, { expiresAt: clock() + 1000 });
        clock.advance(1000);
        assert.equal(await tickets.consume(id), undefined);
        assert.deepEqual(
          (await tickets.takeExpired(10)).map((item) => item.id),
          [id],
        );
      }),
    );

    it(
      'destroys an item, and ignores a missing one',
      each(async (storage, clock) => {
        const sessions = storage.model('session');
        const [id, group] = [uid('TGT'), uid('g')];
        await sessions.upsert(id, { user: 'u' }, { expiresAt: clock() + MINUTE, groupId: group });
        await sessions.destroy(id);
        await sessions.destroy(id);
        assert.equal(await sessions.find(id), undefined);
        assert.deepEqual(await sessions.findByGroup(group), []);
      }),
    );

    it(
      'finds the live items of a group',
      each(async (storage, clock) => {
        const access = storage.model<{ service: string }>('serviceAccess');
        const [group, other] = [uid('TGT'), uid('TGT')];
        const [s1, s2, s3, s4] = [uid('ST'), uid('ST'), uid('ST'), uid('ST')];
        const expiresAt = clock() + MINUTE;
        await access.upsert(s1, { service: 'one' }, { expiresAt, groupId: group });
        await access.upsert(s2, { service: 'two' }, { expiresAt, groupId: group });
        await access.upsert(s3, { service: 'old' }, { expiresAt: clock() + 10, groupId: group });
        await access.upsert(s4, { service: 'elsewhere' }, { expiresAt, groupId: other });
        clock.advance(10);
        assert.deepEqual(
          byId(await access.findByGroup(group)),
          byId([
            { id: s1, payload: { service: 'one' }, expiresAt, groupId: group },
            { id: s2, payload: { service: 'two' }, expiresAt, groupId: group },
          ]),
        );
        assert.deepEqual(await access.findByGroup(uid('TGT')), []);
      }),
    );

    it(
      'destroys a whole group, expired members included',
      each(async (storage, clock) => {
        const access = storage.model('serviceAccess');
        const [group, other] = [uid('TGT'), uid('TGT')];
        const ids = [uid('ST'), uid('ST'), uid('ST')];
        await access.upsert(ids[0]!, 1, { expiresAt: clock() + MINUTE, groupId: group });
        await access.upsert(ids[1]!, 2, { expiresAt: clock() + MINUTE, groupId: group });
        await access.upsert(ids[2]!, 3, { expiresAt: clock() + 10, groupId: group });
        const kept = uid('ST');
        await access.upsert(kept, 4, { expiresAt: clock() + MINUTE, groupId: other });
        clock.advance(10);
        assert.equal(await access.destroyByGroup(group), 3);
        assert.equal(await access.destroyByGroup(group), 0);
        for (const id of ids) assert.equal(await access.find(id), undefined);
        assert.deepEqual(await access.takeExpired(10), []);
        assert.equal(await access.find(kept), 4);
      }),
    );

    it(
      'takes expired items once, up to the limit, leaving live ones',
      each(async (storage, clock) => {
        const sessions = storage.model<{ n: number }>('session');
        const group = uid('g');
        const expired = Array.from({ length: 5 }, () => uid('TGT'));
        for (const [n, id] of expired.entries()) {
          await sessions.upsert(id, { n }, { expiresAt: clock() + 100 + n, groupId: group });
        }
        const live = uid('TGT');
        await sessions.upsert(live, { n: 99 }, { expiresAt: clock() + MINUTE });
        assert.deepEqual(await sessions.takeExpired(10), []);
        clock.advance(200);
        const first = await sessions.takeExpired(3);
        assert.equal(first.length, 3);
        const rest = await sessions.takeExpired(10);
        assert.deepEqual(await sessions.takeExpired(10), []);
        const taken = byId([...first, ...rest]);
        assert.deepEqual(
          taken,
          byId(
            expired.map((id, n) => ({
              id,
              payload: { n },
              expiresAt: clock() - 200 + 100 + n,
              groupId: group,
            })),
          ),
        );
        assert.deepEqual(await sessions.find(live), { n: 99 });
        assert.deepEqual(await sessions.findByGroup(group), []);
      }),
    );

    it(
      'gives each expired item to exactly one of two instances taking concurrently',
      pair(async (a, b, clock) => {
        const ids = Array.from({ length: 40 }, () => uid('TGT'));
        for (const id of ids) await a.model('session').upsert(id, id, { expiresAt: clock() + 100 });
        clock.advance(100);
        const batches = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).model<string>('session').takeExpired(7)),
        );
        const taken = batches.flat().map((item) => item.payload);
        const left = [...(await a.model<string>('session').takeExpired(100)).map((item) => item.payload)];
        assert.deepEqual([...taken, ...left].sort(), [...ids].sort());
      }),
    );

    it(
      'round-trips unicode and large payloads',
      each(async (storage, clock) => {
        const sessions = storage.model('session');
        const payload = {
          text: 'naïve café — 日本語 — 👩‍👩‍👧 — עברית — \u0000\u0001\u2028 "quoted" \\ back\nline',
          big: 'x🎉'.repeat(200_000),
          nested: { list: [1, 2.5, -3, true, false, null, 'é'], empty: {}, none: [] },
          max: Number.MAX_SAFE_INTEGER,
        };
        const id = uid('TGT-é🎉');
        const group = uid('ç/🎉');
        await sessions.upsert(id, payload, { expiresAt: clock() + MINUTE, groupId: group });
        assert.deepEqual(await sessions.find(id), payload);
        assert.deepEqual((await sessions.findByGroup(group)).find((i) => i.id === id)?.payload, payload);
        assert.deepEqual(await sessions.consume(id), payload);
      }),
    );
  });
}
