import { byUsername } from '../ordering.ts';
import type { UserRecord, UserStore } from '../types.ts';

export class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, UserRecord>();

  async find(username: string): Promise<UserRecord | undefined> {
    const user = this.#users.get(username);
    return user && structuredClone(user);
  }

  async create(user: UserRecord): Promise<boolean> {
    if (this.#users.has(user.username)) return false;
    this.#users.set(user.username, structuredClone(user));
    return true;
  }

  async update(user: UserRecord): Promise<boolean> {
    if (!this.#users.has(user.username)) return false;
    this.#users.set(user.username, structuredClone(user));
    return true;
  }

  async remove(username: string): Promise<boolean> {
    return this.#users.delete(username);
  }

  async list(): Promise<UserRecord[]> {
    return [...this.#users.values()].sort(byUsername).map((user) => structuredClone(user));
  }

  async count(): Promise<number> {
    return this.#users.size;
  }
}
