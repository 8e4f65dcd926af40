import { Counter, type Registry } from 'prom-client';

export type LogoutChannel = 'back-channel' | 'front-channel';
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** Single-logout counters, labelled by registered service name (a bounded set). */
export class SloMetrics {
  private readonly requests: Counter<'service' | 'channel'>;
  private readonly deliveries: Counter<'service' | 'outcome'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'usher_slo_requests_total',
      help: 'Logout requests created for services, by channel',
      labelNames: ['service', 'channel'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'usher_slo_deliveries_total',
      help: 'Back-channel logout request attempts, by outcome (retry: failed and rescheduled)',
      labelNames: ['service', 'outcome'],
      registers: [registry],
    });
  }

  requested(service: string, channel: LogoutChannel): void {
    this.requests.inc({ service, channel });
  }

  attempted(service: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ service, outcome });
  }

  /** Attempts so far by outcome, for one service or all. */
  async deliveryCounts(service?: string): Promise<Record<DeliveryOutcome, number>> {
    const counts = { delivered: 0, retry: 0, failed: 0 };
    for (const { labels, value } of (await this.deliveries.get()).values) {
      if (service === undefined || labels.service === service)
        counts[labels.outcome as DeliveryOutcome] += value;
    }
    return counts;
  }
}
