import type { UsherContext } from '../context.ts';
import { verifyTotpCode } from '../mfa/second-factor.ts';
import { completeLogin } from './complete-login.ts';
import type { AcceptOutcome, Allowed, CredentialSubmission } from './login-flow.ts';
import type { LoginOutcome } from './login-outcome.ts';
import type { PendingSignIn } from './login-tokens.ts';

/** After a correct password: the code form, bound to a one-time token that holds the half-done sign-in. */
export async function challengeSecondFactor(
  ctx: UsherContext,
  signIn: Omit<PendingSignIn, 'attempts' | 'expiresAt'>,
): Promise<LoginOutcome> {
  const expiresAt = ctx.clock() + ctx.config.auth.mfa.challengeTtl * 1000;
  const challenge = await ctx.loginTokens.issue({ ...signIn, attempts: 0, expiresAt });
  return { kind: 'second-factor', status: 200, challenge };
}

/**
 * The code of a pending sign-in. Codes count against the same throttle as passwords; after
 * `auth.mfa.maxAttempts` wrong codes the password must be typed again.
 */
export async function acceptSecondFactor(
  ctx: UsherContext,
  submission: CredentialSubmission,
  pending: PendingSignIn,
  target: Allowed | undefined,
): Promise<AcceptOutcome> {
  const { user } = pending;
  const address = submission.clientAddress;
  if (!(await ctx.throttle.allow(user, address))) {
    ctx.logger.warn({ user, address }, 'second factor throttled');
    return {
      outcome: { kind: 'form', status: 429, error: 'throttled' },
    };
  }
  const verdict = await verifyTotpCode(ctx, user, (submission.code ?? '').replace(/\s/g, ''));
  if (verdict === 'accepted') {
    await ctx.throttle.succeeded(user);
    return completeLogin(ctx, submission, target, { ...pending, secondFactor: 'totp' });
  }
  ctx.logger.warn({ user, address, reason: verdict }, 'second factor refused');
  const attempts = pending.attempts + 1;
  if (attempts >= ctx.config.auth.mfa.maxAttempts) {
    return {
      outcome: { kind: 'form', status: 401, error: 'tooManyWrongCodes', username: user },
    };
  }
  const challenge = await ctx.loginTokens.issue({ ...pending, attempts });
  return {
    outcome: {
      kind: 'second-factor',
      status: 401,
      challenge,
      error: 'wrongCode',
    },
  };
}
