import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LogoutMode } from '../../auth-config.ts';
import { DEFAULT_PORTS, DEMO_HOSTS, type DemoUrls, demoUrlsFor } from '../../demo-urls.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface RunningDemo {
  urls: DemoUrls;
  child: ChildProcess;
  /** Everything the demo printed so far. */
  output: string[];
  /** Resolves with the first line matching `pattern` printed after this call. */
  nextLine(pattern: RegExp): Promise<string>;
  /** Ctrl-C, as a user would stop it; resolves once the launcher has exited. */
  stop(): Promise<void>;
}

/**
 * `npm run demo` on free ports of the three demo hosts (on its default ports with
 * MICROSERVICES_DEMO_DEFAULT_PORTS=1, for the README's screenshots); resolves once it has printed its URLs.
 */
export async function startDemo(options: { billingLogout?: LogoutMode } = {}): Promise<RunningDemo> {
  const urls = demoUrlsFor(
    process.env['MICROSERVICES_DEMO_DEFAULT_PORTS'] === '1'
      ? DEFAULT_PORTS
      : {
          auth: await freePort(DEMO_HOSTS.auth),
          shop: await freePort(DEMO_HOSTS.shop),
          billing: await freePort(DEMO_HOSTS.billing),
        },
  );
  const port = (url: string) => new URL(url).port;
  const args = ['--auth-port', port(urls.auth), '--shop-port', port(urls.shop)];
  args.push('--billing-port', port(urls.billing));
  if (options.billingLogout) args.push('--billing-logout', options.billingLogout);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'examples/microservices/start-demo.ts', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const waiting = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      for (const waiter of waiting) {
        if (!waiter.pattern.test(line)) continue;
        waiting.delete(waiter);
        waiter.resolve(line);
      }
    });
  }
  const nextLine = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      waiting.add({ pattern, resolve });
    });
  const exited = once(child, 'exit');
  const ready = await Promise.race([nextLine(/Ctrl-C stops all three/), exited.then(() => undefined)]);
  if (ready === undefined) throw new Error(`the demo did not start:\n${output.join('\n')}`);
  return {
    urls,
    child,
    output,
    nextLine,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

/** A port free right now on `host`: the demo's URLs must be known before its processes listen. */
async function freePort(host: string): Promise<number> {
  const server = createServer().listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error(`no free port on ${host}`);
  return address.port;
}
