import type { Logger } from '../logging/logger.ts';

/**
 * On the first SIGINT or SIGTERM (or `disconnect`, for a cluster worker whose primary went away) runs
 * `close` once, then exits 0. Later signals are ignored, so a second ^C cannot cut the shutdown short.
 */
export function exitOnSignals(logger: Logger, close: () => Promise<void>, onDisconnect = false): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await close().catch((error) => logger.warn({ err: error }, 'shutdown incomplete'));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (onDisconnect) process.on('disconnect', () => stop('disconnect'));
}
