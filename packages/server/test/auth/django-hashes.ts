/**
 * Password hashes made by Django itself, for the `django` password check of the SQL source.
 *
 * DJANGO_HASHES were written by Django 3.2.25 (Debian's python3-django, with argon2-cffi 21.1.0 and
 * bcrypt 3.2.2) with make_password() or its hashers' encode(), and each was checked there with
 * check_password(): true for DJANGO_PASSWORD, false with a character added or removed. Django 3.2 has no
 * scrypt: the scrypt values are its 4.0+ ScryptPasswordHasher.encode() redone with Python's hashlib.scrypt,
 * which reproduces Django's own scrypt test vectors (DJANGO_SUITE_HASHES) exactly.
 */
export const DJANGO_PASSWORD = 'Zürich été 2024 \u{1F511}';

export const DJANGO_HASHES = {
  /** make_password(): Django 3.2's default hasher and iteration count. */
  pbkdf2_sha256: 'pbkdf2_sha256$260000$o2B8VKUjgynx6q5gF1E9Xp$LGu79NQ3m2xJJadqqcX0PGpMfJrT0d+3o4c16CT2sPc=',
  pbkdf2_sha256_1000:
    'pbkdf2_sha256$1000$kFTyVlVb6rO2ZdQ1eN3cBh$mr1Gdb2p1ig233YjwGWAQXQgFUlYISXMfaiCQ/7cI28=',
  /** A salt outside ASCII (Django hashes its UTF-8 bytes). */
  pbkdf2_sha256_unicode_salt: 'pbkdf2_sha256$1000$sél$pE7r10y0t4CaEsCHx+5JgSuE6rHI4/WrkhkvDPtV8I4=',
  pbkdf2_sha1: 'pbkdf2_sha1$1000$W0Zf8p2sXyq1TmvC9aLr4D$hWfe0gDWN9wAmskpZI6MR8WJAds=',
  /** Django 3.1+: argon2id, m=102400, t=2, p=8. */
  argon2id: 'argon2$argon2id$v=19$m=102400,t=2,p=8$M1o0cGUxWklURTZCMlJTTkNaNzBFbg$VRVBZUiNPuPb3d91LoesrQ',
  /** Django 1.10–3.0: argon2i, m=512, t=2, p=2. */
  argon2i: 'argon2$argon2i$v=19$m=512,t=2,p=2$T2xkRGphbmdvU2FsdDEyMw$W3P66hWv721XgZELYwkxcg',
  bcrypt_sha256: 'bcrypt_sha256$$2b$04$kVQF1I5VQ7StpfQA3g2vU.ZvdCtYOyEO/RZMWTljY4RFMm39jNf3q',
  /** Django's default 12 rounds. */
  bcrypt_sha256_12: 'bcrypt_sha256$$2b$12$Igvaxc249xPVUJvanREUGuWzZF3UJ/hcY./IkvB4XloCH/RlapLXG',
  bcrypt: 'bcrypt$$2b$04$O1ZI4RK2Ff0v39.eVY.g/uMZHtp/a3n6jKd4rEbZHReEAvDQFfV0e',
  /** Django 4.0's parameters (n=2^14, r=8, p=1). */
  scrypt:
    'scrypt$16384$QmFzZTY0U2FsdFN0cg$8$1$YEC3mlTTNkaEzCiLfZ+qs+A86+UTghP0KFThIUCxdecJifPkNY7RZP2Lp+ogKyOnbpchclWk6Jjjl/JWIXezYw==',
  /** Django 4.1+'s parameters (p=5). */
  scrypt_p5:
    'scrypt$16384$Zx7Kq2LmNp4Rs6Tv8Wy0Ab$8$5$H0MxWOPPD7faamEVFS3FerMtfKLdxeuDbRwadGdcEQZZ7/xRlGcTo9veB1+mSpC6cEu/LnBxPDWS8b7zFk/rQw==',
} as const;

/** 78 UTF-8 bytes: bcrypt reads the first 72. */
export const DJANGO_LONG_PASSWORD = `${'x'.repeat(70)}éétail`;
/** Django 3.2: `bcrypt` matches any password sharing the first 72 bytes, `bcrypt_sha256` does not. */
export const DJANGO_LONG_HASHES = {
  bcrypt: 'bcrypt$$2b$04$H7ld5Jp05g/gxCsS7dKN/.HH4tKJB1bvB/tC9rtPjVpfFx.guGbfa',
  bcrypt_sha256: 'bcrypt_sha256$$2b$12$TJ3d0HzeEFS.0hqcg.RiZexdLU7PGmoDAfXNfTLioQxseMm6Ln8GO',
} as const;

/** Django 3.2: encode('', 'blanksalt', 1000); Django lets the empty password match it. */
export const DJANGO_BLANK_HASH = 'pbkdf2_sha256$1000$blanksalt$zSNibO6iKBrlL6wYiVHO9FmgeFvcaWVRsrIYi7M6yp8=';

/** Django 3.2: make_password(None), what set_unusable_password() stores. */
export const DJANGO_UNUSABLE_HASH = '!4yiEh9inmfVjVyLZPXvYIiJvI2kiBuA6VabvLmw0';

/**
 * From Django's own test suite (tests/auth_tests/test_hashers.py, Django 4.2), each with its password;
 * the PBKDF2 and Argon2 ones were checked again with Django 3.2.25.
 */
export const DJANGO_SUITE_HASHES: [hash: string, password: string][] = [
  ['pbkdf2_sha256$600000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA=', 'lètmein'],
  ['pbkdf2_sha1$600000$seasalt2$2CLsaL1MZhq6JOG6QOHtVbiopHE=', 'lètmein'],
  // Old Argon2 hashes without the version (0x10).
  [
    'argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg',
    'secret',
  ],
  ['argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q', 'secret'],
  [
    'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==',
    'lètmein',
  ],
  [
    'scrypt$16384$seasalt$8$5$ECMIUp+LMxMSK8xB/IVyba+KYGTI7FTnet025q/1f/vBAVnnP3hdYqJuRi+mJn6ji6ze3Fbb7JEFPKGpuEf5vw==',
    'lètmein',
  ],
];
