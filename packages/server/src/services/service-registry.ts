import { compileServicePattern, normalizeServiceUrl } from '@usher/protocol';
import type { ServiceConfig } from '../config/schema.ts';

export interface RegisteredService {
  readonly name: string;
  readonly config: ServiceConfig;
}

export type ServiceLookup =
  | { kind: 'allowed'; service: RegisteredService; url: string }
  | { kind: 'disabled'; service: RegisteredService; url: string }
  | { kind: 'unknown'; url?: string };

interface Entry extends RegisteredService {
  matcher: ReturnType<typeof compileServicePattern>;
}

const OPEN_MODE_SERVICE: ServiceConfig = {
  name: '(open mode)',
  match: 'regex',
  pattern: '^https?://',
  enabled: true,
  order: Number.MAX_SAFE_INTEGER,
  description: 'Any http(s) service: services.openMode is on',
  attributes: { allow: [], rename: {}, rewrite: {}, require: {}, callbacks: [] },
  singleLogout: true,
  logoutMode: 'back-channel',
  proxy: { allowed: false, callbackPattern: '', targets: [] },
};

/**
 * Decides which registered service a URL belongs to. Patterns are compared with the normalized URL,
 * the same string tickets are issued for and redirects go to, so what matches is what is used.
 */
export class ServiceRegistry {
  private entries: Entry[];

  /** `singleLogout: false` turns it off for every service, the open-mode one included. */
  constructor(
    services: readonly ServiceConfig[],
    options: { openMode?: boolean; singleLogout?: boolean } = {},
  ) {
    const ordered = services
      .map((config, index) => ({ config, index }))
      .sort((a, b) => a.config.order - b.config.order || a.index - b.index)
      .map(({ config }) => (options.singleLogout === false ? { ...config, singleLogout: false } : config));
    if (options.openMode)
      ordered.push({ ...OPEN_MODE_SERVICE, singleLogout: options.singleLogout !== false });
    this.entries = ordered.map((config) => ({
      name: config.name,
      config,
      matcher: compileServicePattern({ kind: config.match, value: config.pattern }),
    }));
  }

  /** First service (in evaluation order) whose pattern matches; disabled ones are reported, never used. */
  lookup(rawUrl: string): ServiceLookup {
    const url = normalizeServiceUrl(rawUrl);
    if (url === undefined) return { kind: 'unknown' };
    const entry = this.entries.find((e) => e.matcher.test(url));
    if (!entry) return { kind: 'unknown', url };
    const service = { name: entry.name, config: entry.config };
    return entry.config.enabled ? { kind: 'allowed', service, url } : { kind: 'disabled', service, url };
  }

  byName(name: string): RegisteredService | undefined {
    const entry = this.entries.find((e) => e.name === name);
    return entry && { name: entry.name, config: entry.config };
  }

  list(): RegisteredService[] {
    return this.entries.map(({ name, config }) => ({ name, config }));
  }

  /** Takes the services of `other` in place, for everything holding this registry (a reload). */
  replaceWith(other: ServiceRegistry): void {
    this.entries = other.entries;
  }
}
