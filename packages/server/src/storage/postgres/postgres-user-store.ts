import { byUsername } from '../ordering.ts';
import { type UserRow, userFromRow } from '../sql-rows.ts';
import type { UserRecord, UserStore } from '../types.ts';
import type { PgRunner } from './pg-runner.ts';

export class PostgresUserStore implements UserStore {
  readonly #db: PgRunner;
  readonly #table: string;

  constructor(db: PgRunner, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async find(username: string): Promise<UserRecord | undefined> {
    const { rows } = await this.#db.query<UserRow>(`SELECT * FROM ${this.#table} WHERE username = $1`, [
      username,
    ]);
    return rows[0] && userFromRow(rows[0]);
  }

  async create(user: UserRecord): Promise<boolean> {
    const result = await this.#db.query(
      `INSERT INTO ${this.#table} (username, password_hash, attributes, disabled, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING`,
      params(user),
    );
    return result.rowCount === 1;
  }

  async update(user: UserRecord): Promise<boolean> {
    const result = await this.#db.query(
      `UPDATE ${this.#table}
       SET password_hash = $2, attributes = $3, disabled = $4, created_at = $5, updated_at = $6
       WHERE username = $1`,
      params(user),
    );
    return result.rowCount === 1;
  }

  async remove(username: string): Promise<boolean> {
    return (
      (await this.#db.query(`DELETE FROM ${this.#table} WHERE username = $1`, [username])).rowCount === 1
    );
  }

  async list(): Promise<UserRecord[]> {
    const { rows } = await this.#db.query<UserRow>(`SELECT * FROM ${this.#table}`);
    return rows.map(userFromRow).sort(byUsername);
  }

  async count(): Promise<number> {
    const { rows } = await this.#db.query<{ count: string }>(`SELECT count(*) AS count FROM ${this.#table}`);
    return Number(rows[0]?.count ?? 0);
  }
}

function params(user: UserRecord): unknown[] {
  return [
    user.username,
    user.passwordHash,
    JSON.stringify(user.attributes),
    user.disabled,
    user.createdAt,
    user.updatedAt,
  ];
}
