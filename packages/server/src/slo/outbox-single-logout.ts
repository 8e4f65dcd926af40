import { createHash } from 'node:crypto';
import type { Logger } from '../logging/logger.ts';
import type { EndReason, SingleLogoutNotifier } from '../logout/session-termination.ts';
import type { ServiceRegistry } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';
import type { Clock, StoredItem } from '../storage/types.ts';
import type { ServiceAccess } from '../tickets/ticket-payload.ts';
import type { LogoutDelivery, LogoutPost } from './logout-delivery.ts';
import { backChannelBody, frontChannelUrl, logoutRequestFor } from './logout-messages.ts';
import type { SloMetrics } from './slo-metrics.ts';

/**
 * Single logout through the durable outbox: one logoutRequest per service ticket of the session, for
 * services that allow it, POSTed to their logout URL (or service URL) by {@link LogoutDelivery}, or handed
 * back as front-channel URLs for the logout page to load.
 */
export class OutboxSingleLogout implements SingleLogoutNotifier {
  constructor(
    private readonly registry: ServiceRegistry,
    private readonly delivery: LogoutDelivery,
    private readonly metrics: SloMetrics,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async sessionEnded(
    session: Pick<SsoSession, 'id' | 'user'>,
    accesses: StoredItem<ServiceAccess>[],
    reason: EndReason,
  ): Promise<string[]> {
    const now = this.clock();
    const posts: LogoutPost[] = [];
    const frontChannel: { service: string; url: string }[] = [];
    const unregistered = new Set<string>();
    for (const { payload: access } of accesses) {
      const config = this.registry.byName(access.serviceName)?.config;
      if (config && !config.singleLogout) continue;
      // Taken out of the registry since (a reload): it still holds a session from this ticket, so it is
      // notified at its own URL, the default of a registered service.
      if (!config) unregistered.add(access.serviceName);
      const target = config?.logoutUrl ?? access.service;
      const logoutRequest = logoutRequestFor(access, now);
      if (config?.logoutMode === 'front-channel') {
        frontChannel.push({ service: access.serviceName, url: frontChannelUrl(target, logoutRequest) });
        this.metrics.requested(access.serviceName, 'front-channel');
      } else {
        posts.push({
          id: outboxId(access.ticket),
          url: target,
          body: backChannelBody(logoutRequest),
          sessionIndex: access.ticket,
          service: access.serviceName,
        });
        this.metrics.requested(access.serviceName, 'back-channel');
      }
    }
    if (unregistered.size > 0)
      this.logger.warn(
        { user: session.user, services: [...unregistered] },
        'single logout to services no longer registered: sent to the service URLs their tickets were issued for',
      );
    if (posts.length > 0) await this.delivery.dispatch(posts);
    this.logger.debug(
      { user: session.user, reason, backChannel: posts.length, frontChannel: frontChannel.length },
      'single logout started',
    );
    if (frontChannel.length === 0 || reason === 'logout') return frontChannel.map((f) => f.url);
    // Only the /logout page has a browser to send; expiry, revocation and replacement have none.
    this.logger.warn(
      { user: session.user, reason, services: [...new Set(frontChannel.map((f) => f.service))] },
      'front-channel services not notified: no browser at hand',
    );
    return [];
  }
}

/** Derived from the ticket, so one ticket never yields two messages; opaque, so listing it leaks nothing. */
function outboxId(ticket: string): string {
  return `SLO-${createHash('sha256').update(ticket).digest('base64url').slice(0, 32)}`;
}
