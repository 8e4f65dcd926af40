import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readableLogLine } from './log-line.ts';

export type DemoProcessName = 'auth' | 'shop' | 'billing';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface DemoProcess {
  child: ChildProcess;
  /** Resolves once it says it is listening; rejects if it stops before. */
  listening: Promise<void>;
}

/**
 * Starts `<name>.ts` as a child process (with an IPC channel, so it stops when this process goes away)
 * and prints its output prefixed with its name.
 */
export function startDemoProcess(name: DemoProcessName, env: NodeJS.ProcessEnv): DemoProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/microservices/${name}.ts`], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const listening = new Promise<void>((resolve, reject) => {
    const failed = (code: number | null) =>
      reject(new Error(`${name} stopped before listening (exit ${code})`));
    child.once('exit', failed);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        console.log(`[${name}] ${readableLogLine(line)}`);
        if (line.startsWith(`${name} listening on `)) {
          child.off('exit', failed);
          resolve();
        }
      });
    }
  });
  return { child, listening };
}
