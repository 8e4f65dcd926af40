import { storesByModel } from '../model-names.ts';
import type { Clock, ModelName, ModelStore, Storage } from '../types.ts';
import { MemoryModelStore } from './memory-model-store.ts';
import { MemoryOutboxStore } from './memory-outbox-store.ts';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';
import { MemoryUserStore } from './memory-user-store.ts';

/**
 * Process-local storage for tests and development. NOT for production: data is lost on restart and is
 * not shared between processes, so `consume` is only atomic within one process.
 */
export function createMemoryStorage(clock: Clock): Storage {
  const models = storesByModel(() => new MemoryModelStore<unknown>(clock));
  const rateLimits = new MemoryRateLimitStore(clock);
  return {
    kind: 'memory',
    model: <T>(name: ModelName) => models.get(name) as ModelStore<T>,
    users: new MemoryUserStore(),
    outbox: new MemoryOutboxStore(clock),
    rateLimits,
    async sweep() {
      rateLimits.sweep();
      return models.all().reduce((removed, store) => removed + store.sweep(), 0);
    },
    async ping() {},
    async close() {},
  };
}
