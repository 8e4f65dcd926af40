import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/test-server.ts';

/** The CLI's entry point, run through tsx. */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  worker?: number;
  [key: string]: unknown;
}

/** `usher serve` running as a real child process (a node of a cluster, or a primary with workers). */
export interface UsherProcess {
  /** Where this process listens (not its public URL, which nodes behind one balancer share). */
  url: string;
  pid: number;
  child: ChildProcess;
  /** The configuration file it was started with (rewrite it, then SIGHUP, to reload the services). */
  configFile: string;
  /** Everything written so far, stdout and stderr. */
  output(): string;
  /** The JSON log lines written so far. */
  logs(): LogLine[];
  /** Resolves with the first log line (already written or to come) that `match` accepts. */
  waitForLog(match: (line: LogLine) => boolean, ms?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Settings of a test node: it listens on `server.host:server.port`, whatever its `server.publicUrl`. */
export interface NodeSettings {
  server: { host: string; port: number; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Writes `settings` as the configuration file (JSON is YAML) and runs `usher serve` with it; resolves once
 * the banner says it listens, rejects with the output when it exits first. `onSpawn` sees the process
 * and its configuration file while it is still starting.
 */
export function runUsher(
  dir: string,
  settings: NodeSettings,
  args: string[] = [],
  onSpawn?: (child: ChildProcess, configFile: string) => void,
): Promise<UsherProcess> {
  const { child, file } = spawnServe(dir, settings, args);
  onSpawn?.(child, file);
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logs = () =>
    output.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  const waitFor = <T>(found: () => T | undefined, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = found();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} within ${ms} ms; output:\n${output}`));
      }, ms);
      const onExit = () => {
        cleanup();
        reject(new Error(`usher exited before ${what}; output:\n${output}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', onExit);
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
      if (child.exitCode !== null || child.signalCode !== null) onExit();
    });

  const { host, port } = settings.server;
  return waitFor(
    () => (output.includes('Usher CAS server listening') ? true : undefined),
    60_000,
    'banner',
  ).then(() => ({
    url: `http://${host}:${port}`,
    pid: child.pid!,
    child,
    configFile: file,
    output: () => output,
    logs,
    waitForLog: (match, ms = 30_000) => waitFor(() => logs().find(match), ms, 'matching log line'),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  }));
}

/**
 * Two nodes of one deployment sharing `storage`: one public URL, as behind a load balancer, each
 * listening on its own port.
 */
export async function runPair(
  dir: string,
  storage: object,
  settings: Record<string, unknown>,
): Promise<[UsherProcess, UsherProcess]> {
  const publicUrl = `http://127.0.0.1:${await freePort()}`;
  const node = async () =>
    runUsher(dir, { ...settings, storage, server: { host: '127.0.0.1', port: await freePort(), publicUrl } });
  return Promise.all([node(), node()]);
}

/** Runs `usher serve` expecting it to fail: its exit code and everything it wrote. */
export async function usherFailure(
  dir: string,
  settings: object,
  args: string[] = [],
): Promise<{ code: number | null; output: string }> {
  const { child } = spawnServe(dir, settings, args);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

function spawnServe(dir: string, settings: object, args: string[]): { child: ChildProcess; file: string } {
  const file = join(dir, `usher-${randomUUID()}.yaml`);
  writeFileSync(file, JSON.stringify(settings));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', file, 'serve', ...args], {
    env: { ...process.env, USHER_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, file };
}
