import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createAuthenticator } from '../../src/auth/create-authenticator.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { resolveConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createMemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { APP_URL, PASSWORD, startTestServer, type TestServer, ticketFrom } from '../helpers/test-server.ts';

const config = (auth: unknown, extra: Record<string, unknown> = {}) =>
  resolveConfig({ storage: { kind: 'memory' }, auth, ...extra }, 'test');

describe('auth.sources', () => {
  describe('test source before local', () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({
        settings: {
          auth: { sources: [{ kind: 'test' }, { kind: 'local' }] },
          services: {
            registry: [{ name: 'All', match: 'prefix', pattern: APP_URL, attributes: { allow: ['*'] } }],
          },
        },
      });
    });
    after(() => t.close());

    it('signs in test/test with the attributes of django-cas-server', async () => {
      const response = await t.login({ service: APP_URL, username: 'test', password: 'test' });
      assert.equal(response.status, 302);
      const body = (
        await t.validate('/p3/serviceValidate', { ticket: ticketFrom(response.location), service: APP_URL })
      ).body;
      assert.match(body, /<cas:nom>Nymous<\/cas:nom>/);
      assert.match(body, /<cas:prenom>Ano<\/cas:prenom>/);
      assert.match(body, /<cas:email>anonymous@example\.net<\/cas:email>/);
    });

    it('refuses a wrong password for test, and passes other users on to local', async () => {
      const wrong = await t.login({ username: 'test', password: 'tes', browser: new TestBrowser() });
      assert.equal(wrong.status, 401);
      const alice = await t.login({ username: 'alice', browser: new TestBrowser() });
      assert.match(alice.text, /Signed in as <strong>alice<\/strong>/);
      const nobody = await t.login({ username: 'nobody', password: 'x', browser: new TestBrowser() });
      assert.equal(nobody.status, 401);
      assert.match(
        nobody.text,
        /username or password is incorrect/,
        'unknown everywhere reads as a wrong password',
      );
      assert.match(t.logs.join(''), /"reason":"unknown-user"/);
    });
  });

  it('dummy refuses everyone, local users included', async () => {
    const t = await startTestServer({
      settings: { auth: { sources: [{ kind: 'dummy' }, { kind: 'local' }] } },
    });
    try {
      const response = await t.login({ username: 'alice' });
      assert.equal(response.status, 401);
    } finally {
      await t.close();
    }
  });

  it('refuses the test source when NODE_ENV=production, naming the key', () => {
    const deps = { users: createMemoryStorage(Date.now).users, logger: createLogger('silent') };
    const settings = config({ sources: [{ kind: 'local' }, { kind: 'test' }] });
    assert.throws(
      () => createAuthenticator(settings, { ...deps, env: { NODE_ENV: 'production' } }),
      (error: unknown) =>
        error instanceof ConfigError && /auth\.sources\[1\]\.kind/.test(error.problems.join()),
    );
    assert.ok(createAuthenticator(settings, { ...deps, env: { NODE_ENV: 'development' } }));
  });

  it('names the key of a CA file it cannot read', () => {
    const settings = config({
      sources: [{ kind: 'local' }, { kind: 'rest', url: 'https://h/', caFile: '/nonexistent/ca.pem' }],
    });
    assert.throws(
      () =>
        createAuthenticator(settings, {
          users: createMemoryStorage(Date.now).users,
          logger: createLogger('silent'),
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^auth\.sources\[1\]\.caFile: cannot read the file \(ENOENT\)/.test(error.problems[0]!),
    );
  });

  it('warns at start-up about clear-text SQL passwords and the test source', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const settings = config({
      sources: [
        {
          kind: 'sql',
          url: 'postgres://127.0.0.1:1/x',
          userQuery: 'SELECT * FROM u WHERE l = $1',
          passwordCheck: 'plain',
        },
        { kind: 'test' },
      ],
    });
    const authenticator = createAuthenticator(settings, {
      users: createMemoryStorage(Date.now).users,
      logger: createLogger('warn', sink),
      env: {},
    });
    const warnings = lines.map((line) => JSON.parse(line)).filter((l) => l.level === 40);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0].msg, /clear text/);
    assert.match(warnings[1].msg, /not for production/);
    return authenticator.close?.();
  });

  it('names the key of every invalid source setting', () => {
    const problems = (auth: unknown) => {
      try {
        config(auth);
        return '';
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
    };
    assert.match(problems({ sources: [{ kind: 'kerberos' }] }), /^auth\.sources\[0\]\.kind: /);
    assert.match(
      problems({
        sources: [
          { kind: 'local' },
          { kind: 'ldap', url: 'ldap://h', baseDn: 'dc=x', userFilter: '(uid=x)' },
        ],
      }),
      /^auth\.sources\[1\]\.userFilter: must contain the \{username\} placeholder/,
    );
    assert.match(
      problems({
        sources: [
          { kind: 'sql', url: 'postgres://h/d', userQuery: 'SELECT 1 WHERE l = ?', passwordCheck: 'bcrypt' },
        ],
      }),
      /^auth\.sources\[0\]\.userQuery: must contain exactly one username parameter/,
    );
    assert.match(
      problems({
        sources: [
          { kind: 'sql', url: 'mysql://h/d', userQuery: 'SELECT 1 WHERE l = $1', passwordCheck: 'bcrypt' },
        ],
      }),
      /^auth\.sources\[0\]\.userQuery: /,
    );
    assert.match(
      problems({ sources: [{ kind: 'ldap', url: 'ldap://h', baseDn: 'dc=x', bindDn: 'cn=usher,dc=x' }] }),
      /^auth\.sources\[0\]\.bindPassword: required with bindDn/,
    );
    assert.match(problems({ sources: [] }), /^auth\.sources: /);
    assert.equal(problems(undefined), '', 'no auth section: the local source, as before');
    assert.deepEqual(config(undefined).auth.sources, [{ kind: 'local' }]);
  });
});

describe('login.usernameFromEmail and login.usernameCase', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { login: { usernameFromEmail: true, usernameCase: 'lower' } } });
  });
  after(() => t.close());

  it('signs alice in as alice@example.org and as ALICE', async () => {
    for (const typed of ['alice@example.org', ' ALICE ', 'Alice@Other.Example']) {
      const response = await t.login({ username: typed, password: PASSWORD, browser: new TestBrowser() });
      assert.match(response.text, /Signed in as <strong>alice<\/strong>/, typed);
    }
  });

  it('leaves nothing to look up for a bare domain', async () => {
    const response = await t.login({ username: '@example.org', browser: new TestBrowser() });
    assert.equal(response.status, 401);
  });
});
