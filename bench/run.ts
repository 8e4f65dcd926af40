// `npm run bench`: Usher's SSO cycle and ticket validation against a raw node:http baseline, per storage
// backend, then the table on stdout and in bench/RESULTS.md.
//
//   npm run bench -- [--backend memory,sqlite,redis,postgres] [--workers 1,2] [--duration 10] [--warmup 3]
//                    [--connections 32] [--cycle-rate 1000]
//                    [--scenario raw,raw-cycle,fastify-cycle,raw-rate,cycle,cycle-rate,validation] [--repeat 1] [--wait-quiet 0]
//                    [--profile] [--no-write]
//
// Default backends: sqlite and memory, plus redis and postgres when they answer on their URLs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR } from './children.ts';
import { type BenchOptions, DEFAULT_CYCLE_RATE, runBenchmark, SCENARIOS, type Scenario } from './harness.ts';
import { BACKENDS, type BackendName } from './protocol.ts';
import { renderNotes, renderResults, renderTable, renderTargets } from './report.ts';

const USAGE = `usage: npm run bench -- [options]
  --backend <list>      ${BACKENDS.join('|')} (comma-separated or repeated; default: sqlite,memory
                        plus redis/postgres when reachable)
  --workers <list>      server processes per backend (default 1,2; memory runs with 1 only)
  --duration <s>        measured seconds per scenario (default 10)
  --warmup <s>          unmeasured seconds before each scenario (default 3)
  --connections <n>     concurrent keep-alive connections (default 32)
  --cycle-rate <n>      SSO cycles per second offered in all by the fixed-rate scenarios, cycle-rate
                        and its floor raw-rate (default ${DEFAULT_CYCLE_RATE}: a busy organisation's peak of
                        service logins; 2 requests per cycle)
  --scenario <list>     ${SCENARIOS.join(',')} (default: all)
  --redis-url <url>     default redis://127.0.0.1:6379
  --postgres-url <url>  default postgres://postgres@127.0.0.1:5432/test
  --repeat <n>          measure each scenario n times, keep the run least disturbed by other
                        processes (lowest "other CPU"; default 1)
  --wait-quiet <s>      before each measured run, wait up to <s> seconds for the rest of the machine
                        to be idle (default 0: do not wait)
  --profile             run the server under test and the baselines with --cpu-prof (profiles in bench/out/run-*/profiles)
  --no-write            do not rewrite bench/RESULTS.md`;

function list(values: string[] | undefined): string[] | undefined {
  const items = values
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function positive(name: string, value: string, integer: boolean, unit = 'seconds'): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && (!Number.isInteger(n) || n < 1)))
    throw new Error(
      `--${name}: expected a ${integer ? 'positive integer' : `number of ${unit}`}, got ${value}`,
    );
  return n;
}

function parseOptions(argv: string[]): (BenchOptions & { write: boolean }) | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', multiple: true },
      workers: { type: 'string', multiple: true },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      'cycle-rate': { type: 'string', default: String(DEFAULT_CYCLE_RATE) },
      scenario: { type: 'string', multiple: true },
      'redis-url': { type: 'string' },
      'postgres-url': { type: 'string' },
      profile: { type: 'boolean', default: false },
      'wait-quiet': { type: 'string', default: '0' },
      repeat: { type: 'string', default: '1' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const backends = list(values.backend);
  for (const b of backends ?? [])
    if (!BACKENDS.includes(b as BackendName)) throw new Error(`--backend: unknown backend ${b}`);
  const scenarios = list(values.scenario);
  for (const s of scenarios ?? [])
    if (!SCENARIOS.includes(s as Scenario)) throw new Error(`--scenario: unknown scenario ${s}`);
  const duration = positive('duration', values.duration, false);
  if (duration === 0) throw new Error('--duration must be more than 0');
  const cycleRate = positive('cycle-rate', values['cycle-rate'], false, 'cycles per second');
  if (cycleRate === 0) throw new Error('--cycle-rate must be more than 0');
  return {
    backends: backends as BackendName[] | undefined,
    workers: list(values.workers)?.map((w) => positive('workers', w, true)),
    scenarios: scenarios as Scenario[] | undefined,
    duration,
    warmup: positive('warmup', values.warmup, false),
    connections: positive('connections', values.connections, true),
    cycleRate,
    redisUrl: values['redis-url'],
    postgresUrl: values['postgres-url'],
    profile: values.profile,
    quietWait: positive('wait-quiet', values['wait-quiet'], false),
    repeat: positive('repeat', values.repeat, true),
    write: !values['no-write'],
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const report = await runBenchmark({ ...options, log: (line) => console.error(line) });

  console.log(`\n${renderTable(report)}\n\n${renderTargets(report)}\n\n${renderNotes(report).join('\n')}\n`);
  mkdirSync(join(BENCH_DIR, 'out'), { recursive: true });
  const json = join(BENCH_DIR, 'out', `results-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`raw numbers: ${json}`);
  if (report.profiles.length > 0)
    console.error(
      `CPU profiles (summarize with bench/profile-summary.ts):\n  ${report.profiles.join('\n  ')}`,
    );
  if (options.write) {
    const path = join(BENCH_DIR, 'RESULTS.md');
    const previous = existsSync(path) ? readFileSync(path, 'utf8') : '';
    writeFileSync(path, renderResults(report, previous));
    console.error(`wrote ${path}`);
  }
  // An explicitly requested backend that could not run is a failure; auto-detected ones are just noted.
  const skipped = report.rows.filter((r) => r.skipped);
  return options.backends && skipped.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
