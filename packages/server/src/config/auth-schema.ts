import { z } from 'zod';

/**
 * `auth` and `login` settings: where passwords are checked, the second factor, and how the typed
 * username is normalised. Part of `configSchema` (schema.ts).
 */

const timeoutMs = z.number().int().positive().default(5000);
/** Shown in logs and in "source unavailable" warnings; defaults to the kind. */
const name = z.string().min(1).optional();

const totpEncryptionKey = z
  .string()
  .refine((value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32, {
    message: 'must be 32 bytes in base64 (44 characters, as printed by: openssl rand -base64 32)',
  });

const localSource = z
  .object({
    /** Usher's own users (`usher user add`), argon2id hashes in the configured storage. */
    kind: z.literal('local'),
    name,
  })
  .strict();

const dummySource = z
  .object({
    /** Every attempt fails (django-cas-server DummyAuthUser): sign-in switched off. */
    kind: z.literal('dummy'),
    name,
  })
  .strict();

const testSource = z
  .object({
    /** User `test`, password `test` (django-cas-server TestAuthUser). Refused when NODE_ENV=production. */
    kind: z.literal('test'),
    name,
  })
  .strict();

const ldapUrl = z
  .string()
  .regex(/^ldaps?:\/\/[^/]+\/?$/, 'must be ldap://host[:port] or ldaps://host[:port]');

const ldapSource = z
  .object({
    kind: z.literal('ldap'),
    name,
    /** `ldap://host:389` or `ldaps://host:636`; a list is tried in order while servers cannot be reached. */
    url: z.union([ldapUrl, z.array(ldapUrl).min(1)]),
    /** Upgrade `ldap://` connections with StartTLS before sending any credential. */
    startTls: z.boolean().default(false),
    /** PEM file of the CA certificates trusted for ldaps:// and StartTLS; Node's default CAs when unset. */
    caFile: z.string().min(1).optional(),
    /** Service account that searches for users; anonymous search when unset. */
    bindDn: z.string().min(1).optional(),
    bindPassword: z.string().optional(),
    /** Where users are searched, e.g. `ou=people,dc=example,dc=org`. */
    baseDn: z.string().min(1),
    /** Search filter; `{username}` is replaced by the typed username, escaped per RFC 4515. */
    userFilter: z
      .string()
      .refine((f) => f.includes('{username}'), 'must contain the {username} placeholder')
      .default('(uid={username})'),
    /** `sub`: the whole subtree under `baseDn`; `one`: its direct children only. */
    scope: z.enum(['sub', 'one']).default('sub'),
    /** Attributes fetched from the user's entry and kept as user attributes (all their values). */
    attributes: z.array(z.string().min(1)).default([]),
    /** Attribute whose value becomes the CAS username (e.g. `uid`); the typed username when unset. */
    usernameAttribute: z.string().min(1).optional(),
    /** Milliseconds for connecting and for each LDAP operation. */
    timeoutMs,
  })
  .strict()
  // A DN with an empty password is an anonymous bind (RFC 4513 §5.1.2), which would search as nobody.
  .refine((s) => !s.bindDn || s.bindPassword, { message: 'required with bindDn', path: ['bindPassword'] });

const sqlSource = z
  .object({
    /** Users in an existing database (django-cas-server CAS_SQL_*). */
    kind: z.literal('sql'),
    name,
    /**
     * `postgres://user:password@host:5432/db`, `mysql://user:password@host:3306/db` (MariaDB too) or
     * `sqlite:/path/to/file.sqlite3` (read only: Django's default `db.sqlite3`).
     */
    url: z
      .string()
      .regex(
        /^((postgres(ql)?|mysql|mariadb):\/\/|sqlite:.)/,
        'must start with postgres://, mysql://, mariadb:// or sqlite: and a file path',
      ),
    /**
     * Query returning the user's row(s), with one parameter for the username: `$1` for PostgreSQL, `?` for
     * MySQL/MariaDB and SQLite, e.g. `SELECT * FROM users WHERE login = $1`. The username is always sent as
     * a parameter, never pasted into the text. Several rows (a join) make multi-valued attributes.
     */
    userQuery: z.string().min(1),
    /** Column holding the password hash. */
    passwordColumn: z.string().min(1).default('password'),
    /** Column whose value becomes the CAS username; the typed username when unset. */
    usernameColumn: z.string().min(1).optional(),
    /**
     * How `passwordColumn` is checked: `argon2` (PHC string), `bcrypt` (`$2a$`/`$2b$`/`$2y$`), `crypt`
     * (sha512-crypt `$6$`, sha256-crypt `$5$` or bcrypt, by prefix), `django` (Django's `auth_user.password`:
     * `pbkdf2_sha256$…`, `pbkdf2_sha1$…`, `argon2$…`, `bcrypt_sha256$…`, `bcrypt$…`, `scrypt$…`, checked as
     * Django does) or `plain` (clear text; insecure).
     */
    passwordCheck: z.enum(['argon2', 'bcrypt', 'crypt', 'django', 'plain']),
    /** Connections kept open per process. */
    poolSize: z.number().int().positive().default(4),
    /** Milliseconds for connecting and for the query. */
    timeoutMs,
  })
  .strict()
  .refine(
    (s) => (/^postgres/.test(s.url) ? /\$1\b/.test(s.userQuery) : s.userQuery.split('?').length === 2),
    {
      message: 'must contain exactly one username parameter ($1 for PostgreSQL, ? for MySQL and SQLite)',
      path: ['userQuery'],
    },
  );

const restSource = z
  .object({
    /**
     * Apereo-style REST authentication: the credentials are POSTed to `url`; 200 with
     * `{ username?, attributes }` accepts, 401 refuses, 403 means disabled, 404 unknown user.
     */
    kind: z.literal('rest'),
    name,
    url: z.url({ protocol: /^https?$/ }),
    /** `basic`: an `Authorization: Basic` header (as Apereo CAS sends); `json`: a `{ username, password }` body. */
    credentials: z.enum(['basic', 'json']).default('basic'),
    /** PEM file of the CA certificates trusted for an https:// URL; Node's default CAs when unset. */
    caFile: z.string().min(1).optional(),
    /** Milliseconds the endpoint may take, connection included. */
    timeoutMs,
  })
  .strict();

export const authSourceSchema = z.discriminatedUnion('kind', [
  localSource,
  ldapSource,
  sqlSource,
  restSource,
  dummySource,
  testSource,
]);

export const authSchema = z
  .object({
    /**
     * Where passwords are checked, in order. The first source that knows the username decides: a wrong
     * password there is final, only an unknown username goes on to the next source.
     */
    sources: z
      .array(authSourceSchema)
      .min(1)
      .default([{ kind: 'local' }]),
    /** TOTP second factor (RFC 6238: 6 digits, 30 s, SHA-1, as authenticator apps expect). */
    mfa: z
      .object({
        /** Every user needs a second factor; users not enrolled (`usher user mfa enroll`) cannot sign in. */
        required: z.boolean().default(false),
        /** Issuer shown by authenticator apps next to the username. */
        issuer: z.string().min(1).default('Usher'),
        /** Seconds between a correct password and the code before the user must start again. */
        challengeTtl: z.number().int().positive().default(300),
        /** Wrong codes allowed per sign-in before the password must be typed again. */
        maxAttempts: z.number().int().positive().default(5),
        /**
         * 32 random bytes in base64 (`openssl rand -base64 32`) that encrypt the TOTP secrets stored from now
         * on; without it they are stored as they are. Losing it means enrolling every user again.
         */
        encryptionKey: totpEncryptionKey.optional(),
        /**
         * Keys that used to be `encryptionKey`: they only open secrets, so that a key can be rotated without
         * locking anyone out; `usher user mfa encrypt` then reseals every secret under the current key.
         */
        previousEncryptionKeys: z.array(totpEncryptionKey).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const loginSchema = z
  .object({
    /** Sign in with an email address: `alice@example.org` is looked up as `alice` (django-mama-cas LoginFormEmail). */
    usernameFromEmail: z.boolean().default(false),
    /** `lower`: usernames are lower-cased before they are looked up. */
    usernameCase: z.enum(['as-is', 'lower']).default('as-is'),
  })
  .strict();

export type AuthSourceConfig = z.infer<typeof authSourceSchema>;
export type LdapSourceConfig = z.infer<typeof ldapSource>;
export type SqlSourceConfig = z.infer<typeof sqlSource>;
export type RestSourceConfig = z.infer<typeof restSource>;
