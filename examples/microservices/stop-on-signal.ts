/**
 * Runs `close` once on Ctrl-C, SIGTERM, or when `start-demo.ts` goes away (its IPC channel closes, even
 * after a kill -9), then exits: no demo process outlives the launcher.
 */
export function stopOnSignal(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}
