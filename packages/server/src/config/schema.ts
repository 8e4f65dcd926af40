import { z } from 'zod';
import { LANGUAGES } from '../views/messages/index.ts';
import { authSchema, loginSchema } from './auth-schema.ts';

/**
 * Every setting Usher reads, with its default. The YAML file and USHER_* environment variables are
 * validated against this schema at start-up; errors name the exact key.
 */

const seconds = (defaultValue: number) => z.number().int().positive().default(defaultValue);

const servicePatternSchema = z
  .object({
    /** How `pattern` is compared with a service URL: a regular expression (anchor it!), an exact URL or a URL prefix. */
    match: z.enum(['regex', 'exact', 'prefix']).default('regex'),
    pattern: z.string().min(1),
  })
  .strict();

const proxyPolicySchema = z
  .object({
    /** May this service obtain proxy-granting tickets (pgtUrl) and proxy tickets? (django-mama-cas PROXY_ALLOW) */
    allowed: z.boolean().default(false),
    /** Regular expression the pgtUrl must match (django-mama-cas PROXY_PATTERN). Empty: the service's own pattern. */
    callbackPattern: z.string().default(''),
    /** Regular expressions of target services this service may obtain proxy tickets for. Empty: any registered service. */
    targets: z.array(z.string()).default([]),
  })
  .strict();

