import type { UsherContext } from '../context.ts';
import { PeriodicTask } from '../periodic-task.ts';
import type { SsoSession } from './sso-sessions.ts';

const BATCH = 200;

/**
 * Ends SSO sessions that timed out (so their services get single logout, as on /logout) and deletes
 * expired rows. `takeExpired` is atomic, so with several nodes each expiry is handled once.
 */
export class ExpirySweeper extends PeriodicTask {
  constructor(
    private readonly ctx: UsherContext,
    intervalMs = 30_000,
  ) {
    super('expiry sweep', intervalMs, ctx.logger);
  }

  protected async run(): Promise<void> {
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
