import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SqlSourceConfig } from '../../config/auth-schema.ts';
import type { Logger } from '../../logging/logger.ts';

export type Row = Record<string, unknown>;

/** The configured user query on a connection pool; the username is always a bound parameter. */
export interface UserQuery {
  rows(username: string): Promise<Row[]>;
  close(): Promise<void>;
}

export function openUserQuery(config: SqlSourceConfig, logger: Logger): UserQuery {
  if (/^postgres/.test(config.url)) return postgresQuery(config, logger);
  return config.url.startsWith('sqlite:') ? sqliteQuery(config) : mysqlQuery(config);
}

/** `sqlite:/srv/django/db.sqlite3` (or `sqlite:///srv/…`, `sqlite:./db.sqlite3`): the file's path. */
export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

/**
 * A database file of another application (Django's `db.sqlite3`), opened read-only on first use, so that a
 * file missing at start-up makes the source unavailable until it appears, as a database server that is down
 * does. Queries are synchronous but local and short; `timeoutMs` bounds the wait for the file's lock.
 */
function sqliteQuery(config: SqlSourceConfig): UserQuery {
  let statement: Database.Statement | undefined;
  let db: Database.Database | undefined;
  const prepared = () => {
    if (statement) return statement;
    db ??= new Database(sqlitePath(config.url), {
      readonly: true,
      fileMustExist: true,
      timeout: config.timeoutMs,
    });
    statement = db.prepare(config.userQuery);
    return statement;
  };
  return {
    rows: async (username) => prepared().all(username) as Row[],
    close: async () => {
      db?.close();
    },
  };
}

function postgresQuery(config: SqlSourceConfig, logger: Logger): UserQuery {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    connectionTimeoutMillis: config.timeoutMs,
    query_timeout: config.timeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'usher-auth',
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (error) => logger.warn({ err: error.message }, 'SQL authentication connection lost'));
  return {
    rows: async (username) => (await pool.query<Row>(config.userQuery, [username])).rows,
    close: () => pool.end(),
  };
}

// mysql2 drops a pooled connection that fails by itself; its pool has no 'error' event to listen to.
function mysqlQuery(config: SqlSourceConfig): UserQuery {
  const pool = mysql.createPool({
    uri: config.url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: config.poolSize,
    connectTimeout: config.timeoutMs,
    charset: 'utf8mb4',
    dateStrings: true,
  });
  return {
    async rows(username) {
      const [rows] = await pool.execute({ sql: config.userQuery, timeout: config.timeoutMs }, [username]);
      return rows as Row[];
    },
    close: () => pool.end(),
  };
}
