import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/logging/logger.ts';
import { createStorage } from '../../src/storage/create-storage.ts';
import { formField, TestBrowser } from '../helpers/browser.ts';
import { APP_URL, startTestServer } from '../helpers/test-server.ts';
import { referenceTotp } from './totp-reference.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'usher-mfa-cli-'));
const database = join(dir, 'usher.db');
const config = join(dir, 'usher.yaml');
writeFileSync(
  config,
  `storage:\n  kind: sqlite\n  path: ${database}\nauth:\n  mfa:\n    issuer: Example SSO\n`,
);

function usher(args: string[], input = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--config', config, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, USHER_CONFIG: '' },
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g)!.map((byte) => Number.parseInt(byte, 2)));
}

describe('usher user mfa', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  let secret = '';

  it('enrolls a local user once, printing the otpauth URI and the secret', () => {
    assert.equal(usher(['user', 'add', 'carol', '--password-stdin'], 'carol password\n').code, 0);
    const enrolled = usher(['user', 'mfa', 'enroll', 'carol']);
    assert.equal(enrolled.code, 0, enrolled.err);
    const uri = /otpauth:\/\/totp\/\S+/.exec(enrolled.out)?.[0];
    assert.ok(uri, enrolled.out);
    const parsed = new URL(uri);
    assert.equal(decodeURIComponent(parsed.pathname), '/Example SSO:carol');
    assert.equal(parsed.searchParams.get('issuer'), 'Example SSO');
    assert.equal(parsed.searchParams.get('digits'), '6');
    assert.equal(parsed.searchParams.get('period'), '30');
    secret = parsed.searchParams.get('secret') ?? '';
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(enrolled.out, new RegExp(`secret \\(to type in by hand\\): ${secret}`));

    const again = usher(['user', 'mfa', 'enroll', 'carol']);
    assert.equal(again.code, 1);
    assert.match(again.err, /already enrolled/);
    const list = usher(['user', 'list']);
    assert.match(list.out, /^carol \(mfa\)$/m);
    assert.doesNotMatch(list.out, new RegExp(secret));
  });

  it('refuses reserved attribute names', () => {
    const added = usher(
      ['user', 'add', 'dave', '--attr', '@usher/totp-secret=AAAA', '--password-stdin'],
      'dave password\n',
    );
    assert.equal(added.code, 2);
    assert.match(added.err, /reserved/);
  });

  it('signs in with a code made from the printed secret', async () => {
    const t = await startTestServer({
      storage: (clock) =>
        createStorage({ kind: 'sqlite', path: database }, { clock, logger: createLogger('silent') }),
      startAt: Date.now(),
    });
    try {
      const browser = new TestBrowser();
      const codeForm = await t.login({
        service: APP_URL,
        username: 'carol',
        password: 'carol password',
        browser,
      });
      assert.equal(codeForm.status, 200);
      const done = await browser.post(`${t.baseUrl}/login`, {
        lt: formField(codeForm.text, 'lt')!,
        code: referenceTotp(base32Decode(secret), t.clock()),
        service: APP_URL,
      });
      assert.equal(done.status, 302);
    } finally {
      await t.close();
    }
  });

  it('enrolls a user of another source in a record without a password, and disables', () => {
    const enrolled = usher(['user', 'mfa', 'enroll', 'lara']);
    assert.equal(enrolled.code, 0, enrolled.err);
    assert.match(usher(['user', 'list']).out, /^lara \(no local password\) \(mfa\)$/m);
    assert.equal(usher(['user', 'mfa', 'disable', 'lara']).code, 0);
    assert.doesNotMatch(usher(['user', 'list']).out, /lara/, 'the record only held the secret');
    assert.equal(usher(['user', 'mfa', 'disable', 'carol']).code, 0);
    assert.match(usher(['user', 'list']).out, /^carol$/m);
    const none = usher(['user', 'mfa', 'disable', 'carol']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no two-step verification/);
  });
});
