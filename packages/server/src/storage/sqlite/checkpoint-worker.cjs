// Runs the WAL checkpoints of a server's SQLite file on a thread of its own (see sqlite-checkpointer.ts),
// so that the fsyncs a checkpoint needs never stall the event loop. PASSIVE never waits for locks, but
// the WAL is only rewound once a checkpoint has caught up with every frame; should steady writes keep
// it from catching up past `restartFrames`, RESTART holds writers back for the last frames.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
    if (passive.checkpointed < passive.log && passive.log > workerData.restartFrames) {
      db.pragma('wal_checkpoint(RESTART)');
    }
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, workerData.intervalMs);

parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
