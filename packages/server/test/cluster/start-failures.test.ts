import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/test-server.ts';
import { selfSignedCertificate } from '../helpers/tls-certificate.ts';
import { usherFailure } from './usher-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function settings(extra: Record<string, unknown>, server: Record<string, unknown> = {}) {
  const database = join(dir, `${randomUUID()}.db`);
  return {
    database,
    config: {
      server: { host: '127.0.0.1', port: await freePort(), ...server },
      storage: { kind: 'sqlite', path: database },
      ...extra,
    },
  };
}

/** `usher serve` ends with exit 2 and only the configuration problems, naming the file. */
async function refusedAtStart(config: object, problem: RegExp, args: string[] = []): Promise<string> {
  const { code, output } = await usherFailure(dir, config, args);
  assert.equal(code, 2, output);
  assert.match(output, /^Invalid configuration \(.*usher-[0-9a-f-]+\.yaml\):$/m);
  assert.match(output, problem);
  assert.doesNotMatch(output, /unexpected error|\n\s+at /);
  return output;
}

describe('usher serve refuses a configuration whose files cannot be used, and exits', {
  timeout: 60_000,
}, () => {
  it('a missing TLS key, before opening the storage', async () => {
    const { config, database } = await settings(
      {},
      { tls: { keyFile: join(dir, 'missing-key.pem'), certFile: join(dir, 'missing-cert.pem') } },
    );
    await refusedAtStart(config, /server\.tls\.keyFile: cannot read .*missing-key\.pem \(ENOENT\)/);
    assert.equal(existsSync(database), false, 'nothing opened before the check');
  });

  it('with workers, the primary refuses it once, before forking any', async () => {
    const { config, database } = await settings(
      {},
      { tls: { keyFile: join(dir, 'missing-key.pem'), certFile: join(dir, 'missing-cert.pem') } },
    );
    const output = await refusedAtStart(config, /server\.tls\.keyFile: cannot read/, ['--workers', '2']);
    assert.equal(output.match(/Invalid configuration/g)?.length, 1, output);
    assert.doesNotMatch(output, /worker/);
    assert.equal(existsSync(database), false);
  });

  it('a key that does not belong to the certificate', async () => {
    const one = selfSignedCertificate('127.0.0.1');
    const other = selfSignedCertificate('127.0.0.1');
    try {
      const { config } = await settings(
        {},
        { tls: { keyFile: join(dirname(other.certFile), 'key.pem'), certFile: one.certFile } },
      );
      await refusedAtStart(
        config,
        /server\.tls: keyFile and certFile are not a usable key and certificate \(.*key values mismatch/,
      );
    } finally {
      one.remove();
      other.remove();
    }
  });

  it('a file not in PEM form', async () => {
    const thisFile = fileURLToPath(import.meta.url);
    const { config } = await settings({}, { tls: { keyFile: thisFile, certFile: thisFile } });
    await refusedAtStart(config, /server\.tls: keyFile and certFile are not a usable key and certificate/);
  });

  it('a storage path that is not a SQLite database, or whose folder cannot be made: exit 3 naming storage.path', async () => {
    const notDatabase = join(dir, `${randomUUID()}.txt`);
    writeFileSync(notDatabase, "not a database, but someone else's notes\n".repeat(200));
    const cases: [string, RegExp][] = [
      [notDatabase, /file is not a database/],
      [join(notDatabase, 'usher.db'), /EEXIST|ENOTDIR/],
    ];
    for (const [path, reason] of cases) {
      const { config } = await settings({});
      const { code, output } = await usherFailure(dir, { ...config, storage: { kind: 'sqlite', path } });
      assert.equal(code, 3, output);
      assert.ok(
        output.includes(`usher: storage unavailable: cannot open the SQLite file ${path} (storage.path): `),
        output,
      );
      assert.match(output, reason);
      assert.doesNotMatch(output, /unexpected error|\n\s+at /);
    }
    assert.equal(
      readFileSync(notDatabase, 'utf8').startsWith('not a database'),
      true,
      'the file is left as it was',
    );
  });

  it('a missing LDAP CA file, found once the storage is open: the storage is closed and the process ends', async () => {
    const { config } = await settings({
      auth: {
        sources: [
          {
            kind: 'ldap',
            url: 'ldaps://127.0.0.1:1',
            baseDn: 'dc=example,dc=org',
            caFile: join(dir, 'no-ca.pem'),
          },
        ],
      },
    });
    await refusedAtStart(config, /auth\.sources\[0\]\.caFile: cannot read the file \(ENOENT\)/);
  });
});
