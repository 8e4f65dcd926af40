import assert from 'node:assert/strict';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { storageConfigSchema } from '../../src/storage/config.ts';
import type { RedisConfig } from '../../src/storage/redis/redis-client.ts';
import { eventually } from './server-under-test.ts';

/**
 * Private Redis topologies (Cluster, Sentinel) for the storage tests: `redis-server` children on free
 * 127.0.0.1 ports, files in a temporary directory, all killed and removed at the end. Every wait is bounded,
 * so a start that hangs fails with the processes' output instead of stalling the suite.
 */

const HOST = '127.0.0.1';
/** How long one `redis-server` may take to answer PING, and the cluster or sentinel to settle. */
const START_MS = 10_000;
const SETTLE_MS = 20_000;
const CLI_MS = 5_000;
/** Output kept per process for error messages. */
const OUTPUT_TAIL = 8_000;

const run = promisify(execFile);

export interface HostPort {
  host: string;
  port: number;
}

export interface RedisProcess extends HostPort {
  child: ChildProcess;
  /** The last lines it wrote (its log goes to stdout). */
  output(): string;
  /** SIGKILL, then waits for the exit: the data is throwaway, so no need to shut down cleanly. */
  kill(): Promise<void>;
}

/** Every child and directory of this process, so that even an exit without `stop()` leaves nothing behind. */
const children = new Set<ChildProcess>();
const dirs = new Set<string>();

function removeEverythingNow(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', removeEverythingNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    removeEverythingNow();
    // Without this listener the signal would have ended the process: let it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** Runs `redis-cli` against one node; bounded, so a node that hangs fails the attempt. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], { timeout: CLI_MS });
  return stdout.trim();
}

/** The Redis processes of one test file, in one temporary directory. */
export class RedisProcesses {
  readonly dir: string;
  readonly #started: RedisProcess[] = [];

  constructor(label: string) {
    this.dir = mkdtempSync(join(tmpdir(), `usher-${label}-`));
    dirs.add(this.dir);
  }

  /**
   * Starts `redis-server` with `args(port)` on a free port (whose cluster bus port, +10000, is free too
   * with `bus`), retrying on another port when the chosen one was taken meanwhile; resolves once it
   * answers PING.
   */
  async server(args: (port: number) => string[], options: { bus?: boolean } = {}): Promise<RedisProcess> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort(options.bus ?? false);
      const argv = args(port);
      const node = this.#spawn(port, argv);
      const failure = await answersPing(node);
      if (failure === undefined) return node;
      await node.kill();
      if (failure === 'exited' && /in use/i.test(node.output()) && attempt < 3) continue;
      throw new Error(`redis-server ${argv.join(' ')}: ${failure}; output:\n${node.output()}`);
    }
  }

  /** Writes a file into the directory; returns its path. */
  file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  /** The output of every process, for a failure message. */
  output(): string {
    return this.#started.map((node) => `--- redis on port ${node.port}\n${node.output()}`).join('\n');
  }

  /** Kills every process and removes the directory. */
  async stop(): Promise<void> {
    await Promise.all(this.#started.map((node) => node.kill()));
    rmSync(this.dir, { recursive: true, force: true });
    dirs.delete(this.dir);
  }

  #spawn(port: number, argv: string[]): RedisProcess {
    const child = spawn('redis-server', argv, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.on('error', (error) => collect(Buffer.from(`spawn failed: ${error.message}\n`)));
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    void exited.then(() => children.delete(child));
    const node: RedisProcess = {
      host: HOST,
      port,
      child,
      output: () => output,
      async kill() {
        if (children.has(child)) child.kill('SIGKILL');
        await exited;
      },
    };
    this.#started.push(node);
    return node;
  }
}

