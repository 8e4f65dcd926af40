import { withQuery } from '@usher/protocol';
import { casUserFor, missingRequirements } from '../attributes/attribute-policy.ts';
import type { UsherContext } from '../context.ts';
import { maskTicket } from '../logging/logger.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';
import type { LoginOutcome } from './login-outcome.ts';

/**
 * The last step of every successful /login with a service: check the service's access rules, issue a
 * service ticket and send the browser back (302, or an auto-submitted form for method=POST).
 */
export async function redirectWithTicket(
  ctx: UsherContext,
  session: SsoSession,
  target: { service: RegisteredService; url: string },
  options: { primary: boolean; method?: 'GET' | 'POST' },
): Promise<LoginOutcome> {
  const policy = target.service.config.attributes;
  const missing = missingRequirements(session.attributes, policy);
  if (missing.length > 0) {
    ctx.logger.warn(
      { user: session.user, service: target.service.name, missing },
      'access denied by service policy',
    );
    return {
      kind: 'error',
      status: 403,
      heading: 'Access denied',
      message: `Your account may not use ${target.service.name}.`,
      detail: 'No ticket was issued. Ask the administrator of the application for access.',
    };
  }
  const ticket = await ctx.tickets.issueServiceTicket(session, target.service, target.url, options.primary);
  ctx.logger.info(
    {
      user: casUserFor(session.user, session.attributes, policy),
      service: target.service.name,
      ticket: maskTicket(ticket),
    },
    'service ticket issued',
  );
  if (options.method === 'POST') {
    return { kind: 'post-redirect', service: target.url, ticket, serviceName: target.service.name };
  }
  return { kind: 'redirect', url: withQuery(target.url, { ticket }) };
}
