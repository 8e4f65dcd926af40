import { windowStart } from '../rate-limit-window.ts';
import type { Clock, RateLimitStore } from '../types.ts';

interface Counter {
  windowStart: number;
  count: number;
  expiresAt: number;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #clock: Clock;
  readonly #counters = new Map<string, Counter>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const start = windowStart(this.#clock(), windowMs);
    const counter = this.#counters.get(key);
    if (counter && counter.windowStart >= start) return ++counter.count;
    this.#counters.set(key, { windowStart: start, count: 1, expiresAt: start + windowMs });
    return 1;
  }

  async reset(key: string): Promise<void> {
    this.#counters.delete(key);
  }

  /** Drops counters of past windows. */
  sweep(): void {
    const now = this.#clock();
    for (const [key, counter] of this.#counters) if (counter.expiresAt <= now) this.#counters.delete(key);
  }
}
