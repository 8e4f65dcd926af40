import { withQuery } from '@usher/protocol';
import type { UsherContext } from '../context.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';
import { grantServiceTicket } from './grant-service-ticket.ts';
import type { LoginOutcome, ResponseMethod } from './login-outcome.ts';

/**
 * The last step of every successful /login with a service: check the service's access rules, issue a
 * service ticket and send the browser back (302; an auto-submitted form for method=POST; response headers
 * for method=HEADER).
 */
export async function redirectWithTicket(
  ctx: UsherContext,
  session: SsoSession,
  target: { service: RegisteredService; url: string },
  options: { primary: boolean; method?: ResponseMethod },
): Promise<LoginOutcome> {
  const ticket = await grantServiceTicket(ctx, session, target, options.primary);
  if (ticket === undefined) {
    return {
      kind: 'error',
      status: 403,
      page: { problem: 'access-denied', serviceName: target.service.name },
    };
  }
  if (options.method === 'POST') {
    return { kind: 'post-redirect', service: target.url, ticket, serviceName: target.service.name };
  }
  if (options.method === 'HEADER')
    return { kind: 'header-response', service: target.url, ticket, user: session.user };
  return { kind: 'redirect', url: withQuery(target.url, { ticket }) };
}
