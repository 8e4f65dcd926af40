import type { UsherContext } from '../context.ts';
import { openTotpSecret, TotpSecretUnreadableError, totpKeys } from './secret-box.ts';
import { matchingStep } from './totp.ts';
import { lastTotpStep, totpSecretOf, withLastTotpStep } from './totp-enrolment.ts';

/** What a user must show after the password: a TOTP code, nothing, or they cannot sign in at all. */
export type SecondFactorNeed = 'totp' | 'not-enrolled' | undefined;

export async function secondFactorNeed(ctx: UsherContext, username: string): Promise<SecondFactorNeed> {
  if (totpSecretOf(await ctx.storage.users.find(username))) return 'totp';
  return ctx.config.auth.mfa.required ? 'not-enrolled' : undefined;
}

export type CodeVerdict = 'accepted' | 'wrong' | 'replayed';

// Longer than the steps a code is accepted in, so two submissions of one code always share a counter.
const REPLAY_WINDOW_MS = 10 * 60 * 1000;

/**
 * Checks a TOTP code. A code is accepted once (RFC 6238 §5.2): the last accepted step is kept in the user
 * record, so that code and older ones are refused afterwards, and a counter per step refuses the second of
 * two submissions of one code racing each other.
 */
export async function verifyTotpCode(
  ctx: UsherContext,
  username: string,
  code: string,
): Promise<CodeVerdict> {
  const user = await ctx.storage.users.find(username);
  const stored = totpSecretOf(user);
  if (!user || !stored) return 'wrong';
  let secret: string;
  try {
    secret = openTotpSecret(stored, user.username, totpKeys(ctx.config.auth.mfa)).secret;
  } catch (error) {
    if (!(error instanceof TotpSecretUnreadableError)) throw error;
    ctx.logger.error({ user: username, reason: error.message }, 'TOTP secret unreadable: no code can pass');
    return 'wrong';
  }
  const step = matchingStep(secret, code, ctx.clock());
  if (step === undefined) return 'wrong';
  if (step <= lastTotpStep(user)) return 'replayed';
  if ((await ctx.storage.rateLimits.hit(`mfa:step:${username}:${step}`, REPLAY_WINDOW_MS)) > 1)
    return 'replayed';
  await ctx.storage.users.update(withLastTotpStep(user, step));
  return 'accepted';
}
