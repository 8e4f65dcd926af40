import { generateTicketId } from '@usher/protocol';
import type { Clock, ModelStore } from '../storage/types.ts';

interface LoginTokenPayload {
  issuedAt: number;
}

/**
 * One-time tokens bound to each login (and warn) form (CAS 3.0 §3.5 login ticket): a form can be
 * submitted once, which defeats replay, and only by a page this server rendered, which defeats CSRF.
 */
export class LoginTokens {
  constructor(
    private readonly store: ModelStore<LoginTokenPayload>,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  async issue(): Promise<string> {
    const id = generateTicketId('LT', 64);
    const now = this.clock();
    await this.store.upsert(id, { issuedAt: now }, { expiresAt: now + this.ttlSeconds * 1000 });
    return id;
  }

  async consume(token: string | undefined): Promise<boolean> {
    if (!token || token.length !== 64 || !token.startsWith('LT-')) return false;
    return (await this.store.consume(token)) !== undefined;
  }
}
