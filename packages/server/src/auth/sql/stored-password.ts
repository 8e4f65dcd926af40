import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';
import { verify as verifyUnixCrypt } from 'unixcrypt';
import type { SqlSourceConfig } from '../../config/auth-schema.ts';
import { burnVerification, verifyPassword } from '../password-hash.ts';
import { burnDjangoPasswordCheck, checkDjangoPassword } from './django-password.ts';

export type PasswordCheck = SqlSourceConfig['passwordCheck'];

const BCRYPT = /^\$2[aby]\$\d\d\$/;
const SHA_CRYPT = /^\$[56]\$/;
// apache-md5 is CommonJS exporting the function itself, while its typings declare a default export.
const md5Crypt = createRequire(import.meta.url)('apache-md5') as (password: string, salt: string) => string;
// MD5-crypt: up to 8 characters of salt, 22 of hash.
const MD5_CRYPT = /^\$1\$[^$]{0,8}\$[./0-9A-Za-z]{22}$/;
// A bcrypt hash of a random password, to spend a real check's time on unknown usernames.
const DUMMY_BCRYPT = '$2b$10$hXxUcyNcWyFgeXTzf8QWleJNdL2B1xMWQAKvhkZQ7zOJFEhH7i9Li';

/** Checks a password against the value of the password column. Malformed values never match. */
export async function checkStoredPassword(
  check: PasswordCheck,
  stored: unknown,
  password: string,
): Promise<boolean> {
  // Django spends a check's time on unusable and unknown values too: before the early refusal below.
  if (check === 'django') return checkDjangoPassword(stored, password);
  if (typeof stored !== 'string' || stored === '') return false;
  switch (check) {
    case 'argon2':
      return verifyPassword(stored, password);
    case 'bcrypt':
      return BCRYPT.test(stored) && bcrypt.compare(password, stored);
    case 'crypt':
      if (BCRYPT.test(stored)) return bcrypt.compare(password, stored);
      if (MD5_CRYPT.test(stored)) return checkMd5Crypt(stored, password);
      return SHA_CRYPT.test(stored) && verifyUnixCrypt(password, stored);
    case 'plain':
      // Digests first: timingSafeEqual needs equal lengths, and the length must not leak either.
      return timingSafeEqual(digest(stored), digest(password));
  }
}

/** Spends about the time of a real check, so that response times do not tell which usernames exist. */
export async function burnStoredPasswordCheck(check: PasswordCheck, password: string): Promise<void> {
  if (check === 'argon2') await burnVerification(password);
  else if (check === 'django') await burnDjangoPasswordCheck(password);
  else if (check !== 'plain') await bcrypt.compare(password, DUMMY_BCRYPT);
}

/** crypt(3) reads the password's bytes: the library takes one character per byte, so UTF-8 goes in as latin1. */
function checkMd5Crypt(stored: string, password: string): boolean {
  const computed = md5Crypt(Buffer.from(password, 'utf8').toString('latin1'), stored);
  return timingSafeEqual(digest(computed), digest(stored));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
