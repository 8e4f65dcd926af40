import { ReplyError } from 'ioredis';
import { withDeadline } from '../deadline.ts';
import { StorageUnavailableError } from '../types.ts';

/** Replies that mean the server cannot serve right now (loading, failover, auth), not that we erred. */
const OUTAGE_REPLY =
  /^(LOADING|READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|BUSY|NOREPLICAS|MISCONF|NOAUTH|WRONGPASS)\b/;

const DEADLINE_MS = 5000;

/** An error reply from the server (ioredis types ReplyError as any). */
export function isReplyError(error: unknown): error is Error {
  return error instanceof ReplyError;
}

/**
 * Runs one Redis call, reporting connection trouble as StorageUnavailableError. Other replies (a bug in
 * a script, say) are rethrown unchanged.
 */
export async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(call(), DEADLINE_MS, 'Redis');
  } catch (error) {
    if (error instanceof StorageUnavailableError) throw error;
    if (isReplyError(error) && !OUTAGE_REPLY.test(error.message)) throw error;
    throw redisUnavailable(error as Error);
  }
}

export function redisUnavailable(cause: Error): StorageUnavailableError {
  return new StorageUnavailableError(`Redis unavailable: ${cause.message}`, { cause });
}
