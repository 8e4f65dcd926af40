import { timingSafeEqual } from 'node:crypto';
import type { AuthenticationResult, Authenticator } from './authenticator.ts';

const TEST_ATTRIBUTES = { nom: ['Nymous'], prenom: ['Ano'], email: ['anonymous@example.net'] };

/** User `test` with password `test` (django-cas-server's TestAuthUser), for trying a deployment out. */
export class TestAuthenticator implements Authenticator {
  constructor(readonly name = 'test') {}

  async authenticate(username: string, password: string): Promise<AuthenticationResult> {
    if (username !== 'test') return { ok: false, reason: 'unknown-user' };
    const typed = Buffer.from(password);
    if (typed.length !== 4 || !timingSafeEqual(typed, Buffer.from('test')))
      return { ok: false, reason: 'invalid-credentials' };
    return { ok: true, username: 'test', attributes: structuredClone(TEST_ATTRIBUTES) };
  }
}
