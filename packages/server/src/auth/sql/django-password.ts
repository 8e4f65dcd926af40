import { createHash, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

/**
 * Django's password hashes (`django.contrib.auth.hashers`), as the `password` column of `auth_user` holds
 * them for django-cas-server and django-mama-cas: each value is checked as Django's `check_password` does
 * with its default hashers (PBKDF2 SHA-256 and SHA-1, Argon2, bcrypt-SHA256, scrypt), plus plain bcrypt:
 *
 * - `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` and `pbkdf2_sha1$…`
 * - `argon2$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`: a PHC string after `argon2`; `argon2i`/`argon2d`
 *   and the older forms without `v=` (version 0x10) too
 * - `bcrypt_sha256$$2b$…`: bcrypt of the hex SHA-256 of the password; `bcrypt$$2b$…`: bcrypt of the password
 * - `scrypt$<n>$<salt>$<r>$<p>$<base64 hash>` (Django 4.0+)
 *
 * Unusable passwords (`!…`, `set_unusable_password()`), empty values, other algorithms (the unsalted and
 * salted MD5/SHA-1 hashers and `crypt`, none of which Django enables by default) and malformed values never
 * match. Costs are read from the value, so they are bounded (DJANGO_HASH_LIMITS): a corrupt or hostile row
 * cannot make a sign-in allocate gigabytes or compute for minutes.
 */
export const DJANGO_HASH_LIMITS = {
  /** Django 3.2 writes 260,000, Django 5.2 1,000,000. */
  pbkdf2Iterations: 10_000_000,
  /** Django writes 12; each step doubles the time (16 takes several seconds with bcryptjs). */
  bcryptCost: 16,
  /** KiB (1 GiB); Django writes 102,400 (100 MiB). */
  argon2MemoryKiB: 1_048_576,
  /** Passes over the memory; Django writes 2. */
  argon2TimeCost: 16,
  /** Memory × passes in KiB (2 GiB·passes): ten times Django's default of 100 MiB × 2. */
  argon2Work: 2_097_152,
  /** Lanes; Django writes 8. */
  argon2Parallelism: 64,
  /** Bytes: OpenSSL's default, which Django's `hashlib.scrypt(maxmem=0)` also has, so any hash Django checks fits. */
  scryptMaxMemory: 32 * 1024 * 1024,
  /** Django writes 1 (4.0) or 5 (4.1+). */
  scryptParallelism: 16,
} as const;

/** Django 5.2's default PBKDF2 iteration count: unusable, unknown or refused values spend the time of a check. */
const BURN_ITERATIONS = 1_000_000;

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// A decimal as Django's "%d" writes it: a value with leading zeros or signs can never equal its re-encoding.
const INT = '([1-9]\\d{0,9})';
const PBKDF2 = new RegExp(`^pbkdf2_(sha256|sha1)\\$${INT}\\$([^$]+)\\$(.*)$`, 's');
const ARGON2 =
  /^argon2(\$argon2(?:id|i|d)(?:\$v=(?:16|19))?\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,10})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+)$/;
const BCRYPT = /^(bcrypt_sha256|bcrypt)\$(\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53})$/;
const SCRYPT = new RegExp(`^scrypt\\$${INT}\\$([^$]+)\\$${INT}\\$${INT}\\$(.*)$`, 's');

/** Whether `password` matches the Django hash `encoded`; values that cannot be checked never match. */
export async function checkDjangoPassword(encoded: unknown, password: string): Promise<boolean> {
  const verdict = typeof encoded === 'string' ? await verifyDjangoPassword(encoded, password) : undefined;
  if (verdict !== undefined) return verdict;
  // As Django's check_password: a row that cannot match still costs a check, so it does not stand out.
  await burnDjangoPasswordCheck(password);
  return false;
}

/** Spends about the time of a check of Django's default hasher (for an unknown username). */
export async function burnDjangoPasswordCheck(password: string): Promise<void> {
  await pbkdf2Async(password, 'usher-timing-equalizer', BURN_ITERATIONS, 32, 'sha256');
}

