import { fileURLToPath } from 'node:url';
import { loadConfig, resolveConfig, type ServiceConfig, type UsherConfig } from '@usher/server';
import type { DemoUrls } from './demo-urls.ts';

export const CONFIG_FILE = fileURLToPath(new URL('./usher.yaml', import.meta.url));

export type LogoutMode = ServiceConfig['logoutMode'];

export function logoutModeOf(value: string | undefined): LogoutMode {
  if (value === undefined || value === '' || value === 'back-channel') return 'back-channel';
  if (value === 'front-channel') return value;
  throw new Error(`BILLING_LOGOUT must be back-channel or front-channel, not "${value}"`);
}

/**
 * usher.yaml where the demo runs it: the server at `urls.auth`, Shop and Billing registered at the URLs
 * they listen on (the file's own unless other ports were asked for), SQLite at `databasePath`, and
 * Billing's single logout in `billingLogout` mode.
 */
export function authConfig(urls: DemoUrls, billingLogout: LogoutMode, databasePath: string): UsherConfig {
  const file = loadConfig({ file: CONFIG_FILE });
  const { hostname, port } = new URL(urls.auth);
  const placed: Record<string, Partial<ServiceConfig>> = {
    Shop: { pattern: `${urls.shop}/` },
    Billing: { pattern: `${urls.billing}/`, logoutMode: billingLogout },
  };
  return resolveConfig(
    {
      ...file,
      server: { ...file.server, host: hostname, port: Number(port), publicUrl: undefined },
      storage: { kind: 'sqlite', path: databasePath },
      services: {
        ...file.services,
        registry: file.services.registry.map((service) => ({ ...service, ...placed[service.name] })),
      },
    },
    CONFIG_FILE,
  );
}
