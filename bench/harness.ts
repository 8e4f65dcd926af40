// Runs the benchmark scenarios against child-process servers and returns the numbers; `run.ts` is the
// command line around it and writes RESULTS.md, `bench-smoke.test.ts` runs it briefly.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, type ChildServer, spawnChildServer } from './children.ts';
import {
  type Cycle,
  type LoadSettings,
  type Measurement,
  requestLoad,
  socketCycleLoad,
  waitQuiet,
} from './load.ts';
import { type BackendName, BENCH_PASSWORD, BENCH_SERVICE, BENCH_USER, type ChildReply } from './protocol.ts';

export const SCENARIOS = [
  'raw',
  'raw-cycle',
  'fastify-cycle',
  'raw-rate',
  'cycle',
  'cycle-rate',
  'validation',
] as const;
export type Scenario = (typeof SCENARIOS)[number];
/** Scenarios against the baseline servers (`raw-server.ts`), measured once per run before the backends. */
const RAW_SCENARIOS = ['raw', 'raw-cycle', 'fastify-cycle', 'raw-rate'] as const;
type RawScenario = (typeof RAW_SCENARIOS)[number];
/** Scenarios at a fixed offered rate (`cycleRate` cycles/s); the others run at saturation. */
export const isPaced = (scenario: Scenario) => scenario === 'raw-rate' || scenario === 'cycle-rate';

/** Offered rate of the `cycle-rate` scenario: a busy organisation's peak of service logins. */
export const DEFAULT_CYCLE_RATE = 1_000;

export function scenarioTitle(scenario: Scenario, cycleRate: number): string {
  switch (scenario) {
    case 'raw':
      return 'raw node:http (baseline)';
    case 'raw-cycle':
      return 'raw node:http cycle at saturation (floor)';
    case 'fastify-cycle':
      return 'bare Fastify cycle at saturation (framework floor)';
    case 'raw-rate':
      return `raw node:http at ${cycleRate.toLocaleString('en-US')} cycles/s offered (floor)`;
    case 'cycle':
      return 'SSO cycle at saturation (/login → 302 → /serviceValidate)';
    case 'cycle-rate':
      return `SSO cycle at ${cycleRate.toLocaleString('en-US')} cycles/s offered`;
    case 'validation':
      return 'validation alone (/serviceValidate)';
  }
}

export interface BenchOptions {
  /** Backends to measure; undefined: sqlite and memory, plus redis and postgres when reachable. */
  backends?: BackendName[];
  /** Server processes per backend (node:cluster workers); default 1 and 2. Memory storage runs with 1 only. */
  workers?: number[];
  scenarios?: Scenario[];
  /** Seconds of measured load per scenario. */
  duration: number;
  /** Seconds of unmeasured load before each scenario. */
  warmup: number;
  connections: number;
  /** Cycles per second offered in all by the `cycle-rate` scenario; default `DEFAULT_CYCLE_RATE`. */
  cycleRate?: number;
  /** Measure each scenario this many times and keep the run least disturbed by other processes. */
  repeat?: number;
  /** Before each measured run, wait up to this many seconds for the rest of the machine to be idle. */
  quietWait?: number;
  redisUrl?: string;
  postgresUrl?: string;
  /** Run the server under test and the baselines with `--cpu-prof`; profiles land in the run directory. */
  profile?: boolean;
  /** Scratch directory (ticket pools, SQLite file, profiles); default bench/out/run-<time>. */
  workDir?: string;
  log?: (line: string) => void;
}

export interface ScenarioRow {
  scenario: Scenario;
  backend: BackendName | '-';
  workers: number;
  measurement?: Measurement;
  /** Measured runs made; `measurement` is the one with the least CPU used by other processes. */
  attempts?: number;
  /** Why the scenario did not run (backend unreachable or not implemented). */
  skipped?: string;
}

export interface BenchReport {
  startedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    platform: string;
    /** 1-minute load average before and after the run: other work on the machine skews the numbers. */
    loadAverage: { before: number; after?: number };
  };
  settings: {
    connections: number;
    cycleRate: number;
    duration: number;
    warmup: number;
    repeat: number;
    quietWait: number;
    pipelining: number;
    tool: string;
    logLevel: string;
  };
  rows: ScenarioRow[];
  /** req/s of the raw baseline, the denominator of every ratio. */
  rawRequestsPerSecond?: number;
  workDir: string;
  profiles: string[];
}

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Largest validation pool issued (memory storage keeps every ticket in the server process). */
const MAX_POOL = 600_000;
/** Above this share of a core used by other processes, a measurement is considered disturbed. */
export const NOISY_OTHER_CPU = 0.25;

