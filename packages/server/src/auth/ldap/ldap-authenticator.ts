import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import {
  Client,
  type Entry,
  Filter,
  InappropriateAuthError,
  InvalidCredentialsError,
  ResultCodeError,
  SizeLimitExceededError,
  UnwillingToPerformError,
} from 'ldapts';
import type { LdapSourceConfig } from '../../config/auth-schema.ts';
import type { Logger } from '../../logging/logger.ts';
import {
  type AuthenticationResult,
  type Authenticator,
  AuthSourceUnavailableError,
} from '../authenticator.ts';
import { entryAttributes, firstValue } from './entry-attributes.ts';

/** What a refused user bind answers: the password (or the account) is wrong, not the server. */
const REFUSED_BIND = [InvalidCredentialsError, InappropriateAuthError, UnwillingToPerformError];

/**
 * Search-then-bind against a directory: the service account (or an anonymous bind) finds the user's
 * entry with `userFilter`, then a bind as that entry checks the password. Servers of `url` are tried in
 * order while they cannot be reached.
 */
export class LdapAuthenticator implements Authenticator {
  readonly name: string;
  private readonly urls: string[];
  private readonly tls: ConnectionOptions;

  constructor(
    private readonly config: LdapSourceConfig,
    private readonly logger: Logger,
  ) {
    this.name = config.name ?? 'ldap';
    this.urls = Array.isArray(config.url) ? config.url : [config.url];
    this.tls = config.caFile ? { ca: readFileSync(config.caFile) } : {};
  }

  async authenticate(username: string, password: string): Promise<AuthenticationResult> {
    // RFC 4513 §5.1.2: a bind with a DN and an empty password is an unauthenticated bind, which many
    // servers answer with success. It must never count as a correct password.
    if (password === '') return { ok: false, reason: 'invalid-credentials' };
    let lastError: unknown;
    for (const url of this.urls) {
      try {
        return await this.attempt(url, username, password);
      } catch (error) {
        if (error instanceof ResultCodeError) throw this.unavailable(`${url}: ${error.message}`, error);
        this.logger.warn(
          { source: this.name, url, err: (error as Error).message },
          'LDAP server unreachable',
        );
        lastError = error;
      }
    }
    throw this.unavailable(`no LDAP server reachable (${(lastError as Error).message})`, lastError);
  }

  private async attempt(url: string, username: string, password: string): Promise<AuthenticationResult> {
    const { config } = this;
    const client = new Client({
      url,
      timeout: config.timeoutMs,
      connectTimeout: config.timeoutMs,
      // ldapts speaks TLS from the first byte whenever it has TLS options, even to an ldap:// URL.
      ...(url.startsWith('ldaps:') ? { tlsOptions: this.tls } : {}),
    });
    try {
      if (config.startTls) await client.startTLS({ ...this.tls, host: new URL(url).hostname });
      if (config.bindDn) await client.bind(config.bindDn, config.bindPassword ?? '');
      const entry = await this.findUser(client, username);
      if (entry === 'unknown') return { ok: false, reason: 'unknown-user' };
      if (entry === 'ambiguous') return { ok: false, reason: 'invalid-credentials' };
      try {
        await client.bind(entry.dn, password);
      } catch (error) {
        if (REFUSED_BIND.some((refusal) => error instanceof refusal))
          return { ok: false, reason: 'invalid-credentials' };
        throw error;
      }
      const canonical = config.usernameAttribute ? firstValue(entry, config.usernameAttribute) : undefined;
      return {
        ok: true,
        username: canonical ?? username,
        attributes: entryAttributes(entry, config.attributes),
      };
    } finally {
      await client.unbind().catch(() => {});
    }
  }

  private async findUser(client: Client, username: string): Promise<Entry | 'unknown' | 'ambiguous'> {
    const { config } = this;
    const filter = config.userFilter.replaceAll('{username}', Filter.escape(username));
    try {
      const { searchEntries } = await client.search(config.baseDn, {
        scope: config.scope,
        filter,
        attributes: [...config.attributes, ...(config.usernameAttribute ? [config.usernameAttribute] : [])],
        sizeLimit: 2,
        timeLimit: Math.ceil(config.timeoutMs / 1000),
      });
      if (searchEntries.length === 1) return searchEntries[0]!;
      if (searchEntries.length === 0) return 'unknown';
    } catch (error) {
      if (!(error instanceof SizeLimitExceededError)) throw error;
    }
    this.logger.warn({ source: this.name, user: username }, 'LDAP user filter matches several entries');
    return 'ambiguous';
  }

  private unavailable(message: string, cause: unknown): AuthSourceUnavailableError {
    return new AuthSourceUnavailableError(this.name, message, { cause });
  }
}
