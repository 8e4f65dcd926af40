import type { Logger } from './logging/logger.ts';

/**
 * Background work repeated every `intervalMs`, never two runs at once. The timer does not keep the
 * process alive; a failed run is logged and the next one tries again.
 */
export abstract class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly label: string,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((error) => this.log.warn({ err: error }, `${this.label} failed`));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer; settles when a run in progress has. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs now, or joins the run in progress. */
  runOnce(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  protected abstract run(): Promise<void>;
}
