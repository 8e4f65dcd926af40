import type { Clock } from './storage/types.ts';

export type { Clock };

export const systemClock: Clock = () => Date.now();

/** A clock tests can move forward without sleeping. */
export function manualClock(
  start = Date.now(),
): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}
