import type { Clock, ModelStore, StoredItem } from '../types.ts';

interface Entry {
  /** Kept as JSON so callers never share objects with the store, as with the other backends. */
  json: string;
  expiresAt: number;
  groupId?: string;
}

export class MemoryModelStore<T> implements ModelStore<T> {
  readonly #clock: Clock;
  readonly #items = new Map<string, Entry>();
  readonly #groups = new Map<string, Set<string>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async upsert(id: string, payload: T, options: { expiresAt: number; groupId?: string }): Promise<void> {
    this.#remove(id);
    const entry: Entry = { json: JSON.stringify(payload), expiresAt: options.expiresAt };
    if (options.groupId !== undefined) {
      entry.groupId = options.groupId;
      const group = this.#groups.get(options.groupId);
      if (group) group.add(id);
      else this.#groups.set(options.groupId, new Set([id]));
    }
    this.#items.set(id, entry);
  }

  async find(id: string): Promise<T | undefined> {
    const entry = this.#live(id);
    return entry && JSON.parse(entry.json);
  }

  async consume(id: string): Promise<T | undefined> {
    const entry = this.#live(id);
    if (!entry) return undefined;
    this.#remove(id);
    return JSON.parse(entry.json);
  }

  async destroy(id: string): Promise<void> {
    this.#remove(id);
  }

  async findByGroup(groupId: string): Promise<StoredItem<T>[]> {
    const items: StoredItem<T>[] = [];
    for (const id of this.#groups.get(groupId) ?? []) {
      const entry = this.#live(id);
      if (entry) items.push(toItem(id, entry));
    }
    return items;
  }

  async destroyByGroup(groupId: string): Promise<number> {
    const ids = [...(this.#groups.get(groupId) ?? [])];
    for (const id of ids) this.#remove(id);
    return ids.length;
  }

  async takeExpired(limit: number): Promise<StoredItem<T>[]> {
    const taken = this.#expired(limit).map(([id, entry]) => toItem<T>(id, entry));
    for (const item of taken) this.#remove(item.id);
    return taken;
  }

  /** Removes every expired item; returns how many. */
  sweep(): number {
    const now = this.#clock();
    let removed = 0;
    // In place: a copy of a large map for each sweep would be garbage the size of the store.
    for (const [id, entry] of this.#items) {
      if (entry.expiresAt <= now) {
        this.#remove(id);
        removed++;
      }
    }
    return removed;
  }

  #expired(limit: number): [string, Entry][] {
    const now = this.#clock();
    const expired: [string, Entry][] = [];
    for (const item of this.#items) if (item[1].expiresAt <= now) expired.push(item);
    return expired.sort((a, b) => a[1].expiresAt - b[1].expiresAt).slice(0, limit);
  }

  #live(id: string): Entry | undefined {
    const entry = this.#items.get(id);
    return entry && entry.expiresAt > this.#clock() ? entry : undefined;
  }

  #remove(id: string): void {
    const entry = this.#items.get(id);
    if (!entry) return;
    this.#items.delete(id);
    if (entry.groupId === undefined) return;
    const group = this.#groups.get(entry.groupId);
    group?.delete(id);
    if (group?.size === 0) this.#groups.delete(entry.groupId);
  }
}

function toItem<T>(id: string, entry: Entry): StoredItem<T> {
  const item: StoredItem<T> = { id, payload: JSON.parse(entry.json), expiresAt: entry.expiresAt };
  if (entry.groupId !== undefined) item.groupId = entry.groupId;
  return item;
}
