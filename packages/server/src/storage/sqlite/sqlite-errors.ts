import { StorageUnavailableError } from '../types.ts';

// Lock contention beyond the queue's wait and I/O failures are outages; anything else is a bug to surface as is.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The write lock is held elsewhere (another process, a checkpoint): worth trying again shortly. */
export function isSqliteBusy(error: unknown): boolean {
  return codeOf(error)?.startsWith('SQLITE_BUSY') ?? false;
}

/** Reports outages as StorageUnavailableError; other errors are returned as they are. */
export function sqliteError(error: unknown): unknown {
  const code = codeOf(error);
  if (code !== undefined && UNAVAILABLE.test(code)) {
    return new StorageUnavailableError(`SQLite unavailable: ${(error as Error).message}`, { cause: error });
  }
  return error;
}
