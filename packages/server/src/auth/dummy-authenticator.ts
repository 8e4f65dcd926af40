import type { AuthenticationResult, Authenticator } from './authenticator.ts';

/** Refuses every attempt (django-cas-server's DummyAuthUser): sign-in switched off. */
export class DummyAuthenticator implements Authenticator {
  constructor(readonly name = 'dummy') {}

  async authenticate(): Promise<AuthenticationResult> {
    return { ok: false, reason: 'invalid-credentials' };
  }
}
