// Runs the WAL checkpoints of a server's SQLite file on a thread of its own (see sqlite-checkpointer.ts),
// so that the fsyncs and page copies of a checkpoint never stall the event loop.
//
// PASSIVE never waits for locks, but the WAL only rewinds when a writer starts while every frame is
// already copied. Under steady writes that moment never comes (frames arrive while a checkpoint runs), the
// WAL grows, and SQLite's inline backstop would finally checkpoint thousands of pages on the event loop.
// So once the WAL passes `restartFrames`, PASSIVE runs again on what arrived meanwhile (less each time,
// without holding anyone back), and RESTART then holds writers back only for the last few frames.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const CATCH_UP_ROUNDS = 2;

const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
    if (passive.log <= workerData.restartFrames) return;
    for (let round = 0; round < CATCH_UP_ROUNDS; round++) db.pragma('wal_checkpoint(PASSIVE)');
    db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, workerData.intervalMs);

parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
