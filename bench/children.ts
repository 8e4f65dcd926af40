// Starts the benchmark's servers as child processes (node + tsx) and talks to them over IPC.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildReply, ParentRequest } from './protocol.ts';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);

export interface ChildServer {
  url: string;
  pid: number;
  /** Sends a request that carries an id and resolves with the child's matching reply. */
  request(message: Extract<ParentRequest, { id: number }>): Promise<ChildReply>;
  /** Asks the child to close and exit; kills it if it does not within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** What the child wrote to stderr (warnings, errors, a crash). */
  stderr(): string;
}

export interface SpawnOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

export function spawnChildServer(
  script: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', join(BENCH_DIR, script), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  let errors = '';
  const keep = (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-20_000);
  };
  child.stderr?.on('data', keep);
  // Warnings are JSON lines on stdout (pino); keep them with stderr for diagnostics.
  child.stdout?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${options.startTimeoutMs ?? 60_000} ms\n${errors}`));
    }, options.startTimeoutMs ?? 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready\n${errors}`));
    };
    child.once('exit', onExit);
    child.on('message', function onReady(raw) {
      const message = raw as ChildReply;
      if (message.type === 'failed') {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('message', onReady);
        // The child exits on its own after reporting.
        reject(new Error(message.error));
        return;
      }
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onReady);
      resolve(wrap(child, message.url, message.pid, exited, () => errors));
    });
  });
}

function wrap(
  child: ChildProcess,
  url: string,
  pid: number,
  exited: Promise<void>,
  stderr: () => string,
): ChildServer {
  let alive = true;
  child.once('exit', () => {
    alive = false;
  });
  return {
    url,
    pid,
    stderr,
    request(message) {
      return new Promise((resolve, reject) => {
        if (!alive) return reject(new Error(`server ${pid} is not running\n${stderr()}`));
        const onMessage = (raw: unknown) => {
          const reply = raw as ChildReply;
          if (!('id' in reply) || reply.id !== message.id) return;
          cleanup();
          if (reply.type === 'error') reject(new Error(reply.error));
          else resolve(reply);
        };
        const onExit = () => {
          cleanup();
          reject(new Error(`server ${pid} exited\n${stderr()}`));
        };
        const cleanup = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(message);
      });
    },
    async stop(graceMs = 15_000) {
      if (!alive) return;
      if (child.connected) child.send({ type: 'stop' } satisfies ParentRequest);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
