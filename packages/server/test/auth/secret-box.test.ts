import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openTotpSecret, sealTotpSecret, TotpSecretUnreadableError } from '../../src/mfa/secret-box.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('TOTP secret encryption', () => {
  const key = randomBytes(32);

  it('opens what it sealed, with the same key and user; each seal differs', () => {
    const sealed = sealTotpSecret(SECRET, 'alice', key);
    assert.ok(!sealed.includes(SECRET));
    assert.notEqual(sealTotpSecret(SECRET, 'alice', key), sealed, 'a fresh IV each time');
    assert.equal(openTotpSecret(sealed, 'alice', key), SECRET);
  });

  it('refuses another user, another key, a missing key and any altered byte', () => {
    const sealed = sealTotpSecret(SECRET, 'alice', key);
    const unreadable = (stored: string, user: string, k: Buffer | undefined) =>
      assert.throws(() => openTotpSecret(stored, user, k), TotpSecretUnreadableError);
    unreadable(sealed, 'mallory', key);
    unreadable(sealed, 'alice', randomBytes(32));
    unreadable(sealed, 'alice', undefined);
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    unreadable(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, 'alice', key);
    unreadable(`${sealed.split('.')[0]}.`, 'alice', key);
    unreadable('aes-256-gcm:garbage', 'alice', key);
  });

  it('returns a secret stored before encryption as it is', () => {
    assert.equal(openTotpSecret(SECRET, 'alice', key), SECRET);
    assert.equal(openTotpSecret(SECRET, 'alice', undefined), SECRET);
  });
});