/**
 * The verdict, or undefined when the value is not checked: unusable, unknown algorithm, malformed, or a cost
 * beyond DJANGO_HASH_LIMITS. Exported for the tests; use checkDjangoPassword.
 */
export async function verifyDjangoPassword(encoded: string, password: string): Promise<boolean | undefined> {
  const algorithm = encoded.slice(0, Math.max(encoded.indexOf('$'), 0));
  try {
    switch (algorithm) {
      case 'pbkdf2_sha256':
      case 'pbkdf2_sha1':
        return await verifyPbkdf2(encoded, password);
      case 'argon2':
        return await verifyArgon2(encoded, password);
      case 'bcrypt_sha256':
      case 'bcrypt':
        return await verifyBcrypt(encoded, password);
      case 'scrypt':
        return await verifyScrypt(encoded, password);
      default:
        return undefined;
    }
  } catch {
    // Parameters the libraries refuse: a scrypt n that is no power of 2, an argon2 memory below 8 × lanes…
    return undefined;
  }
}

async function verifyPbkdf2(encoded: string, password: string): Promise<boolean | undefined> {
  const match = PBKDF2.exec(encoded);
  if (!match) return undefined;
  const [, digest, iterations, salt, hash] = match as unknown as [
    string,
    'sha256' | 'sha1',
    string,
    string,
    string,
  ];
  if (Number(iterations) > DJANGO_HASH_LIMITS.pbkdf2Iterations) return undefined;
  // Django's pbkdf2() keeps the digest's own length: 32 bytes for SHA-256, 20 for SHA-1.
  const key = await pbkdf2Async(password, salt, Number(iterations), digest === 'sha256' ? 32 : 20, digest);
  return sameText(key.toString('base64'), hash);
}

async function verifyArgon2(encoded: string, password: string): Promise<boolean | undefined> {
  const match = ARGON2.exec(encoded);
  if (!match) return undefined;
  const [, phc, m, t, p] = match as unknown as [string, string, string, string, string];
  const [memory, passes, lanes] = [Number(m), Number(t), Number(p)];
  const limits = DJANGO_HASH_LIMITS;
  if (memory > limits.argon2MemoryKiB || passes > limits.argon2TimeCost || lanes > limits.argon2Parallelism)
    return undefined;
  if (memory * passes > limits.argon2Work) return undefined;
  // Django hands the PHC string to argon2-cffi; the argon2 binding reads the same string and compares in constant time.
  return argon2.verify(phc, password);
}

async function verifyBcrypt(encoded: string, password: string): Promise<boolean | undefined> {
  const match = BCRYPT.exec(encoded);
  if (!match) return undefined;
  const [, algorithm, hash, cost] = match as unknown as [string, string, string, string];
  if (Number(cost) < 4 || Number(cost) > DJANGO_HASH_LIMITS.bcryptCost) return undefined;
  // bcrypt_sha256 hashes the hex SHA-256 first, so long passwords are not cut at bcrypt's 72 bytes.
  const secret =
    algorithm === 'bcrypt_sha256' ? createHash('sha256').update(password).digest('hex') : password;
  // Python's bcrypt refuses a NUL byte (Django then never signs the user in).
  if (secret.includes('\0')) return false;
  // As Django: hash again with the stored salt, then compare the whole result.
  return sameText(await bcrypt.hash(secret, hash.slice(0, 29)), hash);
}

async function verifyScrypt(encoded: string, password: string): Promise<boolean | undefined> {
  const match = SCRYPT.exec(encoded);
  if (!match) return undefined;
  const [, n, salt, r, p, hash] = match as unknown as [string, string, string, string, string, string];
  if (Number(p) > DJANGO_HASH_LIMITS.scryptParallelism) return undefined;
  // The memory bound (128 × n × r bytes and more) is the one OpenSSL applies for Django; beyond it, this throws.
  const key = await scryptAsync(password, salt, 64, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: DJANGO_HASH_LIMITS.scryptMaxMemory,
  });
  return sameText(key.toString('base64'), hash);
}

/** Constant-time equality; the length compared first is that of the stored value, not a secret. */
function sameText(computed: string, stored: string): boolean {
  const a = Buffer.from(computed);
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
