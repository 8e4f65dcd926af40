// What one SSO session costs on SQLite: fills a database with a million sessions through the real
// storage API and compares the server on the empty and on the full file (disk per session, server memory
// per session, validation latency), then rewrites the "Million SSO sessions" section of RESULTS.md.
//
//   npx tsx bench/million-sessions.ts [--sessions 1000000] [--duration 10] [--warmup 3] [--connections 32]
//                                     [--repeat 3] [--wait-quiet 60] [--no-write]
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStorage, resolveConfig } from '@usher/server';
import { SsoSessions } from '../packages/server/src/sessions/sso-sessions.ts';
import { BENCH_DIR, spawnChildServer } from './children.ts';
import { measureValidation, signIn } from './harness.ts';
import { type LoadSettings, type Measurement, waitQuiet } from './load.ts';
import { BENCH_SERVICE } from './protocol.ts';

const SECTION = '## Million SSO sessions (SQLite)';
const BATCH = 1000;

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    repeat: { type: 'string', default: '3' },
    'wait-quiet': { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
  },
});
const sessions = Number(values.sessions);
const settings: LoadSettings = { connections: Number(values.connections), duration: Number(values.duration) };
const warmup: LoadSettings = { ...settings, duration: Number(values.warmup) };
const repeat = Number(values.repeat);
/** Before each run, wait up to this many seconds for the rest of the machine to be idle. */
const quietSeconds = Number(values['wait-quiet']);

interface ServerRun {
  /** Resident memory of the server after sign-in, and after the validation load. */
  rssIdle: number;
  rssLoaded: number;
  validation: Measurement;
  /** p99 of every run, the kept one included. */
  p99s: number[];
}

function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** The SQLite file with its write-ahead log (the server checkpoints it away when it closes). */
function databaseBytes(dir: string): number {
  return ['usher.db', 'usher.db-wal'].reduce(
    (sum, f) => sum + (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0),
    0,
  );
}

/** Starts the bench server on the database in `dir`, measures validation alone, stops it. */
async function serverRun(dir: string): Promise<ServerRun> {
  const server = await spawnChildServer('server-under-test.ts', ['--backend', 'sqlite', '--data-dir', dir]);
  try {
    const cookie = await signIn(server.url);
    const rssIdle = rssBytes(server.pid);
    const service = encodeURIComponent(BENCH_SERVICE);
    const runs: Measurement[] = [];
    for (let i = 0; i < repeat; i++) {
      await waitQuiet(quietSeconds, (line) => console.error(`  ${line}`));
      runs.push(
        await measureValidation(
          server,
          cookie,
          (ticket) => `/serviceValidate?ticket=${ticket}&service=${service}`,
          { ...settings, serverPid: server.pid },
          warmup,
          dir,
        ),
      );
    }
    // As in the main benchmark: the run other processes disturbed least.
    const validation = runs.reduce((a, b) => ((b.otherCpu ?? 0) < (a.otherCpu ?? 0) ? b : a));
    return { rssIdle, rssLoaded: rssBytes(server.pid), validation, p99s: runs.map((r) => r.p99) };
  } finally {
    await server.stop();
  }
}

/** Inserts the sessions through SsoSessions and the SQLite ModelStore (one autocommit statement each). */
async function fill(dir: string): Promise<number> {
  const config = resolveConfig({ storage: { kind: 'sqlite', path: join(dir, 'usher.db') } }, 'bench');
  const storage = await createStorage(config.storage, { clock: Date.now });
  const store = new SsoSessions(storage.model('session'), config.sso, Date.now);
  const started = performance.now();
  try {
    for (let done = 0; done < sessions; done += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, sessions - done) }, (_, i) => {
          const user = `user${String(done + i).padStart(7, '0')}`;
          return store.create({
            user,
            attributes: {
              mail: [`${user}@example.org`],
              displayName: [`User ${done + i}`],
              memberOf: ['staff', 'library'],
            },
            rememberMe: false,
            warn: false,
          });
        }),
      );
      if ((done + BATCH) % 100_000 === 0)
        console.error(`  ${(done + BATCH).toLocaleString('en-US')} sessions`);
    }
  } finally {
    await storage.close();
  }
  return (performance.now() - started) / 1000;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ms = (n: number) => n.toFixed(2);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number | undefined) => (n === undefined ? '—' : `${(n * 100).toFixed(0)}%`);

