import type { UsherConfig } from '../config/load-config.ts';

export type RetrySettings = UsherConfig['singleLogout']['retry'];

/**
 * What to do after failed attempt number `attempts` (1-based): wait `initialDelayMs`, doubling each time
 * up to `maxDelayMs`, and give up once `maxAttempts` attempts have failed.
 */
export function nextRetry(attempts: number, retry: RetrySettings): { delayMs: number } | { final: true } {
  if (attempts >= retry.maxAttempts) return { final: true };
  return { delayMs: Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempts - 1)) };
}
