import { NO_LOCAL_PASSWORD, publicAttributes } from '../mfa/totp-enrolment.ts';
import type { UserStore } from '../storage/types.ts';
import type { AuthenticationResult, Authenticator } from './authenticator.ts';
import { burnVerification, verifyPassword } from './password-hash.ts';

/** Users kept in Usher's own storage with argon2id hashes (`usher user add`). */
export class LocalAuthenticator implements Authenticator {
  constructor(
    private readonly users: UserStore,
    readonly name = 'local',
  ) {}

  async authenticate(username: string, password: string): Promise<AuthenticationResult> {
    const user = await this.users.find(username);
    if (!user || user.passwordHash === NO_LOCAL_PASSWORD) {
      await burnVerification(password);
      return { ok: false, reason: 'unknown-user' };
    }
    if (!(await verifyPassword(user.passwordHash, password)))
      return { ok: false, reason: 'invalid-credentials' };
    if (user.disabled) return { ok: false, reason: 'disabled' };
    return { ok: true, username: user.username, attributes: publicAttributes(user.attributes) };
  }
}
