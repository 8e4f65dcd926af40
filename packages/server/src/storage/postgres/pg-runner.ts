import pg from 'pg';
import { withDeadline } from '../deadline.ts';
import type { StorageLogger } from '../storage-logger.ts';
import { StorageUnavailableError } from '../types.ts';

const DEADLINE_MS = 10_000;

/** Server errors meaning "cannot serve now": connection exceptions, shutdown, too many connections. */
const OUTAGE_SQLSTATE = /^(08|57P0[1-3]|53300)/;

/** Whether an error from pg means PostgreSQL is out of reach rather than that a query was wrong. */
export function isOutage(error: unknown): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (error instanceof pg.DatabaseError) return OUTAGE_SQLSTATE.test(error.code ?? '');
  // Socket errors, connect and query timeouts, "Connection terminated": everything but our own bugs.
  return !(error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError);
}

/** A statement prepared under `name` on each connection that runs it. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Whether PostgreSQL answers, shared by the runners of one storage: an outage is logged once when it is
 * first seen and once when PostgreSQL answers again, whichever pool sees it.
 */
export class PgLinkHealth {
  readonly #logger: StorageLogger;
  #lost = false;

  constructor(logger: StorageLogger) {
    this.#logger = logger;
  }

  answered(): void {
    if (!this.#lost) return;
    this.#lost = false;
    this.#logger.info({}, 'PostgreSQL connection restored');
  }

  lost(error: unknown): void {
    if (this.#lost) return;
    this.#lost = true;
    this.#logger.warn({ err: error }, 'PostgreSQL unavailable; storage calls fail until it is back');
  }
}

/** Runs queries on a pool, reporting outages as StorageUnavailableError and to the shared health. */
export class PgRunner {
  readonly pool: pg.Pool;
  readonly #health: PgLinkHealth;

  constructor(pool: pg.Pool, health: PgLinkHealth) {
    this.pool = pool;
    this.#health = health;
    // An idle connection dropped by the server is reported here; without a listener it would crash.
    pool.on('error', (error) => health.lost(error));
  }

  /**
   * Runs one statement. A `{ name, text }` statement is prepared once per connection and then executed
   * by name, so PostgreSQL skips parsing and planning it again; give every distinct text its own name.
   */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    statement: string | NamedStatement,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const config = typeof statement === 'string' ? { text: statement, values } : { ...statement, values };
    return this.run(() => this.pool.query<R>(config));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await withDeadline(work(), DEADLINE_MS, 'PostgreSQL');
      this.#health.answered();
      return result;
    } catch (error) {
      if (!isOutage(error)) throw error;
      this.#health.lost(error);
      if (error instanceof StorageUnavailableError) throw error;
      throw new StorageUnavailableError(`PostgreSQL unavailable: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
