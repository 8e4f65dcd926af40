import type { UsherConfig } from '../config/load-config.ts';

export type RetrySettings = UsherConfig['singleLogout']['retry'];

/**
 * What to do after failed attempt number `attempts` (1-based): wait `initialDelayMs`, doubling each time
 * up to `maxDelayMs`, shortened by up to `jitter` of itself at random, and give up once `maxAttempts`
 * attempts have failed. The jitter spreads the retries of the many requests a service missed while it
 * was down (a mass logout, a sweep of expired sessions), so they do not all hit it again at once.
 */
export function nextRetry(attempts: number, retry: RetrySettings): { delayMs: number } | { final: true } {
  if (attempts >= retry.maxAttempts) return { final: true };
  const delayMs = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (attempts - 1));
  return { delayMs: Math.round(delayMs * (1 - retry.jitter * Math.random())) };
}
