import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStoredPassword } from '../../src/auth/sql/stored-password.ts';
import { opensslPasswd } from './openssl-passwd.ts';

const PASSWORDS = ['open sesame 42', 'pässwörd ✓ 日本', 'x'];

describe('SQL source, passwordCheck: crypt', () => {
  for (const [method, name] of [
    ['-1', 'MD5-crypt ($1$)'],
    ['-5', 'SHA-256-crypt ($5$)'],
    ['-6', 'SHA-512-crypt ($6$)'],
  ] as const) {
    it(`checks ${name} hashes of UTF-8 passwords as crypt(3) does, and refuses near misses`, async () => {
      for (const password of PASSWORDS) {
        const stored = opensslPasswd(method, password);
        assert.equal(await checkStoredPassword('crypt', stored, password), true, `${stored} ${password}`);
        for (const wrong of [`${password}x`, password.slice(0, -1), password.toUpperCase()])
          if (wrong !== password)
            assert.equal(await checkStoredPassword('crypt', stored, wrong), false, wrong);
      }
    });
  }

  it('reads the salt of MD5-crypt from the stored value', async () => {
    const a = opensslPasswd('-1', 'same', 'saltA');
    const b = opensslPasswd('-1', 'same', 'saltB');
    assert.notEqual(a, b);
    assert.equal(await checkStoredPassword('crypt', a, 'same'), true);
    assert.equal(await checkStoredPassword('crypt', b, 'same'), true);
  });

  it('refuses malformed and unsupported values whatever the password', async () => {
    const md5 = opensslPasswd('-1', 'secret');
    for (const stored of [
      md5.slice(0, -1),
      `${md5}x`,
      md5.replace('$1$', '$apr1$'),
      // DES crypt reads 8 characters of the password: never accepted.
      'x1/z0Cstz2Wa.',
      '$y$j9T$abcdefghijklmnop$7asOTx5b6Exfl3myM6K0pLBn.I2hsEvu7G0F7NMfaO.',
      '',
    ])
      assert.equal(await checkStoredPassword('crypt', stored, 'secret'), false, stored);
  });
});
