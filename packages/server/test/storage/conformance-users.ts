import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserRecord } from '../../src/storage/types.ts';
import { type Harness, uid } from './harness.ts';

function user(username: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    username,
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    attributes: { mail: [`${username}@example.org`], groups: ['staff', 'ünïcödé'] },
    disabled: false,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function userCases({ each }: Harness): void {
  describe('users', () => {
    it(
      'creates, finds and refuses a duplicate',
      each(async (storage) => {
        const alice = user(uid('alice'));
        assert.equal(await storage.users.create(alice), true);
        assert.equal(await storage.users.create({ ...alice, disabled: true }), false);
        assert.deepEqual(await storage.users.find(alice.username), alice);
        assert.equal(await storage.users.find(uid('nobody')), undefined);
      }),
    );

    it(
      'updates an existing user only',
      each(async (storage) => {
        const bob = user(uid('bob'));
        assert.equal(await storage.users.update(bob), false);
        assert.equal(await storage.users.find(bob.username), undefined);
        await storage.users.create(bob);
        const changed = { ...bob, disabled: true, attributes: {}, updatedAt: bob.updatedAt + 1 };
        assert.equal(await storage.users.update(changed), true);
        assert.deepEqual(await storage.users.find(bob.username), changed);
      }),
    );

    it(
      'removes, lists and counts',
      each(async (storage) => {
        const before = await storage.users.count();
        const names = [uid('carol'), uid('dave'), uid('Ève')];
        for (const name of names) await storage.users.create(user(name));
        assert.equal(await storage.users.count(), before + 3);
        const listed = (await storage.users.list()).filter((u) => names.includes(u.username));
        assert.deepEqual(
          listed.sort((a, b) => (a.username < b.username ? -1 : 1)),
          names.sort().map((name) => user(name)),
        );
        assert.equal(await storage.users.remove(names[0]!), true);
        assert.equal(await storage.users.remove(names[0]!), false);
        assert.equal(await storage.users.count(), before + 2);
        assert.equal(await storage.users.find(names[0]!), undefined);
      }),
    );
  });
}
