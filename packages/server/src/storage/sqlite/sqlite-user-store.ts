import type { Database, Statement } from 'better-sqlite3';
import { byUsername } from '../ordering.ts';
import { type UserRow, userFromRow } from '../sql-rows.ts';
import type { UserRecord, UserStore } from '../types.ts';
import type { SqliteQueue } from './sqlite-queue.ts';

export class SqliteUserStore implements UserStore {
  readonly #queue: SqliteQueue;
  readonly #find: Statement;
  readonly #create: Statement;
  readonly #update: Statement;
  readonly #remove: Statement;
  readonly #list: Statement;
  readonly #count: Statement;

  constructor(db: Database, queue: SqliteQueue) {
    this.#queue = queue;
    this.#find = db.prepare('SELECT * FROM users WHERE username = ?');
    this.#create = db.prepare(
      `INSERT INTO users (username, password_hash, attributes, disabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
    );
    this.#update = db.prepare(
      `UPDATE users SET password_hash = ?, attributes = ?, disabled = ?, created_at = ?, updated_at = ?
       WHERE username = ?`,
    );
    this.#remove = db.prepare('DELETE FROM users WHERE username = ?');
    this.#list = db.prepare('SELECT * FROM users');
    this.#count = db.prepare('SELECT count(*) FROM users').pluck();
  }

  find(username: string): Promise<UserRecord | undefined> {
    return this.#queue.read(() => {
      const row = this.#find.get(username) as UserRow | undefined;
      return row && userFromRow(row);
    });
  }

  create(user: UserRecord): Promise<boolean> {
    return this.#queue.write(() => this.#create.run(...params(user)).changes === 1);
  }

  update(user: UserRecord): Promise<boolean> {
    return this.#queue.write(() => this.#update.run(...params(user).slice(1), user.username).changes === 1);
  }

  remove(username: string): Promise<boolean> {
    return this.#queue.write(() => this.#remove.run(username).changes === 1);
  }

  list(): Promise<UserRecord[]> {
    return this.#queue.read(() => (this.#list.all() as UserRow[]).map(userFromRow).sort(byUsername));
  }

  count(): Promise<number> {
    return this.#queue.read(() => this.#count.get() as number);
  }
}

function params(user: UserRecord) {
  return [
    user.username,
    user.passwordHash,
    JSON.stringify(user.attributes),
    user.disabled ? 1 : 0,
    user.createdAt,
    user.updatedAt,
  ] as const;
}
