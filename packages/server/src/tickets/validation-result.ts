import type { ValidationSuccess } from '@usher/protocol';
import { casUserFor, releasedAttributes } from '../attributes/attribute-policy.ts';
import { authenticationAttributes } from '../attributes/cas3-attributes.ts';
import type { RegisteredService } from '../services/service-registry.ts';
import type { TicketPayload } from './ticket-payload.ts';

/**
 * The success a validated ticket yields for its service: the CAS user, the attributes the service's
 * policy releases and, for CAS 3, the authentication attributes.
 */
export function validationSuccess(
  ticket: TicketPayload,
  service: RegisteredService | undefined,
  options: { releaseAttributes: boolean },
): ValidationSuccess {
  const policy = service?.config.attributes ?? { allow: [], rename: {}, rewrite: {}, require: {} };
  const user = casUserFor(ticket.user, ticket.attributes, policy);
  const success: ValidationSuccess = { user };
  if (options.releaseAttributes) {
    success.attributes = {
      ...authenticationAttributes(ticket),
      ...releasedAttributes(ticket.attributes, policy),
    };
  }
  if (ticket.proxies.length > 0) success.proxies = ticket.proxies;
  return success;
}
