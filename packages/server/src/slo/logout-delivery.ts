import type { UsherConfig } from '../config/load-config.ts';
import { outboundRequest, readCaBundle } from '../http/outbound-request.ts';
import { type Logger, maskTicket } from '../logging/logger.ts';
import type { Clock, OutboxMessage, OutboxStore } from '../storage/types.ts';
import { nextRetry } from './backoff.ts';
import { mapWithLimit } from './map-with-limit.ts';
import type { SloMetrics } from './slo-metrics.ts';

export type SingleLogoutSettings = UsherConfig['singleLogout'];

/** A logoutRequest to POST: what the notifier decides; the delivery adds the bookkeeping. */
export type LogoutPost = Pick<OutboxMessage, 'id' | 'url' | 'body' | 'sessionIndex' | 'service'>;

/**
 * Sends back-channel logoutRequests kept in the outbox: at most `maxParallel` at once, each bounded by
 * `timeoutMs`. A 2xx answer marks the message delivered (so it is never sent again); anything else,
 * redirects included (they are not followed), reschedules it with backoff until `maxAttempts`.
 */
export class LogoutDelivery {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ca: Buffer | undefined;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly settings: SingleLogoutSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: SloMetrics,
  ) {
    this.ca = readCaBundle('singleLogout.caBundle', settings.caBundle);
  }

  /**
   * How long a claimed message stays reserved for the node sending it: one attempt, plus a margin for
   * storage writes and for clock differences between nodes.
   */
  get leaseMs(): number {
    return 2 * this.settings.timeoutMs + 60_000;
  }

  /**
   * Stores the posts, reserved for this node for one lease, then sends them in the background. Should
   * this process die first, any node's worker sends them once the lease has run out.
   */
  async dispatch(posts: LogoutPost[]): Promise<void> {
    const now = this.clock();
    const messages: OutboxMessage[] = posts.map((post) => ({
      ...post,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now + this.leaseMs,
      createdAt: now,
    }));
    await this.outbox.enqueue(messages);
    const sending: Promise<void> = this.send(messages)
      .catch((error) => this.logger.error({ err: error }, 'single logout delivery interrupted'))
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Attempts each message once; the caller holds their lease. */
  send(messages: OutboxMessage[]): Promise<void> {
    return mapWithLimit(messages, this.settings.maxParallel, (message) => this.attempt(message));
  }

  /** Settles once the background sends started by {@link dispatch} have. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async attempt(message: OutboxMessage): Promise<void> {
    const failure = await this.post(message);
    const attempts = message.attempts + 1;
    const detail = {
      service: message.service,
      url: message.url,
      sessionIndex: maskTicket(message.sessionIndex),
      attempts,
    };
    if (failure === undefined) {
      await this.outbox.markDelivered(message.id);
      this.metrics.attempted(message.service, 'delivered');
      this.logger.info(detail, 'logout request delivered');
      return;
    }
    const next = nextRetry(attempts, this.settings.retry);
    if ('final' in next) {
      await this.outbox.markFailed(message.id, failure, next);
      this.metrics.attempted(message.service, 'failed');
      this.logger.error({ ...detail, error: failure }, 'logout request failed, giving up');
      return;
    }
    const nextAttemptAt = this.clock() + next.delayMs;
    await this.outbox.markFailed(message.id, failure, { nextAttemptAt });
    this.metrics.attempted(message.service, 'retry');
    this.logger.warn(
      { ...detail, error: failure, nextAttemptAt: new Date(nextAttemptAt).toISOString() },
      'logout request failed, will retry',
    );
  }

  /** POSTs the form; undefined on a 2xx answer, else why not. */
  private async post(message: OutboxMessage): Promise<string | undefined> {
    try {
      const status = await outboundRequest(
        new URL(message.url),
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: message.body,
        },
        { ca: this.ca, timeoutMs: this.settings.timeoutMs },
      );
      return status >= 200 && status < 300 ? undefined : `HTTP ${status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
