import type { Attributes } from '../auth/authenticator.ts';
import type { UsherContext } from '../context.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';
import type { AcceptOutcome, Allowed, CredentialSubmission } from './login-flow.ts';
import { redirectWithTicket } from './service-redirect.ts';

/** Who signed in, once every factor has been checked. */
export interface CompletedSignIn {
  user: string;
  attributes: Attributes;
  warn: boolean;
  rememberMe: boolean;
  secondFactor?: 'totp';
}

/** The end of a successful POST /login: an SSO session, then the service ticket or the signed-in page. */
export async function completeLogin(
  ctx: UsherContext,
  submission: CredentialSubmission,
  target: Allowed | undefined,
  signIn: CompletedSignIn,
): Promise<AcceptOutcome> {
  const session = await establishSession(ctx, submission.session, signIn);
  ctx.logger.info(
    { user: session.user, service: target?.service.name, secondFactor: signIn.secondFactor },
    'login succeeded',
  );
  if (!target) return { outcome: { kind: 'logged-in', user: session.user }, newSession: session };
  const outcome = await redirectWithTicket(ctx, session, target, {
    primary: true,
    method: submission.method,
  });
  return { outcome, newSession: session };
}

/** Same user signing in again (renew) keeps the session; anybody else replaces it. */
async function establishSession(
  ctx: UsherContext,
  current: SsoSession | undefined,
  signIn: CompletedSignIn,
): Promise<SsoSession> {
  if (current && current.user === signIn.user)
    return ctx.sessions.reauthenticate(current, signIn.attributes, signIn.warn, signIn.secondFactor);
  if (current) await ctx.termination.end(current.id, 'replaced');
  return ctx.sessions.create(signIn);
}
