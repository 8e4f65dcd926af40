export type Attributes = Record<string, string[]>;

export type AuthenticationResult =
  | { ok: true; username: string; attributes: Attributes }
  /** `unknown-user`: this source does not know the username, so the next source may. */
  | { ok: false; reason: 'unknown-user' | 'invalid-credentials' | 'disabled' };

/** A source of primary credentials: local users, LDAP, SQL, REST (see `create-authenticator.ts`). */
export interface Authenticator {
  readonly name: string;
  /** Throws {@link AuthSourceUnavailableError} when the source cannot answer (down, timed out, misconfigured). */
  authenticate(username: string, password: string): Promise<AuthenticationResult>;
  /** Releases connections (database pools) when the server stops. */
  close?(): Promise<void>;
}

/** The source could not say whether the credentials are right: sign-in is unavailable, not refused. */
export class AuthSourceUnavailableError extends Error {
  override readonly name = 'AuthSourceUnavailableError';
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
