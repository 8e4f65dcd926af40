import type { ModelName } from './types.ts';

/** Every {@link ModelName}, for operations that walk all models (sweep). */
export const MODEL_NAMES: readonly ModelName[] = [
  'loginToken',
  'ticket',
  'pgtIou',
  'session',
  'serviceAccess',
];

/** One store per model, created up front; the lookup refuses a name outside {@link ModelName}. */
export function storesByModel<S>(create: (name: ModelName) => S): {
  get(name: ModelName): S;
  all(): S[];
} {
  const stores = new Map(MODEL_NAMES.map((name) => [name, create(name)]));
  return {
    get(name) {
      const store = stores.get(name);
      if (store === undefined) throw new TypeError(`unknown storage model: ${String(name)}`);
      return store;
    },
    all: () => [...stores.values()],
  };
}
