import { Secret, TOTP } from 'otpauth';

// RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30-second steps.
const PERIOD_SECONDS = 30;
/** Steps accepted on either side of the current one, for clocks that drift (RFC 6238 §5.2). */
const DRIFT_STEPS = 1;

function totp(secret: string, label = 'user', issuer = 'Usher'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new random secret (160 bits, RFC 4226 §4), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app scans (as a QR code) or imports. */
export function totpUri(secret: string, username: string, issuer: string): string {
  return totp(secret, username, issuer).toString();
}

/** The time step `code` belongs to when it is valid at `now` (give or take the drift), else undefined. */
export function matchingStep(secret: string, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const generator = totp(secret);
  const delta = generator.validate({ token: code, timestamp: now, window: DRIFT_STEPS });
  return delta === null ? undefined : generator.counter({ timestamp: now }) + delta;
}
