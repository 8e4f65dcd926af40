import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/config/config-error.ts';
import { deepMerge } from '../src/config/env-overrides.ts';
import { loadConfig, resolveConfig } from '../src/config/load-config.ts';

/** A file with three authentication sources (the LDAP one without its password) and two services. */
function fileWithLists(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'usher-config-')), 'usher.yaml');
  writeFileSync(
    file,
    [
      'server:',
      '  port: 9999',
      'auth:',
      '  sources:',
      '    - kind: local',
      '    - kind: ldap',
      '      url: ldaps://ldap.example.org',
      '      bindDn: cn=usher,ou=services,dc=example,dc=org',
      '      baseDn: ou=people,dc=example,dc=org',
      '      attributes: [mail]',
      '    - kind: sql',
      '      url: mysql://cas@db.example.org:3306/accounts',
      '      userQuery: SELECT * FROM users WHERE login = ?',
      '      passwordCheck: bcrypt',
      'services:',
      '  registry:',
      '    - name: Shop',
      '      match: prefix',
      '      pattern: https://shop.example.org/',
      '      attributes: { allow: [mail], rename: { mail: email } }',
      '    - name: Wiki',
      '      pattern: ^https://wiki\\.example\\.org/',
      '',
    ].join('\n'),
  );
  return file;
}

