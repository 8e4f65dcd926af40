import { AUTHN_CONTEXT_CLASS } from '../attributes/cas3-attributes.ts';
import { type Attributes, AuthSourceUnavailableError } from '../auth/authenticator.ts';
import type { UsherContext } from '../context.ts';
import { type SecondFactorNeed, secondFactorNeed } from '../mfa/second-factor.ts';
import { normalizeUsername } from './normalize-username.ts';

export type CredentialCheck =
  | {
      ok: true;
      username: string;
      attributes: Attributes;
      secondFactor: Exclude<SecondFactorNeed, 'not-enrolled'>;
    }
  | { ok: false; reason: 'invalid-credentials' | 'disabled' | 'throttled' | 'unavailable' | 'not-enrolled' };

/**
 * One password attempt, from the login form or the REST API: the username normalised (`login`
 * settings), counted against the per-user and per-address throttle, then checked by the sources. An
 * unknown user is refused like a wrong password. Failures are logged (WARN); a success resets the user's
 * count unless a second factor is still to come.
 */
export async function checkCredentials(
  ctx: UsherContext,
  attempt: { username: string; password: string; clientAddress: string; channel: 'login' | 'rest' },
): Promise<CredentialCheck> {
  const { clientAddress: address, channel } = attempt;
  const username = normalizeUsername(attempt.username, ctx.config.login);
  if (!(await ctx.throttle.allow(username, address))) {
    ctx.logger.warn({ user: username, address, channel }, 'login throttled');
    return { ok: false, reason: 'throttled' };
  }
  let result: Awaited<ReturnType<UsherContext['authenticator']['authenticate']>>;
  try {
    result = await ctx.authenticator.authenticate(username, attempt.password);
  } catch (error) {
    if (!(error instanceof AuthSourceUnavailableError)) throw error;
    ctx.logger.warn(
      { user: username, address, channel, source: error.source, err: error.message },
      'authentication source unavailable',
    );
    return { ok: false, reason: 'unavailable' };
  }
  if (!result.ok) {
    ctx.logger.warn({ user: username, address, channel, reason: result.reason }, 'login failed');
    return { ok: false, reason: result.reason === 'unknown-user' ? 'invalid-credentials' : result.reason };
  }
  const secondFactor = await secondFactorNeed(ctx, result.username);
  if (secondFactor === 'not-enrolled') {
    ctx.logger.warn(
      { user: result.username, address, channel },
      'login refused: second factor required, none enrolled',
    );
    return { ok: false, reason: 'not-enrolled' };
  }
  if (secondFactor === undefined) await ctx.throttle.succeeded(username);
  // Only Usher may say that a second factor was used: a source's attribute of that name is dropped.
  const { [AUTHN_CONTEXT_CLASS]: _spoofed, ...attributes } = result.attributes;
  return { ok: true, username: result.username, attributes, secondFactor };
}
