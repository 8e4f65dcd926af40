import type { SqlSourceConfig } from '../../config/auth-schema.ts';
import type { Logger } from '../../logging/logger.ts';
import {
  type Attributes,
  type AuthenticationResult,
  type Authenticator,
  AuthSourceUnavailableError,
} from '../authenticator.ts';
import { burnStoredPasswordCheck, checkStoredPassword } from './stored-password.ts';
import { openUserQuery, type Row, type UserQuery } from './user-query.ts';

/**
 * Users in an existing PostgreSQL or MySQL/MariaDB database (django-cas-server's MysqlAuthUser): the
 * configured query finds the user, the password column is checked, the other columns become attributes.
 */
export class SqlAuthenticator implements Authenticator {
  readonly name: string;
  private readonly query: UserQuery;

  constructor(
    private readonly config: SqlSourceConfig,
    logger: Logger,
  ) {
    this.name = config.name ?? 'sql';
    this.query = openUserQuery(config, logger);
  }

  async authenticate(username: string, password: string): Promise<AuthenticationResult> {
    const rows = await this.fetch(username);
    if (rows.length === 0) {
      await burnStoredPasswordCheck(this.config.passwordCheck, password);
      return { ok: false, reason: 'unknown-user' };
    }
    const stored = new Set(rows.map((row) => row[this.config.passwordColumn]));
    // Rows of several users (a query that is too broad) must never let one user's password open another.
    if (stored.size !== 1) return { ok: false, reason: 'invalid-credentials' };
    if (!(await checkStoredPassword(this.config.passwordCheck, [...stored][0], password)))
      return { ok: false, reason: 'invalid-credentials' };
    const { usernameColumn } = this.config;
    const canonical = usernameColumn === undefined ? username : text(rows[0]![usernameColumn]);
    return { ok: true, username: canonical ?? username, attributes: this.attributesOf(rows) };
  }

  close(): Promise<void> {
    return this.query.close();
  }

  private async fetch(username: string): Promise<Row[]> {
    try {
      return await this.query.rows(username);
    } catch (error) {
      throw new AuthSourceUnavailableError(this.name, (error as Error).message, { cause: error });
    }
  }

  /** Every other column, values of all rows gathered (one row per group of a join gives multi-valued attributes). */
  private attributesOf(rows: Row[]): Attributes {
    const attributes: Record<string, Set<string>> = {};
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (column === this.config.passwordColumn) continue;
        const shown = text(value);
        if (shown === undefined) continue;
        attributes[column] ??= new Set();
        attributes[column].add(shown);
      }
    }
    return Object.fromEntries(Object.entries(attributes).map(([name, values]) => [name, [...values]]));
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}
