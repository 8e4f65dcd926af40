import type { CasStore } from './cas-store.ts';

export interface MemoryCasStoreOptions {
  /** Past this many entries the oldest are dropped, so a flood of callbacks cannot exhaust memory. */
  maxEntries?: number;
  clock?: () => number;
}

/**
 * In-process store. Fine for one process; with several processes or nodes, a PGT callback or a single
 * logout request may reach another process than the one holding the entry: use `RedisCasStore` there.
 */
export class MemoryCasStore implements CasStore {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #clock: () => number;

  constructor(options: MemoryCasStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#clock() + ttlMs });
    if (this.#entries.size > this.#maxEntries) this.#evict();
  }

  async add(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key);
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.#live(key);
    this.#entries.delete(key);
    return value;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  #live(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.#clock()) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Drops expired entries, then the oldest (Map keeps insertion order) until back under the cap. */
  #evict(): void {
    const now = this.#clock();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
