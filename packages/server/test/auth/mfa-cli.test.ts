import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/logging/logger.ts';
import { totpSecretOf } from '../../src/mfa/totp-enrolment.ts';
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

function usher(args: string[], input = '', configPath = config) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--config', configPath, ...args], {
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

describe('usher user mfa with auth.mfa.encryptionKey', () => {
  const keyed = mkdtempSync(join(tmpdir(), 'usher-mfa-key-'));
  const keyedDatabase = join(keyed, 'usher.db');
  const plainConfig = join(keyed, 'plain.yaml');
  const keyConfig = join(keyed, 'keyed.yaml');
  const key = randomBytes(32).toString('base64');
  const storageYaml = `storage:\n  kind: sqlite\n  path: ${keyedDatabase}\n`;
  writeFileSync(plainConfig, storageYaml);
  writeFileSync(keyConfig, `${storageYaml}auth:\n  mfa:\n    encryptionKey: ${key}\n`);
  after(() => rmSync(keyed, { recursive: true, force: true }));

  const run = (configPath: string, args: string[], input = '') => usher(args, input, configPath);
  const storedSecret = async (username: string) => {
    const storage = await createStorage(
      { kind: 'sqlite', path: keyedDatabase },
      { clock: Date.now, logger: createLogger('silent') },
    );
    try {
      return totpSecretOf(await storage.users.find(username));
    } finally {
      await storage.close();
    }
  };
  const secretIn = (out: string) => /secret \(to type in by hand\): ([A-Z2-7]+)/.exec(out)?.[1] ?? '';

  async function signInWithCode(
    username: string,
    secret: string,
    encryptionKey: string,
    previousEncryptionKeys: string[] = [],
    /** Each accepted code refuses its time step afterwards: later sign-ins of one user need later times. */
    at = Date.now(),
  ) {
    const t = await startTestServer({
      storage: (clock) =>
        createStorage({ kind: 'sqlite', path: keyedDatabase }, { clock, logger: createLogger('silent') }),
      settings: { auth: { mfa: { encryptionKey, previousEncryptionKeys } } },
      startAt: at,
    });
    try {
      const browser = new TestBrowser();
      const codeForm = await t.login({ service: APP_URL, username, password: 'pw of them all', browser });
      assert.equal(codeForm.status, 200);
      const done = await browser.post(`${t.baseUrl}/login`, {
        lt: formField(codeForm.text, 'lt')!,
        code: referenceTotp(base32Decode(secret), t.clock()),
        service: APP_URL,
      });
      return { status: done.status, logs: t.logs.join('') };
    } finally {
      await t.close();
    }
  }

  it('stores new secrets encrypted, bound to their user, and signs in with them', async () => {
    assert.equal(run(keyConfig, ['user', 'add', 'fred', '--password-stdin'], 'pw of them all\n').code, 0);
    const enrolled = run(keyConfig, ['user', 'mfa', 'enroll', 'fred']);
    assert.equal(enrolled.code, 0, enrolled.err);
    assert.doesNotMatch(enrolled.out, /unencrypted/);
    const secret = secretIn(enrolled.out);
    const stored = await storedSecret('fred');
    assert.match(stored ?? '', /^aes-256-gcm:/);
    assert.ok(!stored?.includes(secret), 'the secret is not in the record');
    assert.equal((await signInWithCode('fred', secret, key)).status, 302);

    const otherKey = randomBytes(32).toString('base64');
    const refused = await signInWithCode('fred', secret, otherKey);
    assert.equal(refused.status, 401, 'another key opens nothing: the right code is refused');
    assert.match(refused.logs, /"level":50.*TOTP secret unreadable/);
  });

  it('encrypts the secrets enrolled before the key was set, once', async () => {
    assert.equal(run(plainConfig, ['user', 'add', 'erin', '--password-stdin'], 'pw of them all\n').code, 0);
    const enrolled = run(plainConfig, ['user', 'mfa', 'enroll', 'erin']);
    assert.equal(enrolled.code, 0, enrolled.err);
    assert.match(enrolled.out, /stored unencrypted; set auth\.mfa\.encryptionKey/);
    const secret = secretIn(enrolled.out);
    assert.equal(await storedSecret('erin'), secret);

    const refused = run(plainConfig, ['user', 'mfa', 'encrypt']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /set auth\.mfa\.encryptionKey first/);
    const encrypted = run(keyConfig, ['user', 'mfa', 'encrypt']);
    assert.equal(encrypted.code, 0, encrypted.err);
    assert.match(encrypted.out, /^1 TOTP secret\(s\) encrypted$/m, 'fred was encrypted already');
    assert.match((await storedSecret('erin')) ?? '', /^aes-256-gcm:/);
    assert.match(run(keyConfig, ['user', 'mfa', 'encrypt']).out, /^0 TOTP secret\(s\) encrypted$/m);
    assert.equal((await signInWithCode('erin', secret, key)).status, 302);
  });

  it('rotates the key: the previous key still opens secrets until encrypt moves them to the new one', async () => {
    assert.equal(run(keyConfig, ['user', 'add', 'gina', '--password-stdin'], 'pw of them all\n').code, 0);
    const secret = secretIn(run(keyConfig, ['user', 'mfa', 'enroll', 'gina']).out);
    const sealedBefore = await storedSecret('gina');
    const newKey = randomBytes(32).toString('base64');
    const rotated = join(keyed, 'rotated.yaml');
    writeFileSync(
      rotated,
      `${storageYaml}auth:\n  mfa:\n    encryptionKey: ${newKey}\n    previousEncryptionKeys: [${key}]\n`,
    );
    assert.equal(
      (await signInWithCode('gina', secret, newKey, [key])).status,
      302,
      'the old key still opens',
    );

    const moved = run(rotated, ['user', 'mfa', 'encrypt']);
    assert.equal(moved.code, 0, moved.err);
    assert.match(moved.out, /^0 TOTP secret\(s\) encrypted$/m);
    // fred and erin (earlier tests) were sealed under the old key too.
    assert.match(moved.out, /^3 TOTP secret\(s\) moved from a previous key to the current one$/m);
    assert.notEqual(await storedSecret('gina'), sealedBefore);
    assert.match(run(rotated, ['user', 'mfa', 'encrypt']).out, /^0 TOTP secret\(s\) moved/m, 'once');
    const later = (steps: number) => Date.now() + steps * 60_000;
    assert.equal(
      (await signInWithCode('gina', secret, newKey, [], later(1))).status,
      302,
      'the new key opens it',
    );
    const old = await signInWithCode('gina', secret, key, [], later(2));
    assert.equal(old.status, 401, 'the old key alone no longer does');
    assert.match(old.logs, /TOTP secret unreadable/);

    // A key that opens nothing (the rotation done with the wrong file): nothing is changed, the users are named.
    const wrong = join(keyed, 'wrong.yaml');
    writeFileSync(
      wrong,
      `${storageYaml}auth:\n  mfa:\n    encryptionKey: ${randomBytes(32).toString('base64')}\n`,
    );
    const refused = run(wrong, ['user', 'mfa', 'encrypt']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /3 TOTP secret\(s\) open with no configured key, left as they are: .*gina/);
    assert.equal(
      (await signInWithCode('gina', secret, newKey, [], later(3))).status,
      302,
      'left as they were',
    );
  });

  it('refuses a key that is not 32 bytes of base64, naming the setting', () => {
    const bad = join(keyed, 'bad.yaml');
    writeFileSync(bad, `${storageYaml}auth:\n  mfa:\n    encryptionKey: too-short\n`);
    const checked = run(bad, ['config', 'check']);
    assert.notEqual(checked.code, 0);
    assert.match(checked.err, /auth\.mfa\.encryptionKey.*32 bytes in base64/);
    writeFileSync(bad, `${storageYaml}auth:\n  mfa:\n    previousEncryptionKeys: [${key}, nope]\n`);
    const previous = run(bad, ['config', 'check']);
    assert.notEqual(previous.code, 0);
    assert.match(previous.err, /auth\.mfa\.previousEncryptionKeys\[1\].*32 bytes in base64/);
  });
});