export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const scenarios = options.scenarios ?? [...SCENARIOS];
  const cycleRate = options.cycleRate ?? DEFAULT_CYCLE_RATE;
  const workers = options.workers ?? [1, 2];
  const settings: LoadSettings = { connections: options.connections, duration: options.duration };
  const warmup: LoadSettings = { connections: options.connections, duration: options.warmup };
  const workDir =
    options.workDir ?? join(BENCH_DIR, 'out', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(workDir, { recursive: true });
  // Baselines are profiled too, so that Usher's profile can be read against the framework's.
  const profileArgs = options.profile
    ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', join(workDir, 'profiles')] }
    : {};
  const redisUrl = options.redisUrl ?? DEFAULT_REDIS_URL;
  const postgresUrl = options.postgresUrl ?? DEFAULT_POSTGRES_URL;

  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${release()}`,
      loadAverage: { before: loadavg()[0]! },
    },
    settings: {
      connections: options.connections,
      cycleRate,
      duration: options.duration,
      warmup: options.warmup,
      repeat: options.repeat ?? 1,
      quietWait: options.quietWait ?? 0,
      pipelining: 1,
      tool: 'autocannon for single requests, a keep-alive socket client for SSO cycles (load in the parent process, server in a child process, 127.0.0.1)',
      logLevel: 'warn',
    },
    rows: [],
    workDir,
    profiles: [],
  };

  const best: Best = (prepare) => bestOf(options.repeat ?? 1, options.quietWait ?? 0, prepare, log);
  const servicePath = encodeURIComponent(BENCH_SERVICE);
  const validatePath = (ticket: string) => `/serviceValidate?ticket=${ticket}&service=${servicePath}`;
  const loginPath = `/login?service=${servicePath}`;

  const onRawServer = async (
    measure: (raw: ChildServer) => Promise<BestRun>,
    args: string[] = [],
  ): Promise<BestRun> => {
    const raw = await spawnChildServer('raw-server.ts', args, profileArgs);
    try {
      return await measure(raw);
    } finally {
      await raw.stop();
    }
  };
  const measureRaw = () =>
    onRawServer(async (raw) => {
      // Same request shape as validation: a distinct 32-character ticket per request.
      let n = 0;
      const fake = () => validatePath(`ST-${String(n++).padStart(29, '0')}`);
      if (options.warmup > 0) await requestLoad(raw.url, fake, warmup);
      return await best(async () => () => requestLoad(raw.url, fake, { ...settings, serverPid: raw.pid }));
    });
  const logRun = (scenario: Scenario, m: Measurement) => {
    const cycles =
      scenario === 'raw' || scenario === 'validation' ? '' : `, ${m.opsPerSecond.toFixed(0)} cycles/s`;
    log(
      `  ${scenario}: ${m.requestsPerSecond.toFixed(0)} req/s${cycles}, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, max ${m.max.toFixed(2)} ms`,
    );
  };
  const rawRow = (run: BestRun): ScenarioRow => ({ scenario: 'raw', backend: '-', workers: 1, ...run });
  if (scenarios.includes('raw')) {
    log('raw node:http baseline');
    const run = await measureRaw();
    report.rawRequestsPerSecond = run.measurement.requestsPerSecond;
    report.rows.push(rawRow(run));
    logRun('raw', run.measurement);
  }
  // The floors of the cycle rows: the baseline answers `/login` with a 302 and a ticket at once.
  const rawCycle = async (scenario: 'raw-cycle' | 'fastify-cycle' | 'raw-rate', rate: number | undefined) => {
    log(scenarioTitle(scenario, cycleRate));
    const run = await onRawServer(
      (raw) =>
        measureCycle(
          raw.url,
          { loginPath, validatePath, cookie: 'TGC=none' },
          { ...settings, serverPid: raw.pid },
          warmup,
          best,
          rate,
        ),
      scenario === 'fastify-cycle' ? ['--fastify'] : [],
    );
    report.rows.push({ scenario, backend: '-', workers: 1, ...run });
    logRun(scenario, run.measurement);
  };
  if (scenarios.includes('raw-cycle')) await rawCycle('raw-cycle', undefined);
  if (scenarios.includes('fastify-cycle')) await rawCycle('fastify-cycle', undefined);
  if (scenarios.includes('raw-rate')) await rawCycle('raw-rate', cycleRate);

  const backends = options.backends ?? (await reachableBackends(redisUrl, postgresUrl, log));
  const serverScenarios = scenarios.filter(
    (s): s is Exclude<Scenario, RawScenario> => !RAW_SCENARIOS.includes(s as RawScenario),
  );
  for (const backend of backends) {
    for (const workerCount of workers) {
      // Memory storage lives in one process: workers would not share tickets.
      if (serverScenarios.length === 0 || (backend === 'memory' && workerCount > 1)) continue;
      log(`${backend}, ${workerCount} worker(s)`);
      const dataDir = join(workDir, `${backend}-${workerCount}`);
      mkdirSync(dataDir, { recursive: true });
      let server: ChildServer;
      try {
        server = await spawnChildServer(
          'server-under-test.ts',
          [
            '--backend',
            backend,
            '--workers',
            String(workerCount),
            '--data-dir',
            dataDir,
            '--redis-url',
            redisUrl,
            '--postgres-url',
            postgresUrl,
          ],
          profileArgs,
        );
      } catch (error) {
        const reason = firstLine((error as Error).message);
        log(`  skipped: ${reason}`);
        for (const scenario of serverScenarios)
          report.rows.push({ scenario, backend, workers: workerCount, skipped: reason });
        continue;
      }
      try {
        const cookie = await signIn(server.url);
        await checkCycle(server.url, cookie, validatePath);
        const measured = { ...settings, serverPid: server.pid };
        for (const scenario of serverScenarios) {
          const { measurement, attempts } =
            scenario === 'validation'
              ? await validationRuns(server, cookie, validatePath, measured, warmup, dataDir, best, log)
              : await measureCycle(
                  server.url,
                  { loginPath, validatePath, cookie },
                  measured,
                  warmup,
                  best,
                  scenario === 'cycle-rate' ? cycleRate : undefined,
                );
          report.rows.push({ scenario, backend, workers: workerCount, measurement, attempts });
          logRun(scenario, measurement);
        }
      } finally {
        await server.stop();
        // The SQLite file and the pools can be large; profiles are kept.
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  // Every ratio divides by the baseline: if other processes disturbed it, try again now and keep the
  // quieter of the two.
  const first = report.rows.find((r) => r.scenario === 'raw');
  if (first?.measurement && (first.measurement.otherCpu ?? 0) > NOISY_OTHER_CPU) {
    log('raw node:http baseline again (the first one was disturbed)');
    const again = await measureRaw();
    logRun('raw', again.measurement);
    if ((again.measurement.otherCpu ?? 0) < (first.measurement.otherCpu ?? 0)) {
      const note = 'measured after the backends: the baseline at the start ran beside busy processes';
      report.rows[report.rows.indexOf(first)] = rawRow({
        measurement: { ...again.measurement, note },
        attempts: (first.attempts ?? 1) + again.attempts,
      });
      report.rawRequestsPerSecond = again.measurement.requestsPerSecond;
    }
  }
  if (options.profile) report.profiles = listProfiles(join(workDir, 'profiles'));
  report.machine.loadAverage.after = loadavg()[0]!;
  return report;
}

/** `prepare` gets the previous repetition's measurement, if any. */
type Prepare = (previous?: Measurement) => Promise<() => Promise<Measurement>>;
type Best = (prepare: Prepare) => Promise<BestRun>;
interface BestRun {
  measurement: Measurement;
  attempts: number;
}

/**
 * Runs `prepare` then the measurement it returns `times` times (waiting for an idle machine in between
 * when asked) and keeps the run during which other processes used the least CPU.
 */
async function bestOf(
  times: number,
  quietWait: number,
  prepare: Prepare,
  log: (line: string) => void,
): Promise<BestRun> {
  let best: Measurement | undefined;
  let previous: Measurement | undefined;
  for (let i = 0; i < times; i++) {
    const measure = await prepare(previous);
    if (quietWait > 0) await waitQuiet(quietWait, log);
    const m = await measure();
    previous = m;
    if (times > 1)
      log(
        `    run ${i + 1}/${times}: ${m.requestsPerSecond.toFixed(0)} req/s, p99 ${m.p99.toFixed(2)} ms, other CPU ${((m.otherCpu ?? 0) * 100).toFixed(0)}%`,
      );
    if (!best || (m.otherCpu ?? 0) < (best.otherCpu ?? 0)) best = m;
  }
  return { measurement: best!, attempts: times };
}

/** The SSO cycle at saturation or, given `rate` (cycles/s), at that fixed offered rate. */
async function measureCycle(
  url: string,
  cycle: Cycle,
  settings: LoadSettings,
  warmup: LoadSettings,
  best: Best,
  rate?: number,
): Promise<BestRun> {
  const load = (s: LoadSettings) => socketCycleLoad(url, cycle, s, rate);
  if (warmup.duration > 0) await load(warmup);
  return best(async () => () => load(settings));
}

let requestId = 0;

async function issuePool(server: ChildServer, cookie: string, count: number, dir: string): Promise<string[]> {
  const id = ++requestId;
  const file = join(dir, `pool-${id}.txt`);
  const reply = (await server.request({
    type: 'issue',
    id,
    tgc: cookie.slice(cookie.indexOf('=') + 1),
    service: BENCH_SERVICE,
    count,
    file,
  })) as Extract<ChildReply, { type: 'issued' }>;
  const tickets = readFileSync(file, 'utf8').split('\n');
  rmSync(file, { force: true });
  if (tickets.length !== reply.count) throw new Error(`pool file holds ${tickets.length} of ${reply.count}`);
  return tickets;
}

/**
 * Validation alone against a running server-under-test (one measured run): see `validationRuns`. Also
 * used by other benchmarks (million-sessions.ts).
 */
export async function measureValidation(
  server: ChildServer,
  cookie: string,
  validatePath: (ticket: string) => string,
  settings: LoadSettings,
  warmup: LoadSettings,
  dir: string,
  log: (line: string) => void = () => {},
): Promise<Measurement> {
  const once: Best = (prepare) => bestOf(1, 0, prepare, log);
  return (await validationRuns(server, cookie, validatePath, settings, warmup, dir, once, log)).measurement;
}

/**
 * Pre-issues service tickets in the server process (side-channel file), then validates each once. Pools
 * hold the fastest rate seen so far (warm-up, earlier repetitions) × duration × 2.
 */
async function validationRuns(
  server: ChildServer,
  cookie: string,
  validatePath: (ticket: string) => string,
  settings: LoadSettings,
  warmup: LoadSettings,
  dir: string,
  best: Best,
  log: (line: string) => void,
): Promise<BestRun> {
  const from = (pool: string[]) => {
    let i = 0;
    return () => (i < pool.length ? validatePath(pool[i++]!) : undefined);
  };
  let rate = 5_000;
  if (warmup.duration > 0) {
    const pool = await issuePool(server, cookie, Math.ceil(Math.max(1, warmup.duration) * 15_000), dir);
    const warm = await requestLoad(server.url, from(pool), warmup);
    rate = Math.max(warm.opsPerSecond, 1_000);
  }
  // A quieter measured run can be much faster than the warm-up: size each pool on the fastest rate seen.
  return best(async (previous) => {
    if (previous) rate = Math.max(rate, previous.opsPerSecond);
    const size = Math.min(MAX_POOL, Math.ceil(rate * settings.duration * 2) + settings.connections * 20);
    const started = performance.now();
    const pool = await issuePool(server, cookie, size, dir);
    log(`  issued ${pool.length} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return () => requestLoad(server.url, from(pool), settings);
  });
}

