// The load side of the benchmark, driven from the parent process: autocannon for single requests at
// saturation (keep-alive connections, one request in flight each) and, for the SSO cycle, a light
// keep-alive socket client, closed loop or paced; latencies are kept in node:perf_hooks histograms
// (nanoseconds).
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Instance, type Options, type RequestStep } from 'autocannon';

const SUCCESS_MARK = '<cas:authenticationSuccess>';

export interface LoadSettings {
  connections: number;
  /** Seconds of measured load. */
  duration: number;
  /** Process serving the load, to report how busy it was (Linux /proc only). */
  serverPid?: number;
}

export interface Measurement {
  /** Completed HTTP responses per second of measured time (every request, both steps of a cycle). */
  requestsPerSecond: number;
  /** Completed operations per second: requests, or whole SSO cycles for the cycle scenario. */
  opsPerSecond: number;
  /** Latency of one operation (a request, or a whole cycle), milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Operations that completed correctly, and those that did not (wrong status or body, socket errors). */
  ok: number;
  failed: number;
  seconds: number;
  /** CPU time over wall time (1 = one core busy) of the server process and of this load generator. */
  serverCpu?: number;
  loadCpu: number;
  /** The same for everything else on the machine (other processes skew the numbers when it is high). */
  otherCpu?: number;
  /** Set when the ticket pool ran out before `duration`: the measurement covers `seconds` only. */
  note?: string;
}

export function newHistogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: 120e9, figures: 3 });
}

function recordMs(histogram: RecordableHistogram, ms: number): void {
  histogram.record(Math.max(1, Math.round(ms * 1e6)));
}

function run<C>(options: Options<C>): Instance {
  return autocannon<C>({
    timeout: 10,
    pipelining: 1,
    excludeErrorStats: false,
    renderProgressBar: false,
    renderResultsTable: false,
    renderLatencyTable: false,
    ...options,
  });
}

/** CPU seconds used so far by this process and, when readable, by the server process. */
class CpuMeter {
  private readonly startedAt = performance.now();
  private readonly load = process.cpuUsage();
  private readonly server: number | undefined;
  private readonly machine = machineBusySeconds();

  constructor(private readonly serverPid?: number) {
    this.server = serverPid === undefined ? undefined : procCpuSeconds(serverPid);
  }

  /** Busy fraction of one core since construction, up to `endedAt` (performance.now()). */
  read(endedAt = performance.now()): { loadCpu: number; serverCpu?: number; otherCpu?: number } {
    const wall = (endedAt - this.startedAt) / 1000;
    const used = process.cpuUsage(this.load);
    const loadCpu = (used.user + used.system) / 1e6 / wall;
    const now = this.serverPid === undefined ? undefined : procCpuSeconds(this.serverPid);
    if (now === undefined || this.server === undefined) return { loadCpu };
    const serverCpu = (now - this.server) / wall;
    const machine = machineBusySeconds();
    if (machine === undefined || this.machine === undefined) return { loadCpu, serverCpu };
    const otherCpu = Math.max(0, (machine - this.machine) / wall - serverCpu - loadCpu);
    return { loadCpu, serverCpu, otherCpu };
  }
}

/** Non-idle CPU seconds of the whole machine from /proc/stat. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
  } catch {
    return undefined;
  }
}

/**
 * utime + stime of a process from /proc/<pid>/stat (clock ticks of 1/100 s on Linux), plus that of its
 * live children: the cluster workers of a server under test with several workers.
 */
function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    return children.reduce((sum, child) => sum + (procCpuSeconds(Number(child)) ?? 0), own);
  } catch {
    return undefined;
  }
}

/** What one measured run collects: latencies, outcome counts, and CPU use from its start. */
class Tally {
  readonly histogram = newHistogram();
  /** Operations that completed correctly, those that did not, and HTTP responses (every request). */
  ok = 0;
  failed = 0;
  responses = 0;
  readonly startedAt = performance.now();
  private readonly meter: CpuMeter;

  constructor(serverPid?: number) {
    this.meter = new CpuMeter(serverPid);
  }

  record(ms: number): void {
    recordMs(this.histogram, ms);
  }

  finish(endedAt = performance.now(), note?: string): Measurement {
    const seconds = (endedAt - this.startedAt) / 1000;
    const ms = (ns: number) => ns / 1e6;
    const has = this.histogram.count > 0;
    return {
      ...this.meter.read(endedAt),
      requestsPerSecond: this.responses / seconds,
      opsPerSecond: this.ok / seconds,
      p50: has ? ms(this.histogram.percentile(50)) : Number.NaN,
      p99: has ? ms(this.histogram.percentile(99)) : Number.NaN,
      max: has ? ms(this.histogram.max) : Number.NaN,
      ok: this.ok,
      failed: this.failed,
      seconds,
      ...(note ? { note } : {}),
    };
  }
}

