import { createHmac } from 'node:crypto';

/**
 * RFC 6238 by the book (HMAC-SHA-1, 30 s steps, 6 digits), independent of the library the server uses;
 * checked against the RFC's Appendix B vectors in mfa.test.ts.
 */
export function referenceTotp(key: Buffer, timeMs: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 1000 / 30)));
  const hmac = createHmac('sha1', key).update(counter).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The RFC 6238 Appendix B SHA-1 key, and its base32 form as stored for a user. */
export const RFC_KEY = Buffer.from('12345678901234567890');
export const RFC_KEY_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
