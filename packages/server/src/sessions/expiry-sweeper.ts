import type { UsherContext } from '../context.ts';
import type { SsoSession } from './sso-sessions.ts';

const BATCH = 200;

/**
 * Ends SSO sessions that timed out (so their services get single logout, as on /logout) and deletes
 * expired rows. `takeExpired` is atomic, so with several nodes each expiry is handled once.
 */
export class ExpirySweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: UsherContext,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((error) => this.ctx.logger.warn({ err: error }, 'expiry sweep failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  runOnce(): Promise<void> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(): Promise<void> {
    const sessions = this.ctx.storage.model<Omit<SsoSession, 'id'>>('session');
    for (;;) {
      const expired = await sessions.takeExpired(BATCH);
      for (const item of expired) {
        await this.ctx.termination.afterEnd({ id: item.id, user: item.payload.user }, 'expired');
        this.ctx.logger.info({ user: item.payload.user }, 'SSO session expired');
      }
      if (expired.length < BATCH) break;
    }
    const removed = await this.ctx.storage.sweep();
    if (removed > 0) this.ctx.logger.debug({ removed }, 'expired items deleted');
  }
}
