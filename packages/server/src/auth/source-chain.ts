import type { AuthenticationResult, Authenticator } from './authenticator.ts';

/**
 * The configured sources in order. The first that knows the username decides, so a wrong password at
 * one source never gets a second chance at another; only `unknown-user` moves on. A source that cannot
 * answer stops the chain (AuthSourceUnavailableError): trying the next one could sign in a namesake.
 */
export class SourceChain implements Authenticator {
  readonly name = 'sources';
  constructor(private readonly sources: readonly Authenticator[]) {}

  async authenticate(username: string, password: string): Promise<AuthenticationResult> {
    for (const source of this.sources) {
      const result = await source.authenticate(username, password);
      if (result.ok || result.reason !== 'unknown-user') return result;
    }
    return { ok: false, reason: 'unknown-user' };
  }

  async close(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.close?.()));
  }
}
