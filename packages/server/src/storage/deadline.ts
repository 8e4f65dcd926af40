import { StorageUnavailableError } from './types.ts';

/**
 * Rejects with StorageUnavailableError when `work` has not settled after `ms`: a backstop so that no
 * storage call waits forever, whatever the driver's own timeouts do (a half-open socket, a cluster that
 * never becomes ready).
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StorageUnavailableError(`${what} did not answer within ${ms} ms`)),
      ms,
    );
  });
  // The late outcome of abandoned work must not surface as an unhandled rejection.
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
