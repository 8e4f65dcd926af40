// The Usher server the benchmark measures, run as its own process (`node --import tsx
// bench/server-under-test.ts --backend memory`) so that the load generator never shares its event loop.
// Talks to the parent over the IPC channel only: `ready` once listening, ticket pools on request (written
// to a side-channel file, so that validation can be measured without issuing tickets), `stop` to exit
// cleanly (which also lets `--cpu-prof` write its profile).
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createUsherServer, hashPassword, resolveConfig, type UsherServer, WorkerPool } from '@usher/server';
import { clearBenchData } from './clear-bench-data.ts';
import {
  BACKENDS,
  type BackendName,
  BENCH_PASSWORD,
  BENCH_SERVICE_PREFIX,
  BENCH_USER,
  type ChildReply,
  type ParentRequest,
} from './protocol.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'memory' },
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    workers: { type: 'string', default: '1' },
  },
});

function send(message: ChildReply): void {
  // A cluster worker's IPC channel leads to this script's primary, not to the benchmark.
  if (!cluster.isWorker) process.send?.(message);
}

function storageFor(backend: BackendName): Record<string, unknown> {
  switch (backend) {
    case 'memory':
      return { kind: 'memory' };
    case 'sqlite':
      if (!values['data-dir']) throw new Error('--data-dir is required for sqlite');
      return { kind: 'sqlite', path: join(values['data-dir'], 'usher.db') };
    case 'redis':
      return { kind: 'redis', url: values['redis-url'], keyPrefix: 'usher-bench:' };
    case 'postgres':
      return { kind: 'postgres', url: values['postgres-url'], schema: 'usher_bench' };
  }
}

async function start(): Promise<UsherServer> {
  const backend = values.backend as BackendName;
  if (!BACKENDS.includes(backend)) throw new Error(`unknown backend ${backend}`);
  const workers = Number(values.workers);
  if (workers > 1 && backend === 'memory')
    throw new Error(`--workers ${workers}: memory storage is per process`);
  // The public URL carries the port, so pick a free one instead of letting the server bind port 0.
  const port = Number(values.port) || (await freePort());
  const storage = storageFor(backend);
  if (!cluster.isWorker) await clearBenchData(storage);
  const config = resolveConfig(
    {
      server: { host: '127.0.0.1', port },
      storage,
      // Logs off the hot path: only warnings and errors.
      logging: { level: 'warn' },
      // Pools are issued before the measured run; keep them valid for any --duration.
      tickets: { serviceTicketTtl: 3600 },
      services: { registry: [{ name: 'Bench', match: 'prefix', pattern: BENCH_SERVICE_PREFIX }] },
    },
    'bench',
  );
  const server = await createUsherServer({ config });
  if (cluster.isWorker) {
    await server.listen();
    return server;
  }
  const now = Date.now();
  const user = {
    username: BENCH_USER,
    passwordHash: await hashPassword(BENCH_PASSWORD),
    attributes: { mail: ['bench@example.org'] },
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
  // Persistent backends may keep the user from an earlier run.
  if (!(await server.storage.users.create(user))) await server.storage.users.update(user);
  if (workers > 1) {
    // The workers share the port (node:cluster); this process keeps its server unbound, to issue pools.
    cluster.setupPrimary({ args: [...process.argv.slice(2), '--port', String(port)] });
    pool = new WorkerPool({ count: workers, logger: server.context.logger });
    await pool.start();
  } else await server.listen();
  return server;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Issues `count` service tickets for the session behind `tgc`, straight through the TicketService. */
async function issuePool(server: UsherServer, tgc: string, service: string, count: number, file: string) {
  const { context } = server;
  const session = await context.sessions.find(tgc);
  if (!session) throw new Error('no SSO session for the given ticket-granting cookie');
  const lookup = context.registry.lookup(service);
  if (lookup.kind !== 'allowed') throw new Error(`service ${service} is not registered`);
  const tickets: string[] = [];
  const batch = 256;
  for (let done = 0; done < count; done += batch) {
    const size = Math.min(batch, count - done);
    const issued = await Promise.all(
      Array.from({ length: size }, () =>
        context.tickets.issueServiceTicket(session, lookup.service, lookup.url, false),
      ),
    );
    tickets.push(...issued);
  }
  writeFileSync(file, tickets.join('\n'));
}

let server: UsherServer | undefined;
let pool: WorkerPool | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await pool?.stop();
    await server?.close().catch(() => {});
    // Leaves the shared Redis or PostgreSQL as it found them.
    if (!cluster.isWorker) {
      await Promise.resolve()
        .then(() => clearBenchData(storageFor(values.backend as BackendName)))
        .catch(() => {});
    }
  }
  process.exit(code);
}

process.on('message', (raw) => {
  const message = raw as ParentRequest;
  if (message.type === 'stop') {
    void stop(0);
    return;
  }
  if (message.type === 'issue') {
    const started = performance.now();
    const current = server;
    if (!current) return;
    issuePool(current, message.tgc, message.service, message.count, message.file).then(
      () => send({ type: 'issued', id: message.id, count: message.count, ms: performance.now() - started }),
      (error: Error) => send({ type: 'error', id: message.id, error: error.message }),
    );
  }
});
// The parent going away (crash, ^C) must not leave a server behind.
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

start().then(
  (started) => {
    server = started;
    send({ type: 'ready', url: started.context.config.server.publicUrl, pid: process.pid });
  },
  (error: Error) => {
    send({ type: 'failed', error: error.message });
    void stop(1);
  },
);
