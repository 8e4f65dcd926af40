import { missingRequirements } from '../attributes/attribute-policy.ts';
import type { UsherContext } from '../context.ts';
import { maskTicket } from '../logging/logger.ts';
import { checkCredentials } from '../login/check-credentials.ts';
import { grantServiceTicket } from '../login/grant-service-ticket.ts';
import type { ServiceLookup } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';

/** A refusal of the REST API: the HTTP status and a plain-text reason (Apereo's REST protocol). */
export class RestError extends Error {
  override readonly name = 'RestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const FAILED = [401, 'Authentication failed'] as const;
const CREDENTIAL_REFUSALS = {
  throttled: [429, 'Too many attempts; try again later'],
  unavailable: [503, 'Authentication is temporarily unavailable; try again later'],
  disabled: FAILED,
  'invalid-credentials': FAILED,
  'not-enrolled': FAILED,
} as const;

/**
 * `POST /v1/tickets`: a ticket-granting ticket (a new SSO session) for username and password. With
 * `service`, the user must also be allowed to use that service, as Apereo CAS checks.
 */
export async function createTicketGrantingTicket(
  ctx: UsherContext,
  request: { username?: string; password?: string; service?: string; clientAddress: string },
): Promise<SsoSession> {
  const username = request.username?.trim() ?? '';
  const password = request.password ?? '';
  if (username === '' || password === '') {
    throw new RestError(400, 'Both "username" and "password" are required');
  }
  const target = request.service === undefined ? undefined : registeredService(ctx, request.service);
  const check = await checkCredentials(ctx, {
    username,
    password,
    clientAddress: request.clientAddress,
    channel: 'rest',
  });
  if (!check.ok) {
    const [status, message] = CREDENTIAL_REFUSALS[check.reason];
    throw new RestError(status, message);
  }
  // The API takes no code: a password alone must not open an account that has a second factor.
  if (check.secondFactor) {
    ctx.logger.warn({ user: check.username, channel: 'rest' }, 'REST login refused: second factor required');
    throw new RestError(401, 'This account uses two-step verification: sign in at /login');
  }
  if (target && missingRequirements(check.attributes, target.service.config.attributes).length > 0) {
    throw new RestError(403, `The user may not use ${target.service.name}`);
  }
  const session = await ctx.sessions.create({
    user: check.username,
    attributes: check.attributes,
    rememberMe: false,
    warn: false,
  });
  ctx.logger.info({ user: session.user, ticket: maskTicket(session.id), channel: 'rest' }, 'login succeeded');
  return session;
}

/** `POST /v1/tickets/{tgt}` with `service`: a service ticket from an existing SSO session. */
export async function createServiceTicket(
  ctx: UsherContext,
  tgt: string,
  service: string | undefined,
): Promise<string> {
  if (!service) throw new RestError(400, 'The "service" parameter is required');
  const session = await ctx.sessions.find(tgt);
  if (!session) throw new RestError(404, 'The ticket-granting ticket was not found or has expired');
  const target = registeredService(ctx, service);
  await ctx.sessions.touch(session);
  const ticket = await grantServiceTicket(ctx, session, target, false);
  if (ticket === undefined) throw new RestError(403, `The user may not use ${target.service.name}`);
  return ticket;
}

/** `DELETE /v1/tickets/{tgt}`: ends the SSO session everywhere, as /logout does. */
export async function destroyTicketGrantingTicket(ctx: UsherContext, tgt: string): Promise<void> {
  const { session } = await ctx.termination.end(tgt, 'logout');
  if (session) ctx.logger.info({ user: session.user, channel: 'rest' }, 'logout');
}

function registeredService(ctx: UsherContext, service: string): Extract<ServiceLookup, { kind: 'allowed' }> {
  const lookup = ctx.registry.lookup(service);
  if (lookup.kind === 'allowed') return lookup;
  ctx.logger.warn({ service: service.slice(0, 200), result: lookup.kind }, 'REST ticket refused for service');
  throw new RestError(403, 'The service is not authorized to use this single sign-on service');
}
