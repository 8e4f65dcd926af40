import { execFileSync } from 'node:child_process';

/** A crypt(3) hash from `openssl passwd` (`-1` MD5-crypt, `-5` SHA-256, `-6` SHA-512): an independent implementation. */
export function opensslPasswd(method: '-1' | '-5' | '-6', password: string, salt = 'usherSLT'): string {
  return execFileSync('openssl', ['passwd', method, '-salt', salt, password], { encoding: 'utf8' }).trim();
}
