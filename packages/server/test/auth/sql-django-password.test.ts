import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDjangoPassword,
  DJANGO_HASH_LIMITS,
  verifyDjangoPassword,
} from '../../src/auth/sql/django-password.ts';
import { burnStoredPasswordCheck, checkStoredPassword } from '../../src/auth/sql/stored-password.ts';
import {
  DJANGO_BLANK_HASH,
  DJANGO_HASHES,
  DJANGO_LONG_HASHES,
  DJANGO_LONG_PASSWORD,
  DJANGO_PASSWORD,
  DJANGO_SUITE_HASHES,
  DJANGO_UNUSABLE_HASH,
} from './django-hashes.ts';

const wrongPasswords = (password: string) => [
  `${password}x`,
  [...password].slice(0, -1).join(''),
  password.toUpperCase(),
];

describe('SQL source, passwordCheck: django', () => {
  for (const [format, hash] of Object.entries(DJANGO_HASHES)) {
    it(`checks ${format} as Django does`, async () => {
      assert.equal(await checkStoredPassword('django', hash, DJANGO_PASSWORD), true);
      for (const wrong of wrongPasswords(DJANGO_PASSWORD))
        assert.equal(await verifyDjangoPassword(hash, wrong), false, JSON.stringify(wrong));
    });
  }

  it("matches the vectors of Django's own test suite", async () => {
    for (const [hash, password] of DJANGO_SUITE_HASHES) {
      assert.equal(await verifyDjangoPassword(hash, password), true, hash);
      assert.equal(await verifyDjangoPassword(hash, `${password}z`), false, hash);
    }
  });

  it('cuts plain bcrypt at 72 bytes as Django did, and bcrypt_sha256 not', async () => {
    const sameFirst72Bytes = `${DJANGO_LONG_PASSWORD.slice(0, 72)}zz`;
    assert.equal(await verifyDjangoPassword(DJANGO_LONG_HASHES.bcrypt, DJANGO_LONG_PASSWORD), true);
    assert.equal(await verifyDjangoPassword(DJANGO_LONG_HASHES.bcrypt, sameFirst72Bytes), true);
    assert.equal(
      await verifyDjangoPassword(DJANGO_LONG_HASHES.bcrypt, DJANGO_LONG_PASSWORD.slice(0, 70)),
      false,
    );
    assert.equal(await verifyDjangoPassword(DJANGO_LONG_HASHES.bcrypt_sha256, DJANGO_LONG_PASSWORD), true);
    assert.equal(await verifyDjangoPassword(DJANGO_LONG_HASHES.bcrypt_sha256, sameFirst72Bytes), false);
    // Python's bcrypt refuses NUL bytes: Django never signs such a password in.
    assert.equal(await verifyDjangoPassword(DJANGO_HASHES.bcrypt, `${DJANGO_PASSWORD}\0`), false);
  });

  it("checks the empty password against a hash of it, as Django's check_password does", async () => {
    assert.equal(await verifyDjangoPassword(DJANGO_BLANK_HASH, ''), true);
    assert.equal(await verifyDjangoPassword(DJANGO_BLANK_HASH, ' '), false);
  });

  it('never matches unusable passwords, empty or missing values', async () => {
    for (const stored of [
      DJANGO_UNUSABLE_HASH,
      '!',
      `!${DJANGO_HASHES.pbkdf2_sha256_1000}`,
      '',
      null,
      undefined,
      42,
    ]) {
      assert.equal(await checkStoredPassword('django', stored, DJANGO_PASSWORD), false, String(stored));
      if (typeof stored === 'string')
        assert.equal(await checkStoredPassword('django', stored, stored), false);
    }
    // As Django: the unusable value spends a check's time instead of answering at once.
    const started = performance.now();
    await checkDjangoPassword(DJANGO_UNUSABLE_HASH, DJANGO_PASSWORD);
    const unusable = performance.now() - started;
    const start2 = performance.now();
    await burnStoredPasswordCheck('django', DJANGO_PASSWORD);
    assert.ok(unusable > (performance.now() - start2) / 4, 'about the time of a check');
  });

  it('never matches algorithms Django does not enable by default, nor other formats', async () => {
    for (const [stored, password] of [
      // Django's own vectors for its legacy hashers (not in the default PASSWORD_HASHERS).
      ['md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3', 'lètmein'],
      ['sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8', 'lètmein'],
      ['sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b', 'lètmein'],
      ['88a434c88cca4e900f7874cd98123f43', 'lètmein'],
      ['md5$$88a434c88cca4e900f7874cd98123f43', 'lètmein'],
      ['crypt$$ab1Hv2Lg7ltQo', 'lètmei'],
      ['lolcat$salt$hash', DJANGO_PASSWORD],
      // The right hash without Django's prefix, or with another spelling of it.
      [DJANGO_HASHES.argon2i.slice('argon2'.length), DJANGO_PASSWORD],
      [DJANGO_HASHES.bcrypt.slice('bcrypt$'.length), DJANGO_PASSWORD],
      [DJANGO_HASHES.pbkdf2_sha256_1000.toUpperCase(), DJANGO_PASSWORD],
      [DJANGO_HASHES.pbkdf2_sha256_1000.replace('pbkdf2_sha256', 'pbkdf2_sha512'), DJANGO_PASSWORD],
      [DJANGO_PASSWORD, DJANGO_PASSWORD],
    ] as const) {
      assert.equal(await verifyDjangoPassword(stored, password), undefined, stored);
    }
    // A known algorithm on another's hash is checked, and fails.
    for (const stored of [
      DJANGO_HASHES.bcrypt.replace('bcrypt$', 'bcrypt_sha256$'),
      DJANGO_HASHES.bcrypt_sha256.replace('bcrypt_sha256$', 'bcrypt$'),
      DJANGO_HASHES.pbkdf2_sha1.replace('pbkdf2_sha1', 'pbkdf2_sha256'),
    ]) {
      assert.equal(await verifyDjangoPassword(stored, DJANGO_PASSWORD), false, stored);
    }
    assert.equal(await checkStoredPassword('django', 'lolcat$salt$hash', DJANGO_PASSWORD), false);
  });

  it('never matches malformed values, and does not throw on them', async () => {
    const pbkdf2 = DJANGO_HASHES.pbkdf2_sha256_1000;
    const { argon2i, bcrypt, scrypt } = DJANGO_HASHES;
    for (const stored of [
      // Iteration counts Django would not write as "%d" (so its re-encoding never equals them).
      pbkdf2.replace('$1000$', '$01000$'),
      pbkdf2.replace('$1000$', '$+1000$'),
      pbkdf2.replace('$1000$', '$1_000$'),
      pbkdf2.replace('$1000$', '$ 1000$'),
      pbkdf2.replace('$1000$', '$0$'),
      pbkdf2.replace('$1000$', '$$'),
      pbkdf2.replace('$1000$', '$-1000$'),
      pbkdf2.replace('$kFTyVlVb6rO2ZdQ1eN3cBh$', '$$'),
      pbkdf2.slice(0, -1),
      `${pbkdf2}\n`,
      pbkdf2.replace(/=$/, ''),
      pbkdf2.slice(0, pbkdf2.lastIndexOf('$')),
      argon2i.replace('argon2i', 'argon2x'),
      argon2i.replace('v=19', 'v=20'),
      argon2i.replace('m=512', 'm=4'), // below 8 KiB per lane: refused by Argon2 itself
      argon2i.replace('m=512,t=2,p=2', 'm=512,t=0,p=2'),
      argon2i.replace('m=512,t=2,p=2', 'p=2,t=2,m=512'),
      argon2i.slice(0, argon2i.lastIndexOf('$')),
      `${argon2i}$`,
      bcrypt.replace('$04$', '$03$'),
      bcrypt.replace('$2b$', '$2x$'),
      bcrypt.slice(0, -1),
      `${bcrypt}x`,
      scrypt.replace('$16384$', '$16000$'), // not a power of 2
      scrypt.replace('$16384$', '$1$'),
      scrypt.replace('$8$1$', '$8$1$x$'),
      scrypt.replace('$QmFzZTY0U2FsdFN0cg$', '$$'),
      scrypt.replace('$8$1$', '$0$1$'),
      'scrypt$',
      'pbkdf2_sha256$',
      'argon2$',
      'bcrypt$',
      '$',
      '$$$$',
    ]) {
      assert.notEqual(await verifyDjangoPassword(stored, DJANGO_PASSWORD), true, stored);
    }
    assert.equal(
      await checkStoredPassword('django', scrypt.replace('$16384$', '$16000$'), DJANGO_PASSWORD),
      false,
    );
  });

  it('refuses absurd costs without computing them', async () => {
    const { pbkdf2_sha256_1000: pbkdf2, argon2i, bcrypt, scrypt } = DJANGO_HASHES;
    const started = performance.now();
    for (const stored of [
      pbkdf2.replace('$1000$', `$${DJANGO_HASH_LIMITS.pbkdf2Iterations + 1}$`),
      pbkdf2.replace('$1000$', '$2147483647$'),
      pbkdf2.replace('$1000$', '$99999999999999$'),
      bcrypt.replace('$04$', `$${DJANGO_HASH_LIMITS.bcryptCost + 1}$`),
      bcrypt.replace('$04$', '$31$'),
      argon2i.replace('m=512', 'm=4294967295'),
      argon2i.replace('m=512', `m=${DJANGO_HASH_LIMITS.argon2MemoryKiB + 1}`),
      argon2i.replace('t=2', 't=4294967295'),
      argon2i.replace('p=2', 'p=16777215'),
      argon2i.replace('m=512,t=2', `m=${DJANGO_HASH_LIMITS.argon2MemoryKiB},t=3`),
      scrypt.replace('$16384$', '$1048576$'), // 1 GiB
      scrypt.replace('$16384$', '$65536$'), // 64 MiB: more than Django's own scrypt accepts
      scrypt.replace('$8$1$', '$8$1000000$'),
      scrypt.replace('$8$1$', `$8$${DJANGO_HASH_LIMITS.scryptParallelism + 1}$`),
    ]) {
      assert.equal(await verifyDjangoPassword(stored, DJANGO_PASSWORD), undefined, stored);
      assert.equal(await verifyDjangoPassword(stored, 'x'), undefined, stored);
    }
    assert.ok(performance.now() - started < 2000, 'nothing was computed');
    assert.equal(
      await checkStoredPassword('django', pbkdf2.replace('$1000$', '$2147483647$'), DJANGO_PASSWORD),
      false,
    );
  });
});
