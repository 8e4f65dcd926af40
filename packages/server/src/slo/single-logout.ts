import type { Registry } from 'prom-client';
import type { UsherConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import type { ServiceRegistry } from '../services/service-registry.ts';
import type { Clock, Storage } from '../storage/types.ts';
import { LogoutDelivery } from './logout-delivery.ts';
import { OutboxSingleLogout } from './outbox-single-logout.ts';
import { OutboxWorker } from './outbox-worker.ts';
import { SloMetrics } from './slo-metrics.ts';

export interface SingleLogoutDependencies {
  config: UsherConfig;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** Where the single-logout counters are registered. */
  metrics: Registry;
  /** The services, shared with the rest of the server (a reload replaces them in place). */
  registry: ServiceRegistry;
}

/** Single logout as one piece: the notifier for session ends, the delivery and its background worker. */
export class SingleLogout {
  readonly notifier: OutboxSingleLogout;
  readonly metrics: SloMetrics;
  private readonly delivery: LogoutDelivery;
  private readonly worker: OutboxWorker;

  constructor({ config, storage, clock, logger, metrics, registry }: SingleLogoutDependencies) {
    const settings = config.singleLogout;
    this.metrics = new SloMetrics(metrics);
    this.delivery = new LogoutDelivery(storage.outbox, settings, clock, logger, this.metrics);
    this.notifier = new OutboxSingleLogout(registry, this.delivery, this.metrics, clock, logger);
    this.worker = new OutboxWorker(storage.outbox, this.delivery, settings, clock, logger);
  }

  /** Looks for due messages every `singleLogout.pollIntervalMs`. */
  start(): void {
    this.worker.start();
  }

  /** Sends the messages due now, as the background worker does on each round. */
  deliverDue(): Promise<void> {
    return this.worker.runOnce();
  }

  /** Settles once the sends started when sessions ended have. */
  idle(): Promise<void> {
    return this.delivery.idle();
  }

  /** Stops the worker and waits for every send in flight, so none is cut off before it is recorded. */
  async stop(): Promise<void> {
    await this.worker.stop();
    await this.delivery.idle();
  }
}
