import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { StorageLogger } from '../storage-logger.ts';

const INTERVAL_MS = 100;
/** SQLite's own default: the WAL size (pages) at which it checkpoints inline. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/**
 * WAL size (pages, about 20 MB) past which the thread rewinds the WAL with a RESTART checkpoint; below it
 * the WAL rewinds by itself whenever writes pause. Each RESTART holds writers back for a few ms, so not
 * every round: at 9k SSO cycles/s this is two or three times a second.
 */
const RESTART_FRAMES = 5 * SQLITE_DEFAULT_AUTOCHECKPOINT;
/** Inline checkpoints stay on as a backstop, far enough out that the thread normally gets there first. */
const BACKSTOP_AUTOCHECKPOINT = 10 * SQLITE_DEFAULT_AUTOCHECKPOINT;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. By default SQLite checkpoints inside whichever commit pushes
 * the WAL past 1000 pages, and that commit then waits for two fsyncs (milliseconds each, every few hundred
 * commits: the p99 of every request queued behind it). Here a worker thread with its own connection
 * checkpoints every 100 ms instead; if it fails or dies, checkpoints go back inline.
 */
export function startCheckpointer(db: Database, path: string, logger: StorageLogger): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.cjs', import.meta.url), {
    workerData: {
      path,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: INTERVAL_MS,
      restartFrames: RESTART_FRAMES,
    },
    execArgv: [],
  });
  worker.unref();
  let stopping = false;
  const checkpointInline = (reason: string) => {
    if (stopping) return;
    stopping = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    logger.warn({ path, reason }, 'SQLite background checkpoints stopped; checkpointing inline');
    worker.postMessage('stop');
  };
  worker.once('online', () => {
    if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT}`);
  });
  worker.on('message', (message: { error: string }) => checkpointInline(message.error));
  worker.once('error', (error) => checkpointInline(error.message));
  worker.once('exit', (code) => checkpointInline(`checkpoint thread exited with code ${code}`));
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.ref(); // keeps the process alive until the thread has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
