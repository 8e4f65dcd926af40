import { type AddressInfo, createServer } from 'node:net';
import { Writable } from 'node:stream';
import { hashPassword } from '../../src/auth/password-hash.ts';
import { manualClock } from '../../src/clock.ts';
import { deepMerge } from '../../src/config/env-overrides.ts';
import { resolveConfig, type UsherConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createUsherServer, type UsherServer } from '../../src/server.ts';
import { createMemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import type { Storage } from '../../src/storage/types.ts';
import { formField, type PageResponse, TestBrowser } from './browser.ts';

export const APP_URL = 'http://127.0.0.2:3000/app/';
export const OTHER_APP_URL = 'http://127.0.0.3:3000/';
export const PASSWORD = 'correct horse battery';

export interface TestServer {
  server: UsherServer;
  config: UsherConfig;
  baseUrl: string;
  clock: ReturnType<typeof manualClock>;
  logs: string[];
  storage: Storage;
  browser: TestBrowser;
  /** Signs in through the real form; returns the final response (302 to the service, or a page). */
  login(options?: {
    service?: string;
    username?: string;
    password?: string;
    extra?: Record<string, string>;
    browser?: TestBrowser;
  }): Promise<PageResponse>;
  /** Validates a ticket at a CAS endpoint and returns the body. */
  validate(
    path: string,
    params: Record<string, string>,
  ): Promise<{ status: number; body: string; type: string | null }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  settings?: Record<string, unknown>;
  storage?: (clock: () => number) => Storage | Promise<Storage>;
  /** Where the manual clock starts (default 2026-11-23T12:00Z); `Date.now()` for data other processes read. */
  startAt?: number;
}

/** A real Usher server on 127.0.0.1 (random port) with a manual clock, one user and two services. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const clock = manualClock(options.startAt ?? Date.UTC(2026, 10, 23, 12, 0, 0));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const base = {
    server: { host: '127.0.0.1', port: 0 },
    storage: { kind: 'memory' },
    logging: { level: 'debug' },
    services: {
      registry: [
        {
          name: 'App',
          match: 'prefix',
          pattern: 'http://127.0.0.2:3000/app/',
          attributes: { allow: ['mail', 'memberOf', 'displayName'] },
        },
        { name: 'Other', match: 'regex', pattern: '^http://127\\.0\\.0\\.3:3000/' },
        { name: 'Disabled', match: 'prefix', pattern: 'http://127.0.0.4:3000/', enabled: false },
      ],
    },
  };
  const port = await freePort();
  const raw = deepMerge(deepMerge(base, { server: { port } }), options.settings ?? {});
  const config = resolveConfig(raw, 'test');
  const storage = options.storage ? await options.storage(clock) : createMemoryStorage(clock);
  const now = clock();
  await storage.users.create({
    username: 'alice',
    passwordHash: await hashPassword(PASSWORD),
    attributes: {
      mail: ['alice@example.org'],
      memberOf: ['staff', 'admins'],
      displayName: ['Alice <Admin>'],
      secret: ['s3cret'],
    },
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  const server = await createUsherServer({
    config,
    storage,
    clock,
    logger: createLogger('debug', sink),
    backgroundSweep: false,
    backgroundSingleLogout: false,
  });
  await server.listen();
  const baseUrl = config.server.publicUrl;
  const browser = new TestBrowser();

  return {
    server,
    config,
    baseUrl,
    clock,
    logs,
    storage,
    browser,
    async login(opts = {}) {
      const b = opts.browser ?? browser;
      const query = opts.service ? `?service=${encodeURIComponent(opts.service)}` : '';
      const form = await b.get(`${baseUrl}/login${query}`);
      const lt = formField(form.text, 'lt');
      if (!lt) return form;
      return b.post(`${baseUrl}/login`, {
        lt,
        username: opts.username ?? 'alice',
        password: opts.password ?? PASSWORD,
        ...(opts.service ? { service: opts.service } : {}),
        ...opts.extra,
      });
    },
    async validate(path, params) {
      const response = await fetch(`${baseUrl}${path}?${new URLSearchParams(params)}`);
      return {
        status: response.status,
        body: await response.text(),
        type: response.headers.get('content-type'),
      };
    },
    async close() {
      await server.close();
      await storage.close();
    },
  };
}

export function ticketFrom(location: string | undefined): string {
  const ticket = location ? new URL(location).searchParams.get('ticket') : null;
  if (!ticket) throw new Error(`no ticket in redirect ${location}`);
  return ticket;
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
