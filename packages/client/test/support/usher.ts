import { Writable } from 'node:stream';
import {
  createLogger,
  createStorage,
  createUsherServer,
  hashPassword,
  resolveConfig,
  type UsherServer,
} from '@usher/server';
import type { Browser } from './browser.ts';
import { freePort } from './free-port.ts';

export const USHER_USER = 'alice';
const PASSWORD = 'client tests, not a secret';
export const USHER_ATTRIBUTES = { mail: ['alice@example.org'], memberOf: ['staff', 'admins'] };

export interface Usher {
  url: string;
  server: UsherServer;
  /**
   * What a browser does at the Usher login page: with an SSO session the page redirects at once; otherwise
   * fill in and post the form. Returns the redirect back to the service (or the page when none).
   */
  signIn(browser: Browser, loginUrl: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A real Usher server on 127.0.0.1 (memory storage), trusting any service on 127.0.0.2. */
export async function startUsher(): Promise<Usher> {
  const port = await freePort('127.0.0.1');
  const config = resolveConfig(
    {
      server: { host: '127.0.0.1', port },
      storage: { kind: 'memory' },
      logging: { level: 'fatal' },
      services: {
        registry: [
          {
            name: 'Client tests',
            match: 'regex',
            pattern: '^http://127\\.0\\.0\\.2:\\d+/',
            attributes: { allow: Object.keys(USHER_ATTRIBUTES) },
          },
        ],
      },
      singleLogout: { pollIntervalMs: 100, retry: { initialDelayMs: 100 } },
    },
    'client tests',
  );
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger('fatal', quiet);
  const storage = await createStorage(config.storage, { clock: Date.now, logger });
  const now = Date.now();
  await storage.users.create({
    username: USHER_USER,
    passwordHash: await hashPassword(PASSWORD),
    attributes: USHER_ATTRIBUTES,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  const server = await createUsherServer({ config, storage, logger });
  const url = (await server.listen()).replace(/\/+$/, '');

  return {
    url,
    server,
    async signIn(browser, loginUrl) {
      const page = await browser.get(loginUrl);
      if (page.status === 302) return page.location;
      const lt = /name="lt" value="([^"]*)"/.exec(page.body)?.[1];
      if (lt === undefined)
        throw new Error(`no login form at ${loginUrl}: ${page.status} ${page.body.slice(0, 200)}`);
      const service = new URL(loginUrl).searchParams.get('service');
      const form = new URLSearchParams({ lt, username: USHER_USER, password: PASSWORD });
      if (service !== null) form.set('service', service);
      const posted = await browser.request(`${url}/login`, { method: 'POST', body: form });
      return posted.location;
    },
    async close() {
      await server.close();
      await storage.close();
    },
  };
}
