import type { Logger } from '../logging/logger.ts';
import { PeriodicTask } from '../periodic-task.ts';
import type { Clock, OutboxStore } from '../storage/types.ts';
import type { LogoutDelivery, SingleLogoutSettings } from './logout-delivery.ts';

/**
 * Sends the logoutRequests that are due: retries, and messages whose sender died before trying. Claiming
 * leases them, so two workers (or nodes) never send the same message at once. Also purges old outcomes.
 */
export class OutboxWorker extends PeriodicTask {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly delivery: LogoutDelivery,
    private readonly settings: SingleLogoutSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    super('single logout delivery', settings.pollIntervalMs, logger);
  }

  protected async run(): Promise<void> {
    const batch = this.settings.maxParallel;
    for (;;) {
      const due = await this.outbox.claimDue(batch, this.delivery.leaseMs);
      await this.delivery.send(due);
      if (due.length < batch) break;
    }
    const purged = await this.outbox.purge(this.clock() - this.settings.retention * 1000);
    if (purged > 0) this.logger.debug({ purged }, 'old logout requests purged');
  }
}