function render(empty: ServerRun, full: ServerRun, diskBytes: number, fillSeconds: number) {
  const row = (name: string, run: ServerRun) =>
    `| ${name} | ${int(run.validation.requestsPerSecond)} | ${ms(run.validation.p50)} | ${ms(run.validation.p99)} | ${run.p99s.map(ms).join(', ')} | ${int(run.validation.ok)} / ${int(run.validation.failed)} | ${pct(run.validation.otherCpu)} | ${mb(run.rssIdle)} | ${mb(run.rssLoaded)} |`;
  const rssDelta = full.rssLoaded - empty.rssLoaded;
  return [
    SECTION,
    '',
    `<!-- Written by \`npx tsx bench/million-sessions.ts\`. ${new Date().toISOString()}, node ${process.version}, 1-minute load average ${loadavg()[0]!.toFixed(2)} at the end -->`,
    '',
    `${int(sessions)} SSO sessions, each of its own user with mail, displayName and two memberOf values, inserted`,
    'into a new SQLite file through `SsoSessions.create` and the SQLite store: one autocommit statement each,',
    `as the store has no batch path (${fillSeconds.toFixed(0)} s, ${int(sessions / fillSeconds)} sessions/s). The bench server`,
    `(\`server-under-test.ts\`, 1 process) then ran validation alone (${settings.connections} connections, ${settings.duration} s after`,
    `${warmup.duration} s of warm-up, ${repeat} runs, the one least disturbed by other processes kept) on an empty file`,
    'and on the full one.',
    '',
    '| database | validations/s | p50 (ms) | p99 (ms) | p99 of each run | ok / failed | other CPU | server RSS after sign-in | after the load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('empty', empty),
    row(`${int(sessions)} sessions`, full),
    '',
    `- disk: ${mb(diskBytes)}, **${(diskBytes / sessions).toFixed(0)} B per session** (target ≤ 1 KB), indexes included`,
    `- server memory: ${mb(rssDelta)} more RSS after the load with the full file, ${(rssDelta / sessions).toFixed(1)} B per session: sessions live in the file, the process keeps only SQLite's bounded page cache`,
    `- validation p99: ${ms(empty.validation.p99)} ms on the empty file, ${ms(full.validation.p99)} ms on the full one`,
  ].join('\n');
}

/** Replaces this benchmark's section of RESULTS.md (or appends it), leaving the rest alone. */
function writeSection(section: string): void {
  const path = join(BENCH_DIR, 'RESULTS.md');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf(SECTION);
  const next = start < 0 ? -1 : text.indexOf('\n## ', start + SECTION.length);
  const updated =
    start < 0
      ? `${text.trimEnd()}\n\n${section}\n`
      : `${text.slice(0, start)}${section}\n${next < 0 ? '' : text.slice(next)}`;
  writeFileSync(path, updated);
  console.error(`wrote ${path}`);
}

const runDir = join(BENCH_DIR, 'out', `million-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const emptyDir = join(runDir, 'empty');
const fullDir = join(runDir, 'full');
mkdirSync(emptyDir, { recursive: true });
mkdirSync(fullDir, { recursive: true });
try {
  console.error('empty database: validation');
  const empty = await serverRun(emptyDir);
  console.error(`inserting ${int(sessions)} sessions into a new file`);
  const fillSeconds = await fill(fullDir);
  const diskBytes = databaseBytes(fullDir);
  console.error('full database: validation');
  const full = await serverRun(fullDir);
  const section = render(empty, full, diskBytes, fillSeconds);
  console.log(`\n${section}\n`);
  if (!values['no-write']) writeSection(section);
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
