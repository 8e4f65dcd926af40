import { StorageUnavailableError } from '../types.ts';

// Lock contention beyond busy_timeout and I/O failures are outages; anything else is a bug to surface as is.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY)/;

/** Reports outages as StorageUnavailableError; other errors are returned as they are. */
export function sqliteError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE.test(code)) {
    return new StorageUnavailableError(`SQLite unavailable: ${(error as Error).message}`, { cause: error });
  }
  return error;
}