/**
 * Single-request load: every request takes the next path from `nextPath` (service tickets are single use,
 * so each path is used once). When it returns undefined (the ticket pool ran out) before `duration`, the
 * run stops early and the measurement covers the time until then, with a note.
 */
export async function requestLoad(
  url: string,
  nextPath: () => string | undefined,
  settings: LoadSettings,
): Promise<Measurement> {
  let last = '/';
  let issued = 0;
  let exhaustedAt: number | undefined;
  let instance: Instance | undefined;
  const tally = new Tally(settings.serverPid);
  const step: RequestStep<Record<string, never>> = {
    method: 'GET',
    setupRequest(request) {
      const path = exhaustedAt === undefined ? nextPath() : undefined;
      if (path !== undefined) {
        issued++;
        last = path;
        return { ...request, path };
      }
      // autocannon cannot skip the only step of a sequence: stop, and ignore what is still sent.
      if (exhaustedAt === undefined) {
        exhaustedAt = performance.now();
        instance?.stop();
      }
      return { ...request, path: last };
    },
    onResponse(status, body) {
      if (exhaustedAt !== undefined) return;
      tally.responses++;
      if (validated(status, body)) tally.ok++;
      else tally.failed++;
    },
  };
  instance = run({ url, connections: settings.connections, duration: settings.duration, requests: [step] });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (exhaustedAt === undefined) tally.record(responseTime);
  });
  instance.on('reqError', () => {
    if (exhaustedAt === undefined) tally.failed++;
  });
  await instance;
  const ended = exhaustedAt ?? performance.now();
  const seconds = (ended - tally.startedAt) / 1000;
  const note =
    exhaustedAt !== undefined ? `ticket pool (${issued}) ran out after ${seconds.toFixed(1)} s` : undefined;
  return tally.finish(ended, note);
}

/** The SSO cycle to run: its `/login` path, the TGC cookie pair, and the validation path of a ticket. */
export interface Cycle {
  loginPath: string;
  validatePath: (ticket: string) => string;
  cookie: string;
}

/** The service ticket a `/login` response issued: from the `Location` of a 302. */
function issuedTicket(status: number, location: string | undefined): string | undefined {
  return status === 302 && location ? ticketFrom(location) : undefined;
}

/** Whether a `/serviceValidate` response is a CAS authentication success. */
function validated(status: number, body: string): boolean {
  return status === 200 && body.includes(SUCCESS_MARK);
}

/** Below this share of the offered rate, the server did not keep up. */
export const KEPT_UP = 0.95;

/**
 * The SSO cycle on `connections` keep-alive connections (a `Connection` each), one cycle in flight per
 * connection, latency per cycle from writing its first request to reading the validation response.
 *
 * At saturation (no `rate`: closed loop) every connection starts its next cycle as soon as the last one
 * ends, so latency is connections ÷ throughput.
 *
 * At a fixed offered `rate` (open loop per connection) each connection runs cycles at fixed times,
 * `connections ÷ rate` seconds apart, the connections staggered so that cycles start evenly at `rate` per
 * second in all. A cycle that cannot start on time (its connection still busy) starts as soon as it can,
 * and its latency counts from its scheduled time (no coordinated omission). Timers wake up to 1 ms early
 * so that their granularity does not count as latency: an early cycle counts from when it was sent.
 * Cycles still unsent when the duration is over are dropped, and an achieved rate under `KEPT_UP` of
 * `rate` is noted. autocannon's own `overallRate`/`connectionRate` are no use here: each connection
 * sends its per-second quota back to back at the start of every second, then idles.
 */
