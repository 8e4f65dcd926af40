import type { IdentityOptions } from './identity.ts';
import type { CasStore } from './stores/cas-store.ts';
import { MemoryCasStore } from './stores/memory-store.ts';
import type { UserHooks } from './users.ts';

/** `saml1.1`: CAS login, validation at `/samlValidate` (django-cas-ng's `CAS_2_SAML_1_0`). */
export type CasVersion = 1 | 2 | 3 | 'saml1.1';
export type CasFormat = 'xml' | 'json';

/** Everything about talking to the CAS server and keeping its tickets. */
export interface CasProtocolOptions {
  /** Base URL of the CAS server, e.g. `https://cas.example.org/cas` (`/login`, `/p3/serviceValidate`... are appended). */
  serverUrl: string;
  /** This application's callback URL, sent as `service`; adapters serve the login callback and single logout at its path. */
  serviceUrl: string;
  /** CAS protocol version; default 3 (`/p3/serviceValidate`, attributes). */
  version?: CasVersion;
  /** Validation response format; `json` needs CAS 3. Default `xml`. */
  format?: CasFormat;
  /** `CAS_RENEW`: ask for primary credentials at every login, and validate with `renew=true`. */
  renew?: boolean;
  /** Send `gateway=true` with every login URL (the optional-login guard sets it by itself). */
  gateway?: boolean;
  /** `CAS_EXTRA_LOGIN_PARAMS`: added to the login URL. */
  extraLoginParams?: Readonly<Record<string, string>>;
  /** `CAS_PROXY_CALLBACK`: absolute URL (HTTPS for most servers) where the server delivers PGTs; adapters serve its path. */
  proxyCallbackUrl?: string;
  /**
   * Accept proxy tickets (validate at `/proxyValidate`): `true`, or a check of the proxy chain (most recent
   * first) returning whether to accept it. Default false: proxy tickets fail, and any chain is refused.
   */
  acceptProxyTickets?: boolean | ((proxies: readonly string[]) => boolean);
  /** Bound on each request to the CAS server, body included; default 5000. */
  timeoutMs?: number;
  /** Bound on the size of a CAS answer; default 1 MiB. */
  maxResponseBytes?: number;
  /** `fetch` to reach the CAS server (custom CA bundle, proxy...: `CAS_VERIFY_SSL_CERTIFICATE`); default global fetch. */
  fetch?: typeof fetch;
  /** Allowed clock difference with the server when checking a SAML assertion's validity window; default 60 s. */
  clockToleranceMs?: number;
  /** Time source for those checks; default `Date.now`. */
  clock?: () => number;
  /** Where PGTs wait between the callback and the validation answer, then live until `pgtTtlMs`. Default in memory. */
  pgtStore?: CasStore;
  /** How long a PGT is kept; default 2 hours (Apereo CAS's default PGT lifetime). */
  pgtTtlMs?: number;
  /** Single logout index: service ticket → local session id. Default in memory. */
  sessionIndexStore?: CasStore;
  /** How long the single logout index remembers a login; keep it at least your session lifetime. Default 24 hours. */
  sessionTtlMs?: number;
}

export interface CasClientOptions<U = undefined> extends CasProtocolOptions, IdentityOptions, UserHooks<U> {}

export interface ResolvedProtocolOptions extends CasProtocolOptions {
  /** Without a trailing slash, so paths can be appended. */
  serverUrl: string;
  version: CasVersion;
  format: CasFormat;
  renew: boolean;
  gateway: boolean;
  acceptProxyTickets: boolean | ((proxies: readonly string[]) => boolean);
  timeoutMs: number;
  maxResponseBytes: number;
  fetch: typeof fetch;
  clockToleranceMs: number;
  clock: () => number;
  pgtStore: CasStore;
  pgtTtlMs: number;
  sessionIndexStore: CasStore;
  sessionTtlMs: number;
}

export type ResolvedOptions<U> = ResolvedProtocolOptions & IdentityOptions & UserHooks<U>;

const HOUR = 3_600_000;

/** Applies defaults and refuses a bad configuration at construction, naming the option. */
export function resolveOptions<U>(options: CasClientOptions<U>): ResolvedOptions<U> {
  const version = options.version ?? 3;
  const format = options.format ?? 'xml';
  if (![1, 2, 3, 'saml1.1'].includes(version)) fail('version', "must be 1, 2, 3 or 'saml1.1'");
  if (format !== 'xml' && format !== 'json') fail('format', "must be 'xml' or 'json'");
  if (format === 'json' && version !== 3) fail('format', "'json' needs version 3");
  if ((version === 1 || version === 'saml1.1') && options.proxyCallbackUrl !== undefined) {
    fail('proxyCallbackUrl', 'needs version 2 or 3');
  }
  if (options.createUser !== undefined && options.findUser === undefined) {
    fail('createUser', 'needs findUser, to know which users are new');
  }
  const serverUrl = httpUrl('serverUrl', options.serverUrl);
  if (serverUrl.search !== '' || serverUrl.hash !== '') fail('serverUrl', 'must have no query or fragment');
  httpUrl('serviceUrl', options.serviceUrl);
  if (options.proxyCallbackUrl !== undefined) httpUrl('proxyCallbackUrl', options.proxyCallbackUrl);
  return {
    ...options,
    serverUrl: serverUrl.href.replace(/\/+$/, ''),
    version,
    format,
    renew: options.renew ?? false,
    gateway: options.gateway ?? false,
    acceptProxyTickets: options.acceptProxyTickets ?? false,
    timeoutMs: positive('timeoutMs', options.timeoutMs ?? 5000),
    maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes ?? 1024 * 1024),
    fetch: options.fetch ?? globalThis.fetch,
    clockToleranceMs: nonNegative('clockToleranceMs', options.clockToleranceMs ?? 60_000),
    clock: options.clock ?? Date.now,
    pgtStore: options.pgtStore ?? new MemoryCasStore(),
    pgtTtlMs: positive('pgtTtlMs', options.pgtTtlMs ?? 2 * HOUR),
    sessionIndexStore: options.sessionIndexStore ?? new MemoryCasStore(),
    sessionTtlMs: positive('sessionTtlMs', options.sessionTtlMs ?? 24 * HOUR),
  };
}

function httpUrl(name: string, value: unknown): URL {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    fail(name, 'must be an absolute http(s) URL');
  }
  return url;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) fail(name, 'must be a positive number');
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) fail(name, 'must be a number of at least 0');
  return value;
}

function fail(name: string, problem: string): never {
  throw new TypeError(`CasClient: option "${name}" ${problem}`);
}
