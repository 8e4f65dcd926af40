import { BadPgtError, InvalidRequestError, UnauthorizedServiceError } from '@usher/protocol';
import { missingRequirements } from '../attributes/attribute-policy.ts';
import type { UsherContext } from '../context.ts';
import { maskTicket } from '../logging/logger.ts';
import { proxyTargetRefusal } from './proxy-policy.ts';

/**
 * `/proxy` (CAS 3.0 §2.7): a proxy ticket for `targetService`, on behalf of the user whose
 * authentication the PGT carries. Throws the CasError to answer with.
 */
export async function requestProxyTicket(
  ctx: UsherContext,
  pgtId: string | undefined,
  targetService: string | undefined,
): Promise<string> {
  if (!pgtId || !targetService) {
    throw new InvalidRequestError("'pgt' and 'targetService' parameters are both required");
  }
  const pgt = await ctx.proxyTickets.findProxyGrantingTicket(pgtId);
  // A PGT lives no longer than its SSO session (§3.3.1), even before the sweeper revokes it.
  if (!pgt || !(await ctx.sessions.find(pgt.sessionId))) {
    throw new BadPgtError('The proxy-granting ticket is not recognized or has expired');
  }
  const owner = ctx.registry.byName(pgt.serviceName);
  const target = ctx.registry.lookup(targetService);
  if (!owner?.config.enabled) throw new UnauthorizedServiceError('The proxying service is not enabled');
  if (target.kind !== 'allowed') throw new UnauthorizedServiceError('The target service is not registered');
  const refusal = proxyTargetRefusal(owner.config, target.url);
  if (refusal) throw refusal;
  const missing = missingRequirements(pgt.attributes, target.service.config.attributes);
  if (missing.length > 0) {
    throw new UnauthorizedServiceError('The user may not use the target service', {
      detail: `missing ${missing.join(', ')}`,
    });
  }
  const ticket = await ctx.proxyTickets.issueProxyTicket(pgt, target.service, target.url);
  ctx.logger.info(
    { user: pgt.user, service: owner.name, target: target.service.name, ticket: maskTicket(ticket) },
    'proxy ticket issued',
  );
  return ticket;
}
