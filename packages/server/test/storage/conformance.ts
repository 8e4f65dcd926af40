import { describe } from 'node:test';
import type { Clock, Storage } from '../../src/storage/types.ts';
import { modelCases } from './conformance-models.ts';
import { outboxCases } from './conformance-outbox.ts';
import { rateLimitCases } from './conformance-rate-limits.ts';
import { sweepCases } from './conformance-sweep.ts';
import { userCases } from './conformance-users.ts';
import { harness } from './harness.ts';

/**
 * The contract of `src/storage/types.ts` as tests, run against every backend. `factory` is called once
 * per test (twice for the cross-instance ones): for a shared backend every call must open a new
 * connection over the same data, as two nodes would.
 */
export function runStorageConformance(name: string, factory: (clock: Clock) => Promise<Storage>): void {
  describe(`storage conformance: ${name}`, () => {
    const h = harness(factory);
    modelCases(h);
    userCases(h);
    outboxCases(h);
    rateLimitCases(h);
    sweepCases(h);
  });
}
