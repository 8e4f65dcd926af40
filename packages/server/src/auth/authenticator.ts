export type Attributes = Record<string, string[]>;

export type AuthenticationResult =
  | { ok: true; username: string; attributes: Attributes }
  | { ok: false; reason: 'invalid-credentials' | 'disabled' };

/** A source of primary credentials (local users today; LDAP, SQL, REST plug in here). */
export interface Authenticator {
  readonly name: string;
  authenticate(username: string, password: string): Promise<AuthenticationResult>;
}
