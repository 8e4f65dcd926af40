// The load side of the benchmark: autocannon (keep-alive connections, one request in flight each) driven
// from the parent process, with latencies kept in node:perf_hooks histograms (nanoseconds).
import { readFileSync } from 'node:fs';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
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

function summarize(
  histogram: RecordableHistogram,
  counts: { ok: number; failed: number; responses: number },
  seconds: number,
  cpu: { loadCpu: number; serverCpu?: number; otherCpu?: number },
  note?: string,
): Measurement {
  const ms = (ns: number) => ns / 1e6;
  const has = histogram.count > 0;
  return {
    ...cpu,
    requestsPerSecond: counts.responses / seconds,
    opsPerSecond: counts.ok / seconds,
    p50: has ? ms(histogram.percentile(50)) : Number.NaN,
    p99: has ? ms(histogram.percentile(99)) : Number.NaN,
    max: has ? ms(histogram.max) : Number.NaN,
    ok: counts.ok,
    failed: counts.failed,
    seconds,
    ...(note ? { note } : {}),
  };
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
  const histogram = newHistogram();
  const counts = { ok: 0, failed: 0, responses: 0 };
  let last = '/';
  let issued = 0;
  let exhaustedAt: number | undefined;
  let instance: Instance | undefined;
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
      counts.responses++;
      if (status === 200 && body.includes(SUCCESS_MARK)) counts.ok++;
      else counts.failed++;
    },
  };
  const started = performance.now();
  const meter = new CpuMeter(settings.serverPid);
  instance = run({ url, connections: settings.connections, duration: settings.duration, requests: [step] });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (exhaustedAt === undefined) recordMs(histogram, responseTime);
  });
  instance.on('reqError', () => {
    if (exhaustedAt === undefined) counts.failed++;
  });
  await instance;
  const ended = exhaustedAt ?? performance.now();
  const cpu = meter.read(ended);
  const seconds = (ended - started) / 1000;
  const note =
    exhaustedAt !== undefined ? `ticket pool (${issued}) ran out after ${seconds.toFixed(1)} s` : undefined;
  return summarize(histogram, counts, seconds, cpu, note);
}

interface CycleContext {
  t0?: number;
  ticket?: string;
}

/**
 * The SSO cycle on every connection: `GET /login?service=…` with the TGC cookie → 302 whose Location
 * carries a service ticket → `GET /serviceValidate?ticket=…&service=…`. Latency is per cycle, from
 * writing the first request to reading the validation response.
 */
export async function cycleLoad(
  url: string,
  cycle: { loginPath: string; validatePath: (ticket: string) => string; cookie: string },
  settings: LoadSettings,
): Promise<Measurement> {
  const histogram = newHistogram();
  const counts = { ok: 0, failed: 0, responses: 0 };
  // The first request of every connection is built while autocannon constructs its clients, long before
  // it is written (connection set-up): such cycles are not timed.
  let constructing = true;
  const steps: RequestStep<CycleContext>[] = [
    {
      method: 'GET',
      path: cycle.loginPath,
      headers: { cookie: cycle.cookie },
      setupRequest(request, context) {
        context.t0 = constructing ? undefined : performance.now();
        return request;
      },
      onResponse(status, _body, context, headers) {
        counts.responses++;
        const location = headerValue(headers, 'location');
        context.ticket = status === 302 && location ? ticketFrom(location) : undefined;
        if (!context.ticket) counts.failed++;
      },
    },
    {
      method: 'GET',
      setupRequest(request, context) {
        // No ticket: back to step 0 (autocannon restarts the sequence on a falsy result).
        if (!context.ticket) return null;
        return { ...request, path: cycle.validatePath(context.ticket) };
      },
      onResponse(status, body, context) {
        counts.responses++;
        if (status === 200 && body.includes(SUCCESS_MARK)) {
          counts.ok++;
          if (context.t0 !== undefined) recordMs(histogram, performance.now() - context.t0);
        } else counts.failed++;
      },
    },
  ];
  const started = performance.now();
  const meter = new CpuMeter(settings.serverPid);
  const instance = run<CycleContext>({
    url,
    connections: settings.connections,
    duration: settings.duration,
    requests: steps,
  });
  constructing = false;
  instance.on('reqError', () => {
    counts.failed++;
  });
  await instance;
  const ended = performance.now();
  return summarize(histogram, counts, (ended - started) / 1000, meter.read(ended));
}

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
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
