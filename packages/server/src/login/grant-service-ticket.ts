import { casUserFor, missingRequirements } from '../attributes/attribute-policy.ts';
import type { UsherContext } from '../context.ts';
import { maskTicket } from '../logging/logger.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';

/**
 * Checks the service's access rules (required attribute values) and issues a service ticket for the
 * session; undefined, logged, when the user may not use the service. Shared by /login and the REST API.
 */
export async function grantServiceTicket(
  ctx: UsherContext,
  session: SsoSession,
  target: { service: RegisteredService; url: string },
  primary: boolean,
): Promise<string | undefined> {
  const policy = target.service.config.attributes;
  const missing = missingRequirements(session.attributes, policy);
  if (missing.length > 0) {
    ctx.logger.warn(
      { user: session.user, service: target.service.name, missing },
      'access denied by service policy',
    );
    return undefined;
  }
  const ticket = await ctx.tickets.issueServiceTicket(session, target.service, target.url, primary);
  ctx.logger.info(
    {
      user: casUserFor(session.user, session.attributes, policy),
      service: target.service.name,
      ticket: maskTicket(ticket),
    },
    'service ticket issued',
  );
  return ticket;
}
