import argon2 from 'argon2';

/** argon2id with the library's defaults (OWASP-recommended memory and time cost). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, so response time does not reveal whether a username exists. */
export async function burnVerification(password: string): Promise<false> {
  dummyHash ??= hashPassword('usher-timing-equalizer');
  await verifyPassword(await dummyHash, password);
  return false;
}
