/**
 * Start of the fixed window holding `now`. Derived from the clock rather than from the first hit so that
 * every node and every backend (Redis included) agrees on the window, and tests can move time.
 */
export function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}
