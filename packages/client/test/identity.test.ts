import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CasClient, type CasClientOptions, type CasPrincipal } from '../src/index.ts';
import { FakeCas } from './support/fake-cas.ts';

const SERVICE = 'https://app.example.org/cas/callback';

describe("django-cas-ng's login rules", () => {
  let cas: FakeCas;
  before(async () => {
    cas = await FakeCas.start();
  });
  after(() => cas.close());

  const login = <U>(options: Partial<CasClientOptions<U>>, user = 'Alice', attributes = cas.attributes) =>
    new CasClient<U>({ serverUrl: cas.url, serviceUrl: SERVICE, ...options }).authenticate(
      cas.issueTicket(SERVICE, user, attributes),
    );

  test('the user as sent, attributes as sent, no local user', async () => {
    const result = await login({});
    assert.deepEqual(result.principal, { user: 'Alice', attributes: cas.attributes });
    assert.equal(result.localUser, undefined);
    assert.equal(result.pgtIou, undefined);
  });

  test('usernameCase lower and upper', async () => {
    assert.equal((await login({ usernameCase: 'lower' })).principal.user, 'alice');
    assert.equal((await login({ usernameCase: 'upper' })).principal.user, 'ALICE');
  });

  test('usernameAttribute takes the id from a single-valued attribute, case applied after', async () => {
    const result = await login({ usernameAttribute: 'uid', usernameCase: 'lower' }, 'alice', {
      uid: [' A123 '],
    });
    assert.equal(result.principal.user, 'a123');
  });

  test('cleanUsername changes the name last; an empty result refuses the login', async () => {
    const dropRealm = async (user: string) => user.replace(/@.*$/, '');
    const result = await login({ usernameCase: 'lower', cleanUsername: dropRealm }, 'Alice@EXAMPLE.ORG');
    assert.equal(result.principal.user, 'alice');
    await assert.rejects(login({ cleanUsername: () => ' ' }), { code: 'USERNAME_REJECTED' });
  });

  test('usernameAttribute missing, empty or multi-valued refuses the login', async () => {
    const cases: Record<string, string[]>[] = [{}, { uid: [] }, { uid: [''] }, { uid: ['a', 'b'] }];
    for (const attributes of cases) {
      await assert.rejects(login({ usernameAttribute: 'uid' }, 'alice', attributes), {
        code: 'USERNAME_ATTRIBUTE_MISSING',
      });
    }
  });

  test('renameAttributes replaces names, a renamed attribute wins over one of the same name', async () => {
    const result = await login({ renameAttributes: { mail: 'email', memberOf: 'mail' } }, 'alice', {
      mail: ['a@example.org'],
      memberOf: ['staff'],
      sn: ['Liddell'],
    });
    assert.deepEqual(
      { ...result.principal.attributes },
      { email: ['a@example.org'], mail: ['staff'], sn: ['Liddell'] },
    );
  });

  test('rejectAttributes refuses with its reason and sees renamed attributes', async () => {
    const seen: CasPrincipal[] = [];
    const rejectAttributes = (principal: CasPrincipal) => {
      seen.push(principal);
      return principal.attributes['groups']?.includes('421') ? undefined : 'not in department 421';
    };
    await assert.rejects(login({ renameAttributes: { memberOf: 'groups' }, rejectAttributes }), {
      code: 'ATTRIBUTES_REJECTED',
      message: 'not in department 421',
    });
    assert.deepEqual(seen[0]!.attributes['groups'], ['staff', 'admins']);
    const accepted = await login({ rejectAttributes }, 'bob', { groups: ['421'] });
    assert.equal(accepted.principal.user, 'bob');
  });

  describe('user hooks', () => {
    type User = { name: string; active: boolean; mail?: string };
    const db = new Map<string, User>([['carol', { name: 'carol', active: false }]]);
    const findUser = async (p: CasPrincipal) => db.get(p.user);

    test('unknown users are refused without createUser', async () => {
      await assert.rejects(login({ findUser }, 'dave'), { code: 'UNKNOWN_USER' });
      assert.equal(db.has('dave'), false);
    });

    test('createUser makes and configures the user from the attributes, once', async () => {
      let created = 0;
      const createUser = async (p: CasPrincipal) => {
        created++;
        const user = { name: p.user, active: true, mail: p.attributes['mail']?.[0] };
        db.set(p.user, user);
        return user;
      };
      const first = await login<User>({ findUser, createUser }, 'erin');
      assert.deepEqual(first.localUser, { name: 'erin', active: true, mail: 'alice@example.org' });
      await login<User>({ findUser, createUser }, 'erin');
      assert.equal(created, 1);
    });

    test('isActive false refuses the login', async () => {
      await assert.rejects(login<User>({ findUser, isActive: (u) => u.active }, 'carol'), {
        code: 'INACTIVE_USER',
      });
    });

    test('updateUser applies attributes at every login', async () => {
      const updateUser = async (user: User, p: CasPrincipal) => ({
        ...user,
        mail: p.attributes['mail']?.[0],
      });
      const result = await login<User>({ findUser, updateUser }, 'erin', { mail: ['new@example.org'] });
      assert.equal(result.localUser?.mail, 'new@example.org');
    });

    test('a hook that throws fails the login with its own error', async () => {
      const broken = async () => {
        throw new Error('database down');
      };
      await assert.rejects(login({ findUser: broken }, 'erin'), { message: 'database down' });
    });
  });
});
