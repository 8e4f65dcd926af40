/** Where the three demo processes live. Each has a host of its own because browsers keep cookies per host. */
export interface DemoUrls {
  auth: string;
  shop: string;
  billing: string;
}

export const DEMO_HOSTS: DemoUrls = { auth: '127.0.0.1', shop: '127.0.0.2', billing: '127.0.0.3' };
export const DEFAULT_PORTS = { auth: 8080, shop: 3000, billing: 3000 };

/** The URLs for these ports, as `start-demo.ts` hands them to each process. */
export function demoUrlsFor(ports: Record<keyof DemoUrls, number>): DemoUrls {
  return {
    auth: `http://${DEMO_HOSTS.auth}:${ports.auth}`,
    shop: `http://${DEMO_HOSTS.shop}:${ports.shop}`,
    billing: `http://${DEMO_HOSTS.billing}:${ports.billing}`,
  };
}

/** What this process was given in AUTH_URL, SHOP_URL and BILLING_URL; the default ports otherwise. */
export function demoUrls(env: NodeJS.ProcessEnv = process.env): DemoUrls {
  const defaults = demoUrlsFor(DEFAULT_PORTS);
  return {
    auth: env['AUTH_URL'] ?? defaults.auth,
    shop: env['SHOP_URL'] ?? defaults.shop,
    billing: env['BILLING_URL'] ?? defaults.billing,
  };
}

export function listenAddress(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}
