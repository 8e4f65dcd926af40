import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logging/logger.ts';

export interface WorkerPoolOptions {
  count: number;
  logger: Logger;
  /** Delay before forking again after a crash; doubles with each crash in a row of the same slot. */
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** A worker that ran this long before dying starts its slot's backoff afresh. */
  stableAfterMs?: number;
  /** How long a worker may take to close on SIGTERM before it is killed. */
  stopGraceMs?: number;
}

/** The worker's exit code when it dies before listening (its own error is already on stderr). */
export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

interface Slot {
  worker?: Worker;
  listening: boolean;
  startedAt: number;
  crashes: number;
  restart?: NodeJS.Timeout;
}

/**
 * Runs `count` copies of this program as node:cluster workers sharing the listening port, and keeps them
 * running: a worker that dies is forked again after a delay that doubles while its slot keeps crashing.
 */
export class WorkerPool {
  readonly #options: Required<WorkerPoolOptions>;
  readonly #slots: Slot[];
  #stopping = false;

  constructor(options: WorkerPoolOptions) {
    this.#options = {
      restartDelayMs: 1000,
      maxRestartDelayMs: 30_000,
      stableAfterMs: 60_000,
      stopGraceMs: 10_000,
      ...options,
    };
    this.#slots = Array.from({ length: options.count }, () => ({
      listening: false,
      startedAt: 0,
      crashes: 0,
    }));
  }

  /**
   * Forks every worker; resolves once all listen. Rejects with WorkerStartError, after stopping the
   * others, when one exits first: a failure at start (port taken, storage down) is reported, not retried.
   */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      let listening = 0;
      const onListening = () => {
        if (++listening < this.#slots.length) return;
        cluster.off('exit', onEarlyExit);
        for (const slot of this.#slots)
          slot.worker?.on('exit', (code, signal) => this.#exited(slot, code, signal));
        resolve();
      };
      const onEarlyExit = (worker: Worker, code: number | null, signal: string | null) => {
        cluster.off('exit', onEarlyExit);
        const exitCode = code || 1;
        this.stop().then(() =>
          reject(
            new WorkerStartError(
              `worker ${worker.id} exited (${signal ?? exitCode}) before listening`,
              exitCode,
            ),
          ),
        );
      };
      cluster.on('exit', onEarlyExit);
      for (const slot of this.#slots) this.#fork(slot).once('listening', onListening);
    });
  }

  /** Asks every worker to close (SIGTERM), kills those still running after the grace period. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const running: Promise<void>[] = [];
    for (const slot of this.#slots) {
      clearTimeout(slot.restart);
      const worker = slot.worker;
      if (!worker || worker.isDead()) continue;
      running.push(
        new Promise((resolve) => {
          const kill = setTimeout(() => worker.process.kill('SIGKILL'), this.#options.stopGraceMs);
          worker.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
      );
    }
    await Promise.all(running);
  }

  /**
   * Sends `signal` to every running worker; one still starting gets it once it listens, since before its
   * handlers are installed a SIGHUP would end it.
   */
  signal(signal: NodeJS.Signals): void {
    for (const { worker, listening } of this.#slots) {
      if (!worker || worker.isDead()) continue;
      if (listening) worker.process.kill(signal);
      else worker.once('listening', () => worker.process.kill(signal));
    }
  }

  #fork(slot: Slot): Worker {
    const worker = cluster.fork();
    slot.worker = worker;
    slot.listening = false;
    slot.startedAt = Date.now();
    worker.once('listening', () => {
      slot.listening = true;
      this.#options.logger.info({ worker: worker.id, pid: worker.process.pid }, 'worker listening');
    });
    return worker;
  }

  #exited(slot: Slot, code: number | null, signal: string | null): void {
    if (this.#stopping) return;
    const { logger, restartDelayMs, maxRestartDelayMs, stableAfterMs } = this.#options;
    slot.crashes = Date.now() - slot.startedAt >= stableAfterMs ? 1 : slot.crashes + 1;
    const delayMs = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** (slot.crashes - 1));
    logger.warn(
      { worker: slot.worker?.id, pid: slot.worker?.process.pid, code, signal, restartInMs: delayMs },
      'worker died; restarting it',
    );
    slot.restart = setTimeout(() => {
      this.#fork(slot).on('exit', (exitCode, exitSignal) => this.#exited(slot, exitCode, exitSignal));
    }, delayMs);
  }
}
