import { StorageUnavailableError } from '../types.ts';

// Lock contention beyond busy_timeout and I/O failures are outages; anything else is a bug to surface as is.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY)/;

/** Runs a synchronous better-sqlite3 call, reporting outages as StorageUnavailableError. */
export async function sqliteCall<T>(fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE.test(code)) {
      throw new StorageUnavailableError(`SQLite unavailable: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
