import type { ValidationSuccess } from '@usher/protocol';
import { casUserFor, releasedAttributes } from '../attributes/attribute-policy.ts';
import { authenticationAttributes } from '../attributes/cas3-attributes.ts';
import type { UsherContext } from '../context.ts';
import type { TicketPayload } from './ticket-payload.ts';

const RELEASE_NOTHING = { allow: [], rename: {}, rewrite: {}, require: {}, callbacks: [] };

/**
 * The success a validated ticket yields for its service: the CAS user, the attributes the service's
 * policy releases plus those of its attribute callbacks and, for CAS 3, the authentication attributes.
 */
export async function validationSuccess(
  ctx: Pick<UsherContext, 'registry' | 'attributeCallbacks'>,
  ticket: TicketPayload,
  options: { releaseAttributes: boolean },
): Promise<ValidationSuccess> {
  const policy = ctx.registry.byName(ticket.serviceName)?.config.attributes ?? RELEASE_NOTHING;
  const user = casUserFor(ticket.user, ticket.attributes, policy);
  const success: ValidationSuccess = { user };
  if (options.releaseAttributes) {
    const computed = await ctx.attributeCallbacks.attributesFor(
      ticket.serviceName,
      { username: ticket.user, attributes: ticket.attributes },
      ticket.service,
    );
    success.attributes = {
      ...authenticationAttributes(ticket),
      ...releasedAttributes(ticket.attributes, policy),
      ...computed,
    };
  }
  if (ticket.proxies.length > 0) success.proxies = ticket.proxies;
  return success;
}
