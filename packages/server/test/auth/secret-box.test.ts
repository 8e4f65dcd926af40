import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  openTotpSecret,
  sealTotpSecret,
  type TotpKeys,
  TotpSecretUnreadableError,
  totpKeys,
} from '../../src/mfa/secret-box.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('TOTP secret encryption', () => {
  const key = randomBytes(32);
  const only = (current: Buffer | undefined, ...previous: Buffer[]): TotpKeys => ({ current, previous });

  it('opens what it sealed, with the same key and user; each seal differs', () => {
    const sealed = sealTotpSecret(SECRET, 'alice', key);
    assert.ok(!sealed.includes(SECRET));
    assert.notEqual(sealTotpSecret(SECRET, 'alice', key), sealed, 'a fresh IV each time');
    assert.deepEqual(openTotpSecret(sealed, 'alice', only(key)), { secret: SECRET, sealedWith: 'current' });
  });

  it('refuses another user, another key, a missing key and any altered byte', () => {
    const sealed = sealTotpSecret(SECRET, 'alice', key);
    const unreadable = (stored: string, user: string, keys: TotpKeys) =>
      assert.throws(() => openTotpSecret(stored, user, keys), TotpSecretUnreadableError);
    unreadable(sealed, 'mallory', only(key));
    unreadable(sealed, 'alice', only(randomBytes(32)));
    unreadable(sealed, 'alice', only(undefined));
    unreadable(sealed, 'alice', only(randomBytes(32), randomBytes(32)));
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    unreadable(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, 'alice', only(key));
    unreadable(`${sealed.split('.')[0]}.`, 'alice', only(key));
    unreadable('aes-256-gcm:garbage', 'alice', only(key));
  });

  it('opens a secret sealed under a previous key, and says so; previous keys never seal', () => {
    const old = randomBytes(32);
    const sealed = sealTotpSecret(SECRET, 'alice', old);
    assert.deepEqual(openTotpSecret(sealed, 'alice', only(key, randomBytes(32), old)), {
      secret: SECRET,
      sealedWith: 'previous',
    });
    assert.deepEqual(openTotpSecret(sealed, 'alice', only(undefined, old)).secret, SECRET);
    assert.throws(() => openTotpSecret(sealed, 'mallory', only(key, old)), TotpSecretUnreadableError);
  });

  it('returns a secret stored before encryption as it is', () => {
    assert.deepEqual(openTotpSecret(SECRET, 'alice', only(key)), { secret: SECRET, sealedWith: 'none' });
    assert.equal(openTotpSecret(SECRET, 'alice', only(undefined)).secret, SECRET);
  });

  it('reads the keys of auth.mfa', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const keys = totpKeys({
      encryptionKey: a.toString('base64'),
      previousEncryptionKeys: [b.toString('base64')],
    });
    assert.deepEqual(keys, { current: a, previous: [b] });
    assert.deepEqual(totpKeys({ previousEncryptionKeys: [] }), { current: undefined, previous: [] });
  });
});
