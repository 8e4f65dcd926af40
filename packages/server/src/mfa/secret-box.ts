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

/** The secret of a stored value: sealed ones opened with the key, others (enrolled before a key was set) as they are. */
export function openTotpSecret(stored: string, username: string, key: Buffer | undefined): string {
  if (!isSealed(stored)) return stored;
  if (!key)
    throw new TotpSecretUnreadableError('the secret is encrypted and auth.mfa.encryptionKey is not set');
  const [iv, body] = stored
    .slice(SEALED.length)
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  try {
    if (!iv || !body || iv.length !== IV_BYTES || body.length <= TAG_BYTES) throw new Error('malformed');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(username, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new TotpSecretUnreadableError(
      'the secret does not open with auth.mfa.encryptionKey (another key, or an altered record)',
    );
  }
}

/** `auth.mfa.encryptionKey` as bytes (the schema has checked it is 32 bytes of base64). */
export function totpEncryptionKey(configured: string | undefined): Buffer | undefined {
  return configured === undefined ? undefined : Buffer.from(configured, 'base64');
}
