import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LdapAuthenticator } from '../../src/auth/ldap/ldap-authenticator.ts';
import { hashPassword } from '../../src/auth/password-hash.ts';
import { authSourceSchema, type LdapSourceConfig } from '../../src/config/auth-schema.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { TestBrowser } from '../helpers/browser.ts';
import {
  APP_URL,
  freePort,
  PASSWORD,
  startTestServer,
  type TestServer,
  ticketFrom,
} from '../helpers/test-server.ts';
import { serverUnderTest } from '../storage/server-under-test.ts';
import {
  BASE_DN,
  BOB_PASSWORD,
  LARA_PASSWORD,
  type LdapServer,
  SERVICE_DN,
  SERVICE_PASSWORD,
  startLdapServer,
} from './ldap-server.ts';

let ldap: LdapServer | undefined;
const available = await serverUnderTest('slapd', 'ldap://127.0.0.1/', async () => {
  ldap = await startLdapServer();
});

function ldapSource(settings: Partial<LdapSourceConfig> = {}): LdapSourceConfig {
  return authSourceSchema.parse({
    kind: 'ldap',
    url: ldap!.url,
    bindDn: SERVICE_DN,
    bindPassword: SERVICE_PASSWORD,
    baseDn: BASE_DN,
    userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
    attributes: ['mail', 'cn', 'employeeType'],
    usernameAttribute: 'uid',
    timeoutMs: 2000,
    ...settings,
  }) as LdapSourceConfig;
}

const source = (settings: Partial<LdapSourceConfig> = {}) =>
  new LdapAuthenticator(ldapSource(settings), createLogger('silent'));

if (available) {
  describe('LDAP authentication source (slapd)', () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ settings: { auth: { sources: [ldapSource(), { kind: 'local' }] } } });
      // A local namesake of an LDAP user, with another password: LDAP comes first, so it must never work.
      const now = t.clock();
      await t.storage.users.create({
        username: 'lara',
        passwordHash: await hashPassword('local namesake password'),
        attributes: {},
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
    });
    after(async () => {
      await t?.close();
      await ldap?.stop();
    });

    it('signs a directory user in and releases multi-valued attributes', async () => {
      const response = await t.login({ service: APP_URL, username: 'lara', password: LARA_PASSWORD });
      assert.equal(response.status, 302);
      const validation = await t.validate('/p3/serviceValidate', {
        ticket: ticketFrom(response.location),
        service: APP_URL,
      });
      assert.match(validation.body, /<cas:user>lara<\/cas:user>/);
      assert.match(validation.body, /<cas:mail>lara@example\.org<\/cas:mail>/);
      assert.match(validation.body, /<cas:mail>lcroft@example\.org<\/cas:mail>/);
    });

    it('fetches every configured attribute and takes the username from the entry', async () => {
      const result = await source().authenticate('LARA', LARA_PASSWORD);
      assert.deepEqual(result, {
        ok: true,
        username: 'lara',
        attributes: {
          mail: ['lara@example.org', 'lcroft@example.org'],
          cn: ['Lara Croft'],
          employeeType: ['staff', 'explorers'],
        },
      });
    });

    it('refuses a wrong password without trying the next source', async () => {
      const wrong = await t.login({ username: 'lara', password: 'wrong', browser: new TestBrowser() });
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /username or password is incorrect/);
      const namesake = await t.login({
        username: 'lara',
        password: 'local namesake password',
        browser: new TestBrowser(),
      });
      assert.equal(namesake.status, 401, 'the local namesake is never asked: LDAP knows lara');
    });

    it('lets a user the directory does not know fall through to the next source', async () => {
      assert.deepEqual(await source().authenticate('alice', PASSWORD), { ok: false, reason: 'unknown-user' });
      const response = await t.login({ username: 'alice', browser: new TestBrowser() });
      assert.equal(response.status, 200);
      assert.match(response.text, /Signed in as <strong>alice<\/strong>/);
    });

    it('escapes the username in the filter: wildcards and filter syntax match nobody', async () => {
      for (const hostile of ['lar*', '*', '*)(uid=*', 'lara)(|(uid=*', 'lara\\00']) {
        const result = await source().authenticate(hostile, LARA_PASSWORD);
        assert.deepEqual(result, { ok: false, reason: 'unknown-user' }, hostile);
      }
      const response = await t.login({
        username: 'lar*',
        password: LARA_PASSWORD,
        browser: new TestBrowser(),
      });
      assert.equal(response.status, 401);
    });

    it('refuses an empty password, which the directory would take as an anonymous bind', async () => {
      assert.deepEqual(await source().authenticate('lara', ''), { ok: false, reason: 'invalid-credentials' });
      assert.deepEqual(await source({ bindDn: undefined }).authenticate('bob', ''), {
        ok: false,
        reason: 'invalid-credentials',
      });
    });

    it('reports a refused service account as unavailable, not as a wrong password', async () => {
      await assert.rejects(source({ bindPassword: 'wrong' }).authenticate('bob', BOB_PASSWORD), {
        name: 'AuthSourceUnavailableError',
      });
    });

    it('speaks ldaps:// and StartTLS, verifying the server certificate', async () => {
      const ldaps = await source({ url: ldap!.ldapsUrl, caFile: ldap!.caFile }).authenticate(
        'bob',
        BOB_PASSWORD,
      );
      assert.equal(ldaps.ok && ldaps.username, 'bob');
      const startTls = await source({ startTls: true, caFile: ldap!.caFile }).authenticate(
        'bob',
        BOB_PASSWORD,
      );
      assert.equal(startTls.ok && startTls.username, 'bob');
      await assert.rejects(source({ startTls: true }).authenticate('bob', BOB_PASSWORD), {
        name: 'AuthSourceUnavailableError',
      });
    });

    it('tries the next server of the list when one cannot be reached', async () => {
      const down = `ldap://127.0.0.1:${await freePort()}`;
      const result = await source({ url: [down, ldap!.url] }).authenticate('bob', BOB_PASSWORD);
      assert.equal(result.ok, true);
    });

    it('answers "temporarily unavailable" (503, WARN) when the directory is down, never "wrong password"', async () => {
      const down = await startTestServer({
        settings: {
          auth: { sources: [ldapSource({ url: `ldap://127.0.0.1:${await freePort()}` }), { kind: 'local' }] },
        },
      });
      try {
        const response = await down.login({ username: 'alice' });
        assert.equal(response.status, 503);
        assert.match(response.text, /temporarily unavailable/);
        assert.doesNotMatch(response.text, /incorrect/);
        const warning = down.logs
          .map((line) => JSON.parse(line))
          .find((l) => l.msg === 'authentication source unavailable');
        assert.equal(warning?.level, 40);
        assert.equal(warning?.source, 'ldap');
      } finally {
        await down.close();
      }
    });
  });
}
