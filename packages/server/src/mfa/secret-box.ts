import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED = 'aes-256-gcm:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed secret that cannot be opened: no key configured, a different key, or an altered record. */
export class TotpSecretUnreadableError extends Error {}

/**
 * Encrypts a TOTP secret for storage (AES-256-GCM) under `auth.mfa.encryptionKey`, bound to its user: a
 * sealed secret copied into another user's record does not open.
 */
export function sealTotpSecret(secret: string, username: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(username, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED}${iv.toString('base64url')}.${body.toString('base64url')}`;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED);
}

/**
 * The keys of `auth.mfa`: `encryptionKey` seals and opens; each of `previousEncryptionKeys` only opens,
 * so that secrets sealed before a key rotation keep working until `usher user mfa encrypt` reseals them.
 */
export interface TotpKeys {
  current: Buffer | undefined;
  previous: readonly Buffer[];
}

/** A stored secret, opened: `sealedWith` says which key sealed it (`none`: stored as it is). */
export interface OpenedTotpSecret {
  secret: string;
  sealedWith: 'current' | 'previous' | 'none';
}

/** The keys configured in `auth.mfa` as bytes (the schema has checked each is 32 bytes of base64). */
export function totpKeys(mfa: {
  encryptionKey?: string;
  previousEncryptionKeys: readonly string[];
}): TotpKeys {
  return {
    current: mfa.encryptionKey === undefined ? undefined : Buffer.from(mfa.encryptionKey, 'base64'),
    previous: mfa.previousEncryptionKeys.map((key) => Buffer.from(key, 'base64')),
  };
}

/** The secret of a stored value: sealed ones opened with the current key or a previous one, others as they are. */
export function openTotpSecret(stored: string, username: string, keys: TotpKeys): OpenedTotpSecret {
  if (!isSealed(stored)) return { secret: stored, sealedWith: 'none' };
  if (!keys.current && keys.previous.length === 0)
    throw new TotpSecretUnreadableError('the secret is encrypted and auth.mfa.encryptionKey is not set');
  const [iv, body] = stored
    .slice(SEALED.length)
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  if (iv && body && iv.length === IV_BYTES && body.length > TAG_BYTES) {
    const candidates = [
      ...(keys.current ? [{ key: keys.current, sealedWith: 'current' as const }] : []),
      ...keys.previous.map((key) => ({ key, sealedWith: 'previous' as const })),
    ];
    for (const { key, sealedWith } of candidates) {
      const secret = openWith(key, iv, body, username);
      if (secret !== undefined) return { secret, sealedWith };
    }
  }
  throw new TotpSecretUnreadableError(
    'the secret does not open with auth.mfa.encryptionKey or a previous key (another key, or an altered record)',
  );
}

function openWith(key: Buffer, iv: Buffer, body: Buffer, username: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(username, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}
