import type { AuthenticationResult } from '../auth/authenticator.ts';
import type { UsherContext } from '../context.ts';

export type CredentialCheck = AuthenticationResult | { ok: false; reason: 'throttled' };

/**
 * One password attempt, from the login form or the REST API: counted against the per-user and
 * per-address throttle first, then checked. Failures are logged (WARN); a success resets the user's count.
 */
export async function checkCredentials(
  ctx: UsherContext,
  attempt: { username: string; password: string; clientAddress: string; channel: 'login' | 'rest' },
): Promise<CredentialCheck> {
  const { username, clientAddress: address, channel } = attempt;
  if (!(await ctx.throttle.allow(username, address))) {
    ctx.logger.warn({ user: username, address, channel }, 'login throttled');
    return { ok: false, reason: 'throttled' };
  }
  const result = await ctx.authenticator.authenticate(username, attempt.password);
  if (!result.ok) {
    ctx.logger.warn({ user: username, address, channel, reason: result.reason }, 'login failed');
    return result;
  }
  await ctx.throttle.succeeded(username);
  return result;
}
