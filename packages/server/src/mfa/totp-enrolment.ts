import type { Attributes } from '../auth/authenticator.ts';
import type { UserRecord } from '../storage/types.ts';

// The TOTP enrolment lives in the user record's attributes under reserved names, so every storage backend
// keeps it without a schema change. Such names are never valid XML names either, so even a leak past
// `publicAttributes` could not reach a validation response.
const RESERVED_PREFIX = '@usher/';
const SECRET = `${RESERVED_PREFIX}totp-secret`;
const LAST_STEP = `${RESERVED_PREFIX}totp-last-step`;

export function isReservedAttribute(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

/** The attributes a user may see released: everything but the reserved ones. */
export function publicAttributes(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !isReservedAttribute(name)));
}

/** The user's TOTP secret as stored (sealed by `secret-box.ts` when a key is configured), when enrolled. */
export function totpSecretOf(user: UserRecord | undefined): string | undefined {
  return user?.attributes[SECRET]?.[0];
}

/** The time step of the last accepted code: older and equal steps are refused (RFC 6238 §5.2). */
export function lastTotpStep(user: UserRecord): number {
  return Number(user.attributes[LAST_STEP]?.[0] ?? -1);
}

/** Enrols (a secret) or unenrols (undefined) the user. */
export function withTotpSecret(user: UserRecord, secret: string | undefined, now: number): UserRecord {
  const attributes = { ...user.attributes };
  delete attributes[LAST_STEP];
  if (secret === undefined) delete attributes[SECRET];
  else attributes[SECRET] = [secret];
  return { ...user, attributes, updatedAt: now };
}

/** The same enrolment, its secret stored another way (encrypted); the last accepted step stays refused. */
export function withStoredTotpSecret(user: UserRecord, stored: string, now: number): UserRecord {
  return { ...user, attributes: { ...user.attributes, [SECRET]: [stored] }, updatedAt: now };
}

export function withLastTotpStep(user: UserRecord, step: number): UserRecord {
  return { ...user, attributes: { ...user.attributes, [LAST_STEP]: [String(step)] } };
}

/**
 * Users of other sources (LDAP, SQL, REST) enrolled in MFA get a local record without a password: it
 * holds their secret, and the local source treats them as unknown.
 */
export const NO_LOCAL_PASSWORD = '';
