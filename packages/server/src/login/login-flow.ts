import type { UsherContext } from '../context.ts';
import type { ServiceLookup } from '../services/service-registry.ts';
import type { SsoSession } from '../sessions/sso-sessions.ts';
import type { TextKey } from '../views/messages/index.ts';
import { checkCredentials } from './check-credentials.ts';
import { completeLogin } from './complete-login.ts';
import {
  disabledServiceOutcome,
  type LoginOutcome,
  type LoginRequest,
  unknownServiceOutcome,
} from './login-outcome.ts';
import { acceptSecondFactor, challengeSecondFactor } from './second-factor-step.ts';
import { redirectWithTicket } from './service-redirect.ts';

export type Allowed = Extract<ServiceLookup, { kind: 'allowed' }>;

/** The form again, with the message (a key of `views/messages/en.ts`) for each refused password. */
const CREDENTIAL_FAILURES = {
  throttled: { status: 429, error: 'throttled' },
  disabled: { status: 401, error: 'accountDisabled' },
  'invalid-credentials': { status: 401, error: 'invalidCredentials' },
  unavailable: { status: 503, error: 'sourceUnavailable' },
  'not-enrolled': { status: 403, error: 'secondFactorNotEnrolled' },
} as const satisfies Record<string, { status: number; error: TextKey }>;

/** Resolves `service` against the registry; unknown and disabled services stop the flow (no redirect). */
export function resolveService(
  ctx: UsherContext,
  service: string | undefined,
): { target?: Allowed; refusal?: LoginOutcome } {
  if (service === undefined || service === '') return {};
  const lookup = ctx.registry.lookup(service);
  if (lookup.kind === 'allowed') return { target: lookup };
  ctx.logger.warn(
    { service: service.slice(0, 200), result: lookup.kind },
    'login refused for unregistered service',
  );
  return { refusal: lookup.kind === 'disabled' ? disabledServiceOutcome : unknownServiceOutcome };
}

/** GET /login: CAS 3.0 §2.1 credential requestor. */
export async function requestCredentials(ctx: UsherContext, request: LoginRequest): Promise<LoginOutcome> {
  const { target, refusal } = resolveService(ctx, request.service);
  if (refusal) return refusal;

  // §2.1.1: renew bypasses single sign-on and wins over gateway.
  if (request.renew) return { kind: 'form', status: 200 };

  const session = request.session;
  if (session) {
    await ctx.sessions.touch(session);
    if (!target) return { kind: 'logged-in', user: session.user };
    if (session.warn) {
      return { kind: 'warn', service: target.url, serviceName: target.service.name, user: session.user };
    }
    return redirectWithTicket(ctx, session, target, { primary: false, method: request.method });
  }

  // §2.1.1 gateway: never show a form; go back to the service without a ticket.
  if (request.gateway && target) return { kind: 'redirect', url: target.url };
  return { kind: 'form', status: 200 };
}

export interface CredentialSubmission extends LoginRequest {
  loginToken?: string;
  username?: string;
  password?: string;
  /** The TOTP code of the second-factor form. */
  code?: string;
  warn: boolean;
  rememberMe: boolean;
  /** The user confirmed the warn page: continue with the existing session. */
  confirm: boolean;
  clientAddress: string;
}

export type AcceptOutcome = { outcome: LoginOutcome; newSession?: SsoSession };

/** POST /login: CAS 3.0 §2.2 credential acceptor. */
export async function acceptCredentials(
  ctx: UsherContext,
  submission: CredentialSubmission,
): Promise<AcceptOutcome> {
  const { target, refusal } = resolveService(ctx, submission.service);
  if (refusal) return { outcome: refusal };

  const token = await ctx.loginTokens.consume(submission.loginToken);
  if (!token) {
    ctx.logger.warn({ address: submission.clientAddress }, 'login form expired or replayed');
    return {
      outcome: {
        kind: 'form',
        status: 400,
        notice: 'formExpired',
        username: submission.username,
      },
    };
  }

  if (token.pending) return acceptSecondFactor(ctx, submission, token.pending, target);
  if (submission.confirm) return { outcome: await confirmWarning(ctx, submission, target) };

  const username = submission.username?.trim() ?? '';
  const password = submission.password ?? '';
  if (username === '' || password === '') {
    return { outcome: { kind: 'form', status: 400, error: 'missingCredentials', username } };
  }
  const result = await checkCredentials(ctx, {
    username,
    password,
    clientAddress: submission.clientAddress,
    channel: 'login',
  });
  if (!result.ok) return { outcome: { kind: 'form', username, ...CREDENTIAL_FAILURES[result.reason] } };

  const signIn = {
    user: result.username,
    attributes: result.attributes,
    warn: submission.warn,
    rememberMe: submission.rememberMe,
  };
  if (result.secondFactor) return { outcome: await challengeSecondFactor(ctx, signIn) };
  return completeLogin(ctx, submission, target, signIn);
}

async function confirmWarning(
  ctx: UsherContext,
  submission: CredentialSubmission,
  target: Allowed | undefined,
): Promise<LoginOutcome> {
  const session = submission.session;
  if (!session) return { kind: 'form', status: 200, notice: 'sessionEnded' };
  if (!target) return { kind: 'logged-in', user: session.user };
  return redirectWithTicket(ctx, session, target, { primary: false, method: submission.method });
}
