import type { AuthSourceConfig } from '../config/auth-schema.ts';
import { ConfigError } from '../config/config-error.ts';
import type { UsherConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import type { UserStore } from '../storage/types.ts';
import type { Authenticator } from './authenticator.ts';
import { DummyAuthenticator } from './dummy-authenticator.ts';
import { LdapAuthenticator } from './ldap/ldap-authenticator.ts';
import { LocalAuthenticator } from './local-authenticator.ts';
import { RestAuthenticator } from './rest-authenticator.ts';
import { SourceChain } from './source-chain.ts';
import { SqlAuthenticator } from './sql/sql-authenticator.ts';
import { TestAuthenticator } from './test-authenticator.ts';

/** The `auth.sources` of the configuration, in order; refuses the `test` source in production. */
export function createAuthenticator(
  config: UsherConfig,
  deps: { users: UserStore; logger: Logger; env?: NodeJS.ProcessEnv },
): Authenticator {
  const env = deps.env ?? process.env;
  const sources = config.auth.sources.map((source, index) => {
    if (source.kind === 'test' && env.NODE_ENV === 'production')
      throw new ConfigError('configuration', [
        `auth.sources[${index}].kind: "test" (user test, password test) is refused when NODE_ENV=production`,
      ]);
    if (source.kind === 'sql' && source.passwordCheck === 'plain')
      deps.logger.warn(
        { source: source.name ?? 'sql' },
        'auth source keeps passwords in clear text (passwordCheck: plain): hash them (argon2 or bcrypt)',
      );
    if (source.kind === 'test')
      deps.logger.warn(
        { source: source.name ?? 'test' },
        'auth source "test" accepts test/test: not for production',
      );
    try {
      return createSource(source, deps);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code || !('caFile' in source)) throw error;
      throw new ConfigError('configuration', [
        `auth.sources[${index}].caFile: cannot read the file (${code})`,
      ]);
    }
  });
  return sources.length === 1 ? sources[0]! : new SourceChain(sources);
}

function createSource(source: AuthSourceConfig, deps: { users: UserStore; logger: Logger }): Authenticator {
  switch (source.kind) {
    case 'local':
      return new LocalAuthenticator(deps.users, source.name);
    case 'ldap':
      return new LdapAuthenticator(source, deps.logger);
    case 'sql':
      return new SqlAuthenticator(source, deps.logger);
    case 'rest':
      return new RestAuthenticator(source);
    case 'dummy':
      return new DummyAuthenticator(source.name);
    case 'test':
      return new TestAuthenticator(source.name);
  }
}