const attributeReleaseSchema = z
  .object({
    /** Attribute names released to the service; `['*']` releases every attribute. */
    allow: z.array(z.string()).default([]),
    /** Renames applied after the allow-list: `{ mail: email }` releases `mail` as `email`. */
    rename: z.record(z.string(), z.string()).prefault({}),
    /** Rewrites values by regular expression: `{ mail: { pattern: '@old\\.org$', replace: '@new.org' } }`. */
    rewrite: z
      .record(z.string(), z.object({ pattern: z.string(), replace: z.string() }).strict())
      .prefault({}),
    /** Values the user must have to use the service: `{ memberOf: ['staff'] }` (any listed value suffices). */
    require: z.record(z.string(), z.array(z.string())).prefault({}),
    /** Release this attribute's first value as the CAS user instead of the username (e.g. `mail`). */
    userAttribute: z.string().optional(),
    /**
     * Modules computing extra attributes for this service (django-mama-cas attribute callbacks): paths
     * (relative to the working directory) of modules whose default export, or the export named after
     * `#` (`./callbacks.ts#department`), is `(user: { username, attributes }, service: string) =>
     * Attributes | Promise<Attributes>`. Loaded once at start-up; their results are released as they
     * are (they bypass the allow-list) and replace same-named attributes. One that throws is logged
     * and skipped.
     */
    callbacks: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const serviceSchema = z
  .object({
    /** Display name, also used as the service id in logs and the CLI. */
    name: z.string().min(1),
    ...servicePatternSchema.shape,
    enabled: z.boolean().default(true),
    /** Lower values are evaluated first; ties keep file order. */
    order: z.number().int().default(0),
    description: z.string().default(''),
    attributes: attributeReleaseSchema.prefault({}),
    /** Send single-logout requests to this service (django-mama-cas LOGOUT_ALLOW). */
    singleLogout: z.boolean().default(true),
    /** URL the logoutRequest is POSTed to instead of the service URL (django-mama-cas LOGOUT_URL). */
    logoutUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** `back-channel`: the server POSTs; `front-channel`: the logout page makes the browser notify the service. */
    logoutMode: z.enum(['back-channel', 'front-channel']).default('back-channel'),
    proxy: proxyPolicySchema.prefault({}),
  })
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Public base URL of this CAS server, e.g. `https://sso.example.org/cas`; defaults to http://host:port. */
        publicUrl: z.url({ protocol: /^https?$/ }).optional(),
        /** Trust X-Forwarded-* headers from these proxies (true, a hop count, or addresses/CIDRs). */
        trustProxy: z
          .union([z.boolean(), z.number().int().nonnegative(), z.array(z.string())])
          .default(false),
        tls: z.object({ certFile: z.string(), keyFile: z.string() }).strict().optional(),
        /** Largest accepted request body (SAML requests, login form), bytes. */
        bodyLimit: z
          .number()
          .int()
          .positive()
          .default(64 * 1024),
        /**
         * Processes serving the port (node:cluster; `usher serve --workers` overrides it). Each runs the
         * expiry sweeper and single-logout outbox like a node of its own: storage makes them take turns.
         * Needs storage shared between processes (sqlite, redis, postgres).
         */
        workers: z.number().int().positive().default(1),
      })
      .strict()
      .prefault({}),
    /** Where tickets, sessions, users and the single-logout outbox live. */
    storage: z.unknown().default({ kind: 'sqlite', path: './data/usher.db' }),
    tickets: z
      .object({
        /** Seconds a service or proxy ticket stays valid (django-cas-server CAS_TICKET_VALIDITY). */
        serviceTicketTtl: seconds(60),
        /** Seconds a proxy-granting ticket stays valid (CAS_PGT_VALIDITY). */
        proxyGrantingTicketTtl: seconds(3600),
        /** Total length of ST ids (CAS_ST_LEN); 32 keeps old clients happy, up to 256 allowed. */
        serviceTicketLength: z.number().int().min(27).max(256).default(32),
        /** Total length of PT ids (CAS_PT_LEN); `serviceTicketLength` when unset, as clients treat both alike. */
        proxyTicketLength: z.number().int().min(27).max(256).optional(),
        /** Total length of PGT ids (CAS_PGT_LEN). */
        proxyGrantingTicketLength: z.number().int().min(32).max(256).default(64),
        /** Total length of PGTIOU ids (CAS_PGTIOU_LEN); `proxyGrantingTicketLength` when unset. */
        proxyGrantingTicketIouLength: z.number().int().min(32).max(256).optional(),
        /** Total length of the one-time login form tokens (CAS_LT_LEN); only this server reads them. */
        loginTokenLength: z.number().int().min(32).max(256).default(64),
        /** Seconds a login form stays usable. */
        loginFormTtl: seconds(900),
      })
      .strict()
      .prefault({})
      .transform((tickets) => ({
        ...tickets,
        proxyTicketLength: tickets.proxyTicketLength ?? tickets.serviceTicketLength,
        proxyGrantingTicketIouLength:
          tickets.proxyGrantingTicketIouLength ?? tickets.proxyGrantingTicketLength,
      })),
    sso: z
      .object({
        /** Seconds of inactivity after which the SSO session ends. */
        idleTimeout: seconds(2 * 3600),
        /** Hard maximum lifetime of an SSO session, seconds. */
        maxLifetime: seconds(8 * 3600),
        /** Offer "remember me"; such sessions last `rememberMeLifetime` (CAS longTermAuthenticationRequestTokenUsed). */
        rememberMe: z.boolean().default(false),
        rememberMeLifetime: seconds(14 * 24 * 3600),
        /** Offer the "warn me before logging me into other sites" checkbox (django-mama-cas ALLOW_AUTH_WARN). */
        allowWarn: z.boolean().default(true),
        cookieName: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default('TGC'),
        /** `auto`: Secure except on plain-HTTP loopback development. */
        cookieSecure: z.union([z.literal('auto'), z.boolean()]).default('auto'),
      })
      .strict()
      .prefault({}),
    /** Proxy authentication (CAS 3.0 §2.5.4, §2.7): how the server calls `pgtUrl` callbacks. */
    proxy: z
      .object({
        /** PEM file of the CA certificates trusted for pgtUrl callbacks; replaces Node's default CAs when set. */
        caBundle: z.string().min(1).optional(),
        /** Milliseconds a pgtUrl callback may take, connection included, before no PGT is issued. */
        callbackTimeoutMs: z.number().int().positive().default(5000),
        /** Accept plain-HTTP pgtUrl callbacks on loopback addresses. Only for local development. */
        allowInsecureLoopbackCallbacks: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    saml: z
      .object({
        /** Seconds a /samlValidate assertion stays valid (its Conditions NotBefore..NotOnOrAfter window). */
        assertionLifetime: seconds(30),
      })
      .strict()
      .prefault({}),
    /** Apereo-style REST ticket API at `/v1/tickets`, for scripts and service-to-service calls. */
    rest: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    logout: z
      .object({
        /** Redirect to a registered `service`/`url` after logout (django-mama-cas FOLLOW_LOGOUT_URL). */
        followServiceRedirect: z.boolean().default(true),
        /** Show the login form after logout instead of the logged-out page (CAS_REDIRECT_TO_LOGIN_AFTER_LOGOUT). */
        redirectToLogin: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Back-channel single logout: how logoutRequests are sent from the durable outbox and retried. */
    singleLogout: z
      .object({
        /**
         * `false` turns single logout off for every service, whatever its own `singleLogout` says
         * (django-mama-cas MAMA_CAS_ENABLE_SINGLE_SIGN_OUT); no record of service tickets is kept then.
         */
        enabled: z.boolean().default(true),
        /** PEM file of the CA certificates trusted for https services; replaces Node's default CAs when set. */
        caBundle: z.string().min(1).optional(),
        /** Most logoutRequests in flight at once per node (django-cas-server CAS_SLO_MAX_PARALLEL_REQUESTS). */
        maxParallel: z.number().int().positive().default(10),
        /** Milliseconds one logoutRequest may take, connection included, before it counts as failed (CAS_SLO_TIMEOUT). */
        timeoutMs: z.number().int().positive().default(5000),
        /**
         * Failed requests are retried after `initialDelayMs`, doubling up to `maxDelayMs`, `maxAttempts` tries
         * in all; each delay is shortened by up to `jitter` (a fraction of it) at random.
         */
        retry: z
          .object({
            initialDelayMs: z.number().int().positive().default(5000),
            maxDelayMs: z.number().int().positive().default(600_000),
            maxAttempts: z.number().int().positive().default(10),
            jitter: z.number().min(0).max(1).default(0.2),
          })
          .strict()
          .prefault({}),
        /** Milliseconds between two looks of each node for logoutRequests due for a retry. */
        pollIntervalMs: z.number().int().positive().default(5000),
        /** Seconds delivered and failed logoutRequests stay listed by `usher slo status` before being purged. */
        retention: seconds(7 * 24 * 3600),
      })
      .strict()
      .prefault({}),
    /** Prometheus metrics at `/metrics` (counters of single-logout deliveries). Off: the page is public. */
    metrics: z
      .object({ enabled: z.boolean().default(false) })
      .strict()
      .prefault({}),
    protocol: z
      .object({
        /** Release attributes on CAS 2 /serviceValidate too (the specification keeps them for /p3/). */
        cas2ReleasesAttributes: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    services: z
      .object({
        /** Any http(s) service may receive tickets. Only for development: it makes Usher an open redirector. */
        openMode: z.boolean().default(false),
        registry: z.array(serviceSchema).default([]),
        /**
         * Attribute callbacks run for every service (django-mama-cas MAMA_CAS_ATTRIBUTE_CALLBACKS), before the
         * service's own `attributes.callbacks`, which replace same-named attributes. Same form as those.
         */
        attributeCallbacks: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    throttle: z
      .object({
        /** Login attempts allowed per username per window. */
        maxAttemptsPerUser: z.number().int().positive().default(10),
        /** Login attempts allowed per client address per window. */
        maxAttemptsPerAddress: z.number().int().positive().default(100),
        window: seconds(300),
      })
      .strict()
      .prefault({}),
    /** Authentication sources (local, LDAP, SQL, REST) and the TOTP second factor: see auth-schema.ts. */
    auth: authSchema.prefault({}),
    /** How the username typed on the login form (or sent to the REST API) is normalised. */
    login: loginSchema.prefault({}),
    ui: z
      .object({
        title: z.string().default('Usher'),
        /** Folder with templates overriding the built-in ones (same file names). */
        templatesDir: z.string().optional(),
        /**
         * Language of the pages (LocaleMiddleware): `auto` picks the best of `languages` for the browser's
         * Accept-Language header, a language code always uses that one.
         */
        language: z.enum(['auto', ...LANGUAGES]).default('auto'),
        /** Languages `auto` may choose, the first being the fallback when none of them is asked for. */
        languages: z
          .array(z.enum(LANGUAGES))
          .min(1)
          .refine((list) => new Set(list).size === list.length, 'lists a language twice')
          .default([...LANGUAGES]),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        /** Append the log lines to this file instead of stdout; SIGHUP reopens it (log rotation). */
        file: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** Serve /demo/ (a page that shows the ticket it received and how to validate it). Written by first run. */
    demo: z
      .object({ enabled: z.boolean().default(false) })
      .strict()
      .prefault({}),
  })
  .strict();

export type ServiceConfig = z.infer<typeof serviceSchema>;
export type UsherConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
