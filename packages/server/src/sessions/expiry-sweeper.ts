import type { UsherContext } from '../context.ts';
import { PeriodicTask } from '../periodic-task.ts';
import type { SsoSession } from './sso-sessions.ts';

const BATCH = 200;

/**
 * Ends SSO sessions that timed out (so their services get single logout, as on /logout), then deletes
 * expired rows. `takeExpired` is atomic, so with several nodes (or `usher tickets cleanup` beside the
 * server) each expiry is handled once.
 */
export async function sweepExpired(
  ctx: Pick<UsherContext, 'storage' | 'termination' | 'logger'>,
): Promise<{ sessionsEnded: number; removed: number }> {
  const sessions = ctx.storage.model<Omit<SsoSession, 'id'>>('session');
  let sessionsEnded = 0;
  for (;;) {
    const expired = await sessions.takeExpired(BATCH);
    for (const item of expired) {
      await ctx.termination.afterEnd({ id: item.id, user: item.payload.user }, 'expired');
      ctx.logger.info({ user: item.payload.user }, 'SSO session expired');
    }
    sessionsEnded += expired.length;
    if (expired.length < BATCH) break;
  }
  return { sessionsEnded, removed: await ctx.storage.sweep() };
}

export class ExpirySweeper extends PeriodicTask {
  constructor(
    private readonly ctx: UsherContext,
    intervalMs = 30_000,
  ) {
    super('expiry sweep', intervalMs, ctx.logger);
  }

  protected async run(): Promise<void> {
    const { removed } = await sweepExpired(this.ctx);
    if (removed > 0) this.ctx.logger.debug({ removed }, 'expired items deleted');
  }
}
