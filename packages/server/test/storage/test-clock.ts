import type { Clock } from '../../src/storage/types.ts';

export interface TestClock extends Clock {
  advance(ms: number): void;
}

// Each clock starts one epoch before the previous one. Backends that share data across tests (one SQLite
// file, Redis prefix or PostgreSQL schema per run) then never show a test the leftovers of an earlier one
// as expired or due, since those lie in a later epoch.
let nextEpoch = 4_000_000_000_000;

export function testClock(): TestClock {
  nextEpoch -= 10_000_000_000;
  let now = nextEpoch;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}