/** Signs in through the real form and returns the `TGC=…` cookie pair. */
export async function signIn(url: string): Promise<string> {
  const form = await fetch(`${url}/login`);
  const lt = /name="lt" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!lt) throw new Error(`no login token in the /login form (status ${form.status})`);
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lt, username: BENCH_USER, password: BENCH_PASSWORD }),
  });
  await response.arrayBuffer();
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('TGC='));
  if (!cookie) throw new Error(`sign-in set no TGC cookie (status ${response.status})`);
  return cookie;
}

/** One cycle by hand, so that a broken server fails loudly instead of producing fast error pages. */
async function checkCycle(url: string, cookie: string, validatePath: (ticket: string) => string) {
  const login = await fetch(`${url}/login?service=${encodeURIComponent(BENCH_SERVICE)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  await login.arrayBuffer();
  const ticket = new URL(login.headers.get('location') ?? 'http://x/').searchParams.get('ticket');
  if (login.status !== 302 || !ticket) throw new Error(`SSO login gave ${login.status}, no ticket`);
  const validation = await fetch(`${url}${validatePath(ticket)}`);
  const body = await validation.text();
  if (!body.includes(`<cas:user>${BENCH_USER}</cas:user>`)) throw new Error(`validation failed: ${body}`);
}

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function reachableBackends(
  redisUrl: string,
  postgresUrl: string,
  log: (line: string) => void,
): Promise<BackendName[]> {
  const backends: BackendName[] = ['sqlite', 'memory'];
  for (const [name, url] of [
    ['redis', redisUrl],
    ['postgres', postgresUrl],
  ] as const) {
    if (await reachable(url)) backends.push(name);
    else log(`${name} not reachable at ${new URL(url).host}: skipped`);
  }
  return backends;
}

function listProfiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}