export async function socketCycleLoad(
  url: string,
  cycle: Cycle,
  settings: LoadSettings,
  rate?: number,
): Promise<Measurement> {
  const { hostname, port, host } = new URL(url);
  const connections: Connection[] = [];
  try {
    for (let i = 0; i < settings.connections; i++)
      connections.push(await Connection.open(hostname, Number(port), host));
    // One untimed cycle per connection first (a slow first request on a fresh socket).
    await Promise.all(connections.map((c) => socketCycle(c, cycle)));
    const tally = new Tally(settings.serverPid);
    const end = tally.startedAt + settings.duration * 1000;
    const closedLoop = async (connection: Connection) => {
      for (let sent = performance.now(); sent < end; sent = performance.now()) {
        if (await socketCycle(connection, cycle, tally)) tally.record(performance.now() - sent);
      }
    };
    const paced = async (connection: Connection, i: number, rate: number) => {
      const interval = (1000 * settings.connections) / rate;
      for (let due = tally.startedAt + (i * 1000) / rate; due < end; due += interval) {
        const wait = due - 1 - performance.now();
        if (wait > 0) await sleep(wait);
        const sent = performance.now();
        if (sent >= end) break;
        if (await socketCycle(connection, cycle, tally))
          tally.record(performance.now() - Math.min(due, sent));
      }
    };
    await Promise.all(
      connections.map((connection, i) =>
        rate === undefined ? closedLoop(connection) : paced(connection, i, rate),
      ),
    );
    const m = tally.finish();
    return rate === undefined || m.opsPerSecond >= rate * KEPT_UP
      ? m
      : {
          ...m,
          note: `achieved ${Math.round(m.opsPerSecond)} of ${rate} cycles/s offered: the server did not keep up`,
        };
  } finally {
    for (const connection of connections) connection.close();
  }
}

/** One SSO cycle on `connection`; counted in `tally` when given. True when it validated. */
async function socketCycle(connection: Connection, cycle: Cycle, tally?: Tally): Promise<boolean> {
  try {
    const login = await connection.get(cycle.loginPath, `cookie: ${cycle.cookie}\r\n`);
    if (tally) tally.responses++;
    const ticket = issuedTicket(login.status, login.location);
    if (ticket) {
      const validation = await connection.get(cycle.validatePath(ticket));
      if (tally) tally.responses++;
      if (validated(validation.status, validation.body)) {
        if (tally) tally.ok++;
        return true;
      }
    }
  } catch {
    // Socket error, timeout or a response this client does not read: a failed cycle, as below.
  }
  if (tally) tally.failed++;
  return false;
}

interface Reply {
  status: number;
  location?: string;
  body: string;
}

/**
 * A keep-alive HTTP/1.1 connection with one request in flight, lighter than node:http's client (which
 * used about twice the raw server's CPU here; the load generator's own delays count as latency). Reads
 * Content-Length framed responses only, which is what Usher sends. Anything else, a socket error or a
 * timeout rejects and closes the connection: its later cycles fail too (ok / failed column).
 */
class Connection {
  private buffered = '';
  private pending?: {
    resolve: (reply: Reply) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  };

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
  ) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      this.parse();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  static open(hostname: string, port: number, host: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port, noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new Connection(socket, host));
      });
      socket.once('error', reject);
    });
  }

  get(path: string, headers = ''): Promise<Reply> {
    if (this.socket.destroyed) return Promise.reject(new Error('connection closed'));
    if (this.pending) return Promise.reject(new Error('a request is already in flight'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error('timeout')), 10_000);
      this.pending = { resolve, reject, timer };
      this.socket.write(`GET ${path} HTTP/1.1\r\nhost: ${this.host}\r\n${headers}\r\n`, 'latin1');
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0 || !this.pending) return;
    const head = this.buffered.slice(0, headEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
    if (length === undefined) {
      this.fail(new Error('response without content-length'));
      return;
    }
    const bodyEnd = headEnd + 4 + Number(length);
    if (this.buffered.length < bodyEnd) return;
    const reply: Reply = {
      status: Number(head.slice(9, 12)),
      location: /\r\nlocation:\s*([^\r]*)/i.exec(head)?.[1],
      body: Buffer.from(this.buffered.slice(headEnd + 4, bodyEnd), 'latin1').toString('utf8'),
    };
    this.buffered = this.buffered.slice(bodyEnd);
    const { resolve, timer } = this.pending;
    clearTimeout(timer);
    this.pending = undefined;
    resolve(reply);
  }

  /** Rejects the request in flight and closes the connection: what it still receives means nothing. */
  private fail(error: Error): void {
    this.socket.destroy();
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    pending.reject(error);
  }
}

function ticketFrom(location: string): string | undefined {
  const match = /[?&]ticket=([^&#]+)/.exec(location);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** Waits until the rest of the machine uses less than 0.3 core over 3 s, for at most `maxSeconds`. */
export async function waitQuiet(maxSeconds: number, log: (line: string) => void = () => {}): Promise<void> {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = machineBusySeconds();
    if (before === undefined || after === undefined) return;
    const busy = (after - before) / 3;
    if (busy < 0.3) return;
    if (Date.now() >= deadline) {
      log(`    machine still busy (${busy.toFixed(2)} cores in use), measuring anyway`);
      return;
    }
    log(`    machine busy (${busy.toFixed(2)} cores in use), waiting`);
  }
}