/** What `fileWithLists()` lacks to be valid. */
const LDAP_PASSWORD = { USHER_AUTH__SOURCES__1__BIND_PASSWORD: 's3cret' };

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration', () => {
  it('fills every default from an empty file', () => {
    const config = resolveConfig({});
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.publicUrl, 'http://127.0.0.1:8080');
    assert.equal(config.tickets.serviceTicketTtl, 60);
    assert.equal(config.tickets.serviceTicketLength, 32);
    assert.equal(config.tickets.proxyGrantingTicketTtl, 3600);
    assert.equal(config.storage.kind, 'sqlite');
    assert.equal(config.services.openMode, false);
    assert.equal(config.sso.cookieName, 'TGC');
  });

  it('names the exact key and the reason of every problem', () => {
    const problems = problemsOf(() =>
      resolveConfig({
        server: { port: 'eighty' },
        sso: { idelTimeout: 5 },
        services: {
          registry: [
            { name: 'A', pattern: '^https://(' },
            { name: 'B', match: 'prefix', pattern: 'not a url' },
          ],
        },
      }),
    );
    assert.ok(
      problems.some((p) => p.startsWith('server.port:')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('sso: unknown setting(s) idelTimeout')),
      problems.join('\n'),
    );
    const regex = problemsOf(() =>
      resolveConfig({ services: { registry: [{ name: 'A', pattern: '^https://(' }] } }),
    );
    assert.match(regex[0] ?? '', /^services\.registry\[0\]\.pattern: not a valid regular expression/);
    const prefix = problemsOf(() =>
      resolveConfig({ services: { registry: [{ name: 'B', match: 'prefix', pattern: 'nope' }] } }),
    );
    assert.match(prefix[0] ?? '', /^services\.registry\[0\]\.pattern: must be an absolute http\(s\) URL/);
    const twice = problemsOf(() =>
      resolveConfig({
        services: {
          registry: [
            { name: 'A', pattern: '^a' },
            { name: 'A', pattern: '^b' },
          ],
        },
      }),
    );
    assert.match(twice[0] ?? '', /services\.registry\[1\]\.name: "A" is used twice/);
    const storage = problemsOf(() => resolveConfig({ storage: { kind: 'mongodb' } }));
    assert.match(storage[0] ?? '', /^storage/);
  });

  it('reads YAML files and reports syntax errors with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-config-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(
      good,
      'server:\n  port: 9999\nservices:\n  registry:\n    - name: Shop\n      match: prefix\n      pattern: https://shop.example.org/\n',
    );
    const config = loadConfig({ file: good, env: {} });
    assert.equal(config.server.port, 9999);
    assert.equal(config.services.registry[0]?.name, 'Shop');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  port: [1,\n');
    assert.throws(
      () => loadConfig({ file: bad, env: {} }),
      (e: unknown) => e instanceof ConfigError && e.message.includes(bad),
    );
    assert.throws(
      () => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }),
      /cannot read the file: ENOENT/,
    );
  });

  it('lets USHER_* environment variables override the file, keeping types', () => {
    const config = loadConfig({
      env: {
        USHER_SERVER__PORT: '9090',
        USHER_SSO__ALLOW_WARN: 'false',
        USHER_TICKETS__SERVICE_TICKET_TTL: '30',
        USHER_SERVER__PUBLIC_URL: 'https://sso.example.org/cas',
        USHER_CONFIG: 'ignored.yaml',
      },
    });
    assert.equal(config.server.port, 9090);
    assert.equal(config.sso.allowWarn, false);
    assert.equal(config.tickets.serviceTicketTtl, 30);
    assert.equal(config.server.publicUrl, 'https://sso.example.org/cas');
    assert.throws(() => loadConfig({ env: { USHER_SERVER__PORT: 'x' } }), /server\.port/);
  });

  it('names the environment variable behind a problem, not only the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-config-'));
    const file = join(dir, 'usher.yaml');
    writeFileSync(file, 'server:\n  port: 8080\nsso:\n  idleTimeout: -1\n');
    const env = { USHER_SERVER__PORT: 'abc', USHER_SERVER__PROT: '1', USHER_SSO__ALLOW_WARN: 'false' };
    assert.throws(
      () => loadConfig({ file, env }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.source, `${file} and the environment`);
        assert.deepEqual(error.problems.sort(), [
          'server.port: Invalid input: expected number, received string (set by USHER_SERVER__PORT)',
          'server: unknown setting(s) prot (set by USHER_SERVER__PROT)',
          'sso.idleTimeout: Too small: expected number to be >0',
        ]);
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ file, env: {} }),
      (error: unknown) => error instanceof ConfigError && error.source === file,
    );
    // A top-level key the schema does not know; a problem found after the schema, in an entry a variable set.
    assert.deepEqual(problemsOf(() => loadConfig({ file, env: { USHER_SERVR: '{port: 1}' } })).sort(), [
      '(root): unknown setting(s) servr (set by USHER_SERVR)',
      'sso.idleTimeout: Too small: expected number to be >0',
    ]);
    writeFileSync(file, 'server:\n  port: 8080\n');
    assert.deepEqual(
      problemsOf(() =>
        loadConfig({ file, env: { USHER_SERVICES__REGISTRY: '[{name: Shop, pattern: "("}]' } }),
      ),
      [
        'services.registry[0].pattern: not a valid regular expression (Invalid regular expression: /(/: Unterminated group) (set by USHER_SERVICES__REGISTRY)',
      ],
    );
  });

  it('changes one entry of a list from the environment, keeping the other entries and keys', () => {
    const file = fileWithLists();
    assert.match(
      problemsOf(() => loadConfig({ file, env: {} })).join('\n'),
      /auth\.sources\[1\]\.bindPassword: required with bindDn/,
    );
    const config = loadConfig({
      file,
      env: {
        USHER_AUTH__SOURCES__1__BIND_PASSWORD: 's3cret',
        USHER_AUTH__SOURCES__2__URL: 'mysql://cas:s3cret@db.example.org:3306/accounts',
        USHER_SERVICES__REGISTRY__1__ENABLED: 'false',
        USHER_SERVICES__REGISTRY__0__PROXY__TARGETS: '[^https://api\\.example\\.org/]',
      },
    });
    const [local, ldap, sql] = config.auth.sources;
    assert.deepEqual(local, { kind: 'local' });
    assert.equal(ldap?.kind, 'ldap');
    if (ldap?.kind === 'ldap') {
      assert.equal(ldap.bindPassword, 's3cret');
      assert.equal(ldap.bindDn, 'cn=usher,ou=services,dc=example,dc=org');
      assert.equal(ldap.baseDn, 'ou=people,dc=example,dc=org');
      assert.deepEqual(ldap.attributes, ['mail']);
    }
    assert.equal(sql?.kind, 'sql');
    if (sql?.kind === 'sql') {
      assert.equal(sql.url, 'mysql://cas:s3cret@db.example.org:3306/accounts');
      assert.equal(sql.passwordCheck, 'bcrypt');
    }
    assert.equal(config.auth.sources.length, 3);
    const [shop, wiki] = config.services.registry;
    assert.equal(config.services.registry.length, 2);
    assert.equal(shop?.name, 'Shop');
    assert.equal(shop?.enabled, true);
    assert.deepEqual(shop?.attributes.allow, ['mail']);
    assert.deepEqual(shop?.proxy.targets, ['^https://api\\.example\\.org/']);
    assert.equal(wiki?.name, 'Wiki');
    assert.equal(wiki?.enabled, false);
    assert.equal(wiki?.pattern, '^https://wiki\\.example\\.org/');
    assert.equal(config.server.port, 9999);
  });

  it('still replaces a whole list given as one value, and changes its entries after it', () => {
    const file = fileWithLists();
    const whole = loadConfig({
      file,
      env: { USHER_AUTH__SOURCES: '[{kind: local}, {kind: dummy}]' },
    });
    assert.deepEqual(whole.auth.sources, [{ kind: 'local' }, { kind: 'dummy' }]);
    // The entry applies to the list from the environment, whatever the order of the variables.
    const entry = { USHER_AUTH__SOURCES__1__NAME: 'off' };
    const list = { USHER_AUTH__SOURCES: '[{kind: local}, {kind: dummy}]' };
    for (const env of [
      { ...list, ...entry },
      { ...entry, ...list },
    ]) {
      assert.deepEqual(loadConfig({ file, env }).auth.sources, [
        { kind: 'local' },
        { kind: 'dummy', name: 'off' },
      ]);
    }
    assert.match(
      problemsOf(() => loadConfig({ file, env: { ...list, USHER_AUTH__SOURCES__3__NAME: 'x' } })).join('\n'),
      /^USHER_AUTH__SOURCES__3__NAME: auth\.sources has no entry 3 \(the list set in the environment has 2 entries/,
    );
  });

  it('adds an entry after the last one only when a variable gives it whole', () => {
    const file = fileWithLists();
    const config = loadConfig({
      file,
      env: {
        ...LDAP_PASSWORD,
        USHER_SERVICES__REGISTRY__2: '{name: Blog, match: prefix, pattern: "https://blog.example.org/"}',
        USHER_SERVICES__REGISTRY__2__ENABLED: 'false',
      },
    });
    assert.deepEqual(
      config.services.registry.map((s) => [s.name, s.enabled]),
      [
        ['Shop', true],
        ['Wiki', true],
        ['Blog', false],
      ],
    );
    // One key of an entry that does not exist is more likely a miscounted index than a new entry.
    const problems = problemsOf(() =>
      loadConfig({ file, env: { USHER_AUTH__SOURCES__3__BIND_PASSWORD: 's3cret' } }),
    );
    assert.deepEqual(problems, [
      'USHER_AUTH__SOURCES__3__BIND_PASSWORD: auth.sources has no entry 3 (the configuration file has 3 ' +
        "entries, counted from 0); a new entry must be given whole, as one value: USHER_AUTH__SOURCES__3='{…}'",
    ]);
  });

  it('names the variable when its entry does not exist or there is no list, never its value', () => {
    const file = fileWithLists();
    const beyond = problemsOf(() =>
      loadConfig({
        file,
        env: {
          USHER_SERVICES__REGISTRY__5__ENABLED: 'false',
          USHER_SERVICES__REGISTRY__5__NAME: 'Five',
          USHER_AUTH__SOURCES__4: '{kind: test}',
        },
      }),
    );
    assert.deepEqual(beyond, [
      'USHER_AUTH__SOURCES__4: auth.sources has no entry 4 (the configuration file has 3 entries, counted from 0)',
      'USHER_SERVICES__REGISTRY__5__ENABLED, USHER_SERVICES__REGISTRY__5__NAME: services.registry has no ' +
        'entry 5 (the configuration file has 2 entries, counted from 0)',
    ]);
    const scalar = problemsOf(() =>
      loadConfig({ file, env: { USHER_SERVER__PORT__0: '8443', USHER_AUTH__SOURCES__PASSWORD: 's3cret' } }),
    );
    assert.deepEqual(scalar, [
      'USHER_AUTH__SOURCES__PASSWORD: auth.sources is a list (in the configuration file): address an entry ' +
        'by its number, counted from 0, e.g. USHER_AUTH__SOURCES__0__PASSWORD',
      'USHER_SERVER__PORT__0: server.port is a number in the configuration file, not a list, so it has no entry 0',
    ]);
    // Without the list in the file, index 0 could mean the default's first entry or a new list.
    const absent = problemsOf(() =>
      loadConfig({
        env: { USHER_AUTH__SOURCES__0__NAME: 'mine', USHER_SERVICES__REGISTRY__0__ENABLED: 'no' },
      }),
    );
    assert.deepEqual(absent, [
      'USHER_AUTH__SOURCES__0__NAME: auth.sources is not in the configuration file, so it has no entry 0 to ' +
        "change; give the whole list as one value instead: USHER_AUTH__SOURCES='[…]'",
      'USHER_SERVICES__REGISTRY__0__ENABLED: services.registry is not in the configuration file, so it has ' +
        "no entry 0 to change; give the whole list as one value instead: USHER_SERVICES__REGISTRY='[…]'",
    ]);
    assert.throws(
      () => loadConfig({ file, env: { USHER_AUTH__SOURCES__9__BIND_PASSWORD: 'hunter2-secret' } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.source === 'environment' &&
        error.message.includes('USHER_AUTH__SOURCES__9__BIND_PASSWORD') &&
        !error.message.includes('hunter2-secret'),
    );
  });

  it('reads a number as a plain key inside a mapping the file has', () => {
    const config = loadConfig({
      file: fileWithLists(),
      env: { ...LDAP_PASSWORD, USHER_SERVICES__REGISTRY__0__ATTRIBUTES__RENAME__0: 'zero' },
    });
    assert.deepEqual(config.services.registry[0]?.attributes.rename, { mail: 'email', 0: 'zero' });
    // Settings that do not come from the environment merge as before: a mapping replaces a list.
    assert.deepEqual(deepMerge({ a: [1, 2], b: { c: 1 } }, { a: { 0: 3 }, b: { d: 2 } }), {
      a: { 0: 3 },
      b: { c: 1, d: 2 },
    });
  });
});
