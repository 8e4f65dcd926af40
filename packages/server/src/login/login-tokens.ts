import { generateTicketId } from '@usher/protocol';
import type { Attributes } from '../auth/authenticator.ts';
import type { Clock, ModelStore } from '../storage/types.ts';

/** A sign-in whose password was right, waiting for its second factor; kept server-side only. */
export interface PendingSignIn {
  user: string;
  attributes: Attributes;
  warn: boolean;
  rememberMe: boolean;
  /** Wrong codes typed so far. */
  attempts: number;
  /** The code must come before this time, however many forms were shown meanwhile. */
  expiresAt: number;
}

export interface LoginTokenPayload {
  issuedAt: number;
  pending?: PendingSignIn;
}

/**
 * One-time tokens bound to each login, warn and second-factor form (CAS 3.0 §3.5 login ticket): a form
 * can be submitted once, which defeats replay, and only by a page this server rendered, which defeats
 * CSRF. The token of a second-factor form carries the half-done sign-in.
 */
export class LoginTokens {
  constructor(
    private readonly store: ModelStore<LoginTokenPayload>,
    private readonly settings: { loginFormTtl: number; loginTokenLength: number },
    private readonly clock: Clock,
  ) {}

  async issue(pending?: PendingSignIn): Promise<string> {
    const id = generateTicketId('LT', this.settings.loginTokenLength);
    const now = this.clock();
    const expiresAt = pending?.expiresAt ?? now + this.settings.loginFormTtl * 1000;
    await this.store.upsert(id, pending ? { issuedAt: now, pending } : { issuedAt: now }, { expiresAt });
    return id;
  }

  /** Takes the token: undefined when it is unknown, expired or already used. */
  async consume(token: string | undefined): Promise<LoginTokenPayload | undefined> {
    if (token?.length !== this.settings.loginTokenLength || !token.startsWith('LT-')) return undefined;
    return this.store.consume(token);
  }
}
