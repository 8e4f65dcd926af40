import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/config/config-error.ts';
import { loadConfig, resolveConfig } from '../src/config/load-config.ts';

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
});
