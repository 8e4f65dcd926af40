import { z } from 'zod';

const hostPort = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});

/**
 * TLS options handed unchanged to `tls.connect` (PEM strings, not file paths); `true` means TLS with the
 * system's trusted CAs.
 */
const tlsOptions = z.union([
  z.boolean(),
  z
    .object({
      ca: z.union([z.string(), z.array(z.string())]).optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
      passphrase: z.string().optional(),
      servername: z.string().optional(),
      /** Only for tests against self-signed servers: turns off certificate checks. */
      rejectUnauthorized: z.boolean().optional(),
    })
    .loose(),
]);

const memoryConfig = z.object({
  /** Process-local maps: for tests and development only, everything is lost on restart. */
  kind: z.literal('memory'),
});

const sqliteConfig = z.object({
  kind: z.literal('sqlite'),
  /** Database file (created with its directory when missing); may be shared by the workers of one host. */
  path: z.string().min(1),
});

const redisConfig = z
  .object({
    kind: z.literal('redis'),
    /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS; ignored with `sentinels` or `cluster`. */
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    /** Prepended to every key, so several deployments can share one Redis. */
    keyPrefix: z.string().default('usher:'),
    /** Sentinel nodes; `name` is then the monitored master group. */
    sentinels: z.array(hostPort).min(1).optional(),
    name: z.string().min(1).optional(),
    /** Cluster seed nodes. Usher keeps all its keys in one hash slot so its Lua scripts stay atomic. */
    cluster: z.array(hostPort).min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    tls: tlsOptions.optional(),
    /**
     * How long an expired item stays in Redis before Redis itself drops it, so that `takeExpired` (single
     * logout on session timeout) still finds it; `sweep()` removes expired items earlier.
     */
    expiredRetentionMs: z
      .number()
      .int()
      .min(0)
      .default(60 * 60 * 1000),
  })
  .refine((c) => !(c.sentinels && c.cluster), {
    message: 'use either sentinels or cluster',
    path: ['cluster'],
  })
  .refine((c) => !c.sentinels || c.name, { message: 'required with sentinels', path: ['name'] });

const postgresConfig = z.object({
  kind: z.literal('postgres'),
  /** `postgres://user:password@host:port/database`. */
  url: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'),
  /** Schema holding Usher's tables; created when missing. */
  schema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain SQL identifier')
    .default('public'),
  /**
   * Maximum connections per process for tickets and sessions (plus up to 2 more for the single-logout
   * outbox and users).
   */
  poolSize: z.number().int().min(1).default(10),
  /**
   * Whether commits of tickets, SSO sessions and login-form tokens wait for PostgreSQL's disk flush. Off
   * (`synchronous_commit = off` on their connections), a crash of PostgreSQL or of its machine may forget
   * their last fraction of a second of changes, as Redis with `appendfsync everysec` would; it never
   * corrupts anything. The single-logout outbox and users are always committed synchronously.
   */
  synchronousCommit: z.boolean().default(false),
  ssl: tlsOptions.optional(),
});

/** Where Usher keeps tickets, sessions, users, the single-logout outbox and rate-limit counters. */
export const storageConfigSchema = z.discriminatedUnion('kind', [
  memoryConfig,
  sqliteConfig,
  redisConfig,
  postgresConfig,
]);

/** Storage settings as written in configuration (defaults optional). */
export type StorageConfig = z.input<typeof storageConfigSchema>;
/** Storage settings with every default applied. */
export type ResolvedStorageConfig = z.output<typeof storageConfigSchema>;
export type TlsOptions = z.output<typeof tlsOptions>;