/** Waits for PONG; says why not when the process exits first or the time is up. */
async function answersPing(node: RedisProcess): Promise<string | undefined> {
  const until = Date.now() + START_MS;
  for (;;) {
    if (node.child.exitCode !== null || node.child.signalCode !== null) return 'exited';
    if ((await redisCli(node.port, 'ping').catch(() => '')) === 'PONG') return undefined;
    if (Date.now() > until) return `no PONG within ${START_MS} ms`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The options every test server gets: this host only, no persistence, log to stdout, and a replica synced
 * at once rather than after the default 5 s wait for other replicas.
 */
function serverArgs(port: number, dir: string): string[] {
  return [
    ...['--port', String(port), '--bind', HOST, '--dir', dir, '--daemonize', 'no'],
    ...['--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0'],
  ];
}

/** A port free on 127.0.0.1 (and its cluster bus port, +10000, with `bus`), below the ephemeral range. */
async function freePort(bus: boolean): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    if ((await bindable(port)) && (!bus || (await bindable(port + 10_000)))) return port;
  }
  throw new Error('no free port pair found on 127.0.0.1');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

/** Waits for `check` to pass, failing with what it waited for and every process's output. */
async function settle(processes: RedisProcesses, what: string, check: () => Promise<void>): Promise<void> {
  try {
    await eventually(check, SETTLE_MS);
  } catch (error) {
    const why = `${what} not within ${SETTLE_MS} ms: ${(error as Error).message}`;
    throw new Error(`${why}\n${processes.output()}`, { cause: error });
  }
}

export interface RedisCluster {
  /** Every master: the seed nodes. */
  nodes: RedisProcess[];
}

/** A Redis Cluster of `masters` masters without replicas, every slot assigned and `cluster_state:ok`. */
export async function startRedisCluster(processes: RedisProcesses, masters = 3): Promise<RedisCluster> {
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < masters; i++) {
    nodes.push(
      await processes.server(
        (port) => [
          ...serverArgs(port, processes.dir),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
        ],
        { bus: true },
      ),
    );
  }
  const addresses = nodes.map((node) => `${node.host}:${node.port}`);
  try {
    const create = ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'];
    await run('redis-cli', create, { timeout: SETTLE_MS });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli --cluster create failed: ${stdout}${stderr}\n${processes.output()}`, {
      cause: error,
    });
  }
  await settle(processes, 'cluster_state:ok on every node', async () => {
    for (const node of nodes)
      assert.match(await redisCli(node.port, 'cluster', 'info'), /^cluster_state:ok/m);
  });
  return { nodes };
}

export interface RedisSentinel {
  /** The name Sentinel monitors the master under. */
  name: string;
  sentinels: RedisProcess[];
  master: RedisProcess;
  /** Replicas of the master, each known to Sentinel. */
  replicas: RedisProcess[];
}

/**
 * A master with `replicas` replicas and one Sentinel monitoring it (quorum 1, so that Sentinel alone fails
 * over, one second after the master stops answering).
 */
export async function startRedisSentinel(
  processes: RedisProcesses,
  options: { replicas?: number; name?: string } = {},
): Promise<RedisSentinel> {
  const name = options.name ?? 'usher-test';
  const master = await processes.server((port) => serverArgs(port, processes.dir));
  const replicas: RedisProcess[] = [];
  for (let i = 0; i < (options.replicas ?? 0); i++) {
    const replica = await processes.server((port) => [
      ...serverArgs(port, processes.dir),
      '--replicaof',
      master.host,
      String(master.port),
    ]);
    await settle(processes, `replica on port ${replica.port} in sync`, async () =>
      assert.match(await redisCli(replica.port, 'info', 'replication'), /^master_link_status:up/m),
    );
    replicas.push(replica);
  }
  // Sentinel rewrites its configuration file, so it gets one of its own in the directory.
  const sentinel = await processes.server((port) => [
    processes.file(
      `sentinel-${port}.conf`,
      [
        `port ${port}`,
        `bind ${HOST}`,
        `dir ${processes.dir}`,
        `sentinel monitor ${name} ${master.host} ${master.port} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 10000`,
        '',
      ].join('\n'),
    ),
    '--sentinel',
  ]);
  await settle(
    processes,
    `sentinel on port ${sentinel.port} knowing the master and its replicas`,
    async () => {
      const masterAddress = await redisCli(sentinel.port, 'sentinel', 'get-master-addr-by-name', name);
      assert.equal(masterAddress, `${master.host}\n${master.port}`);
      const known = records(await redisCli(sentinel.port, 'sentinel', 'replicas', name));
      for (const replica of replicas) {
        const seen = known.find((record) => record['port'] === String(replica.port));
        assert.equal(seen?.['flags'], 'slave', `replica on port ${replica.port} known and up`);
        assert.equal(seen?.['master-link-status'], 'ok', `replica on port ${replica.port} linked`);
      }
    },
  );
  return { name, sentinels: [sentinel], master, replicas };
}

/** `SENTINEL REPLICAS` as redis-cli prints it (a field, then its value, a line each) as records. */
function records(reply: string): Record<string, string>[] {
  const lines = reply.split('\n');
  const list: Record<string, string>[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (lines[i] === 'name') list.push({});
    const record = list.at(-1);
    if (record) record[lines[i]!] = lines[i + 1]!;
  }
  return list;
}

/** Resolves once every replica has applied every write the master had taken by the time of the call. */
export async function replicasCaughtUp(topology: RedisSentinel): Promise<void> {
  const offset = (info: string, field: string) => Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(info)?.[1]);
  const written = offset(await redisCli(topology.master.port, 'info', 'replication'), 'master_repl_offset');
  for (const replica of topology.replicas) {
    await eventually(async () => {
      const applied = offset(await redisCli(replica.port, 'info', 'replication'), 'slave_repl_offset');
      assert.ok(applied >= written, `replica on port ${replica.port} at ${applied} of ${written}`);
    }, SETTLE_MS);
  }
}

/** The address Sentinel gives for the master now. */
export async function sentinelMaster(topology: RedisSentinel): Promise<string> {
  const [sentinel] = topology.sentinels;
  const reply = await redisCli(sentinel!.port, 'sentinel', 'get-master-addr-by-name', topology.name);
  return reply.replace('\n', ':');
}

/** Storage configuration for a running topology. */
export function topologyConfig(topology: RedisCluster | RedisSentinel): RedisConfig {
  const address = (node: HostPort) => ({ host: node.host, port: node.port });
  const where =
    'nodes' in topology
      ? { cluster: topology.nodes.map(address) }
      : { sentinels: topology.sentinels.map(address), name: topology.name };
  return storageConfigSchema.parse({ kind: 'redis', ...where }) as RedisConfig;
}

/** Why these tests cannot run here, or undefined when `redis-server` and `redis-cli` are installed. */
function missingTools(): string | undefined {
  for (const tool of ['redis-server', 'redis-cli']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'pipe', timeout: CLI_MS });
    } catch (error) {
      return `${tool} not runnable (${(error as Error).message})`;
    }
  }
  return undefined;
}

/**
 * A suite around a private topology: `start` runs before its tests (bounded), and every process and file
 * is gone after them, also when `start` or a test failed. Without `redis-server` the suite is skipped,
 * except in CI (CI=true) where that is a failure.
 */
export function redisTopologySuite<T>(
  label: string,
  start: (processes: RedisProcesses) => Promise<T>,
  tests: (topology: () => T) => void,
): void {
  const missing = missingTools();
  if (missing) {
    if (process.env.CI === 'true') it(`starts ${label}`, () => assert.fail(`${missing}; CI requires it`));
    else it(`${label} tests`, { skip: `${missing}; install the redis-server package` }, () => {});
    return;
  }
  describe(label, () => {
    let processes: RedisProcesses | undefined;
    let topology: T | undefined;
    before(
      async () => {
        processes = new RedisProcesses(label.replace(/\W+/g, '-'));
        topology = await start(processes);
      },
      { timeout: 4 * SETTLE_MS },
    );
    after(() => processes?.stop(), { timeout: SETTLE_MS });
    tests(() => topology ?? assert.fail(`${label} did not start`));
  });
}
