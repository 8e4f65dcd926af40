// Turns a BenchReport into the markdown table printed by `npm run bench` and into bench/RESULTS.md.
import type { BenchReport, ScenarioRow } from './harness.ts';
import { DEFAULT_CYCLE_RATE, isPaced, NOISY_OTHER_CPU, scenarioTitle } from './harness.ts';
import { KEPT_UP } from './load.ts';

/**
 * Targets from the benchmark issue. The SSO cycle p99 applies at saturation (as the issue reads) and at a
 * fixed offered rate, the one that says how long a user waits.
 */
export const TARGETS = {
  validationRatio: 0.4,
  cycleP99Ms: 5,
  cycleConnections: 32,
  cycleRate: DEFAULT_CYCLE_RATE,
} as const;

/**
 * The level-2 sections of RESULTS.md this report writes; every other one (Client parsing, Million SSO
 * sessions, a hand-written Analysis…) belongs to someone else and is kept as it is.
 */
const GENERATED_SECTIONS = ['results', 'targets', 'notes'];

const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—'),
  ms: (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—'),
  pct: (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : '—'),
};

function ratio(row: ScenarioRow, raw: number | undefined): number {
  return row.measurement && raw ? row.measurement.requestsPerSecond / raw : Number.NaN;
}

/** The measurement of a scenario run once per report (the raw server's rows). */
const measurementOf = (report: BenchReport, scenario: ScenarioRow['scenario']) =>
  report.rows.find((r) => r.scenario === scenario)?.measurement;

const title = (report: BenchReport, row: ScenarioRow) =>
  scenarioTitle(row.scenario, report.settings.cycleRate);

export function renderTable(report: BenchReport): string {
  const lines = [
    '| scenario | backend | workers | req/s | cycles/s | ratio to raw | p50 (ms) | p99 (ms) | max (ms) | ok / failed | server CPU | load CPU | other CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  // The saturated cycle compares with the raw server's cycle: same requests, same load generator.
  const rawCycle = measurementOf(report, 'raw-cycle')?.requestsPerSecond;
  for (const row of report.rows) {
    const m = row.measurement;
    const head = `| ${title(report, row)} | ${row.backend} | ${row.workers}`;
    if (!m) {
      lines.push(`${head} | skipped: ${row.skipped ?? 'not run'} | | | | | | | | | |`);
      continue;
    }
    const saturatedCycle = row.scenario === 'cycle' || row.scenario === 'fastify-cycle';
    const cycles = saturatedCycle || row.scenario === 'raw-cycle' || isPaced(row.scenario);
    // At a fixed rate, req/s is what was offered, not what the server can do: no ratio.
    const toRaw =
      row.scenario === 'raw' || row.scenario === 'raw-cycle'
        ? '100%'
        : isPaced(row.scenario)
          ? '—'
          : fmt.pct(ratio(row, saturatedCycle && rawCycle ? rawCycle : report.rawRequestsPerSecond));
    lines.push(
      `${head} | ${fmt.int(m.requestsPerSecond)} | ${cycles ? fmt.int(m.opsPerSecond) : '—'} | ${toRaw} | ${fmt.ms(m.p50)} | ${fmt.ms(m.p99)} | ${fmt.ms(m.max)} | ${fmt.int(m.ok)} / ${fmt.int(m.failed)} | ${fmt.pct(m.serverCpu ?? Number.NaN)} | ${fmt.pct(m.loadCpu)} | ${fmt.pct(m.otherCpu ?? Number.NaN)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Why a verdict may not hold: the raw baseline or the row itself ran while other processes were busy.
 * For redis and postgres, "other" includes the database server, so only the baseline is checked.
 */
function noise(report: BenchReport, row: ScenarioRow, withBaseline: boolean): string {
  const reasons: string[] = [];
  const raw = measurementOf(report, 'raw');
  if (withBaseline && (raw?.otherCpu ?? 0) > NOISY_OTHER_CPU)
    reasons.push(`raw baseline ran beside ${fmt.pct(raw!.otherCpu!)} other CPU`);
  const other = row.measurement?.otherCpu ?? 0;
  if ((row.backend === 'memory' || row.backend === 'sqlite') && other > NOISY_OTHER_CPU)
    reasons.push(`this row ran beside ${fmt.pct(other)} other CPU`);
  return reasons.length > 0 ? `; unreliable: ${reasons.join(', ')}` : '';
}

export function renderTargets(report: BenchReport): string {
  const lines: string[] = [];
  for (const row of report.rows) {
    const m = row.measurement;
    if (!m) continue;
    if (row.scenario === 'validation') {
      const r = ratio(row, report.rawRequestsPerSecond);
      const verdict = Number.isFinite(r) ? (r >= TARGETS.validationRatio ? 'met' : 'MISSED') : 'no baseline';
      lines.push(
        `- validation ≥ ${fmt.pct(TARGETS.validationRatio)} of raw — ${row.backend}, ${row.workers} worker(s): ${fmt.pct(r)} (${verdict}${noise(report, row, true)})`,
      );
    }
    if (row.scenario === 'cycle' || row.scenario === 'cycle-rate') {
      const paced = row.scenario === 'cycle-rate';
      const { connections, cycleRate } = report.settings;
      const verdict =
        connections !== TARGETS.cycleConnections
          ? `not comparable: ${connections} connections`
          : paced && cycleRate !== TARGETS.cycleRate
            ? `not comparable: ${fmt.int(cycleRate)} cycles/s offered`
            : paced && m.opsPerSecond < cycleRate * KEPT_UP
              ? `MISSED: the server kept up with ${fmt.int(m.opsPerSecond)} cycles/s only`
              : m.p99 < TARGETS.cycleP99Ms
                ? 'met'
                : 'MISSED';
      const load = paced ? `${fmt.int(TARGETS.cycleRate)} cycles/s offered` : 'at saturation';
      const floors: [ScenarioRow['scenario'], string][] = paced
        ? [['raw-rate', "the raw server's own cycle p99 on this machine is"]]
        : [
            ['raw-cycle', "the raw server's own cycle p99 on this machine is"],
            ['fastify-cycle', "a bare Fastify app's own cycle p99 is"],
          ];
      const floorNote = floors
        .flatMap(([scenario, words]) => {
          const floor = measurementOf(report, scenario);
          return floor && floor.p99 >= TARGETS.cycleP99Ms ? [`; ${words} ${fmt.ms(floor.p99)} ms`] : [];
        })
        .join('');
      lines.push(
        `- SSO cycle p99 < ${TARGETS.cycleP99Ms} ms at ${TARGETS.cycleConnections} connections, ${load} — ${row.backend}, ${row.workers} worker(s): ${fmt.ms(m.p99)} ms (${verdict}${floorNote}${noise(report, row, false)})`,
      );
    }
  }
  return lines.join('\n');
}

/** The Notes section's lines: what bounds the cycle p99 at saturation and at a fixed rate, each row's note. */
export function renderNotes(report: BenchReport): string[] {
  const { connections, cycleRate } = report.settings;
  const raw = measurementOf(report, 'raw');
  const floor = measurementOf(report, 'raw-rate');
  const rawCycle = measurementOf(report, 'raw-cycle');
  const fastifyCycle = measurementOf(report, 'fastify-cycle');
  const bounds: string[] = [];
  if (rawCycle)
    bounds.push(
      `- The floor of the saturated cycle rows: the raw node:http server, answering the same two requests at once (\`/login\` with a 302 and a ticket) on the same ${connections} connections back to back, does ${fmt.int(rawCycle.opsPerSecond)} cycles/s with a cycle p99 of ${fmt.ms(rawCycle.p99)} ms (p50 ${fmt.ms(rawCycle.p50)} ms, load generator at ${fmt.pct(rawCycle.loadCpu)} CPU): no server doing more work per request can have a lower p99 on this machine.`,
    );
  if (fastifyCycle)
    bounds.push(
      `- The framework's share: a bare Fastify app (no plugin, no hook, the same two answers) does ${fmt.int(fastifyCycle.opsPerSecond)} cycles/s with a cycle p99 of ${fmt.ms(fastifyCycle.p99)} ms (p50 ${fmt.ms(fastifyCycle.p50)} ms) in the same conditions${rawCycle ? `, ${fmt.pct(fastifyCycle.opsPerSecond / rawCycle.opsPerSecond)} of the raw server's cycles` : ''}: the floor of any server built on Fastify, Usher included.`,
    );
  if (raw)
    bounds.push(
      `- The p99 at saturation is bound by the machine: the raw node:http baseline itself, saturated with the same ${connections} connections, has a p99 of ${fmt.ms(raw.p99)} ms (p50 ${fmt.ms(raw.p50)} ms, load generator at ${fmt.pct(raw.loadCpu)} CPU). At saturation every connection sends again as soon as it is answered, so latency is connections ÷ throughput (Little's law), and an SSO cycle is two requests; the rows at a fixed offered rate give the latency a user sees.`,
    );
  if (floor)
    bounds.push(
      `- The floor of the fixed-rate rows: the raw node:http server, answering the same two requests at once at ${fmt.int(cycleRate)} cycles/s on ${connections} connections, has a cycle p99 of ${fmt.ms(floor.p99)} ms (p50 ${fmt.ms(floor.p50)} ms, max ${fmt.ms(floor.max)} ms): the load generator's and the machine's share of every fixed-rate p99.`,
    );
  return [
    ...bounds,
    ...report.rows.flatMap((r) =>
      r.measurement?.note
        ? [`- ${title(report, r)}, ${r.backend}, ${r.workers} worker(s): ${r.measurement.note}`]
        : [],
    ),
  ];
}

export function renderResults(report: BenchReport, previous = ''): string {
  const { machine, settings } = report;
  const notes = renderNotes(report);
  const t = (scenario: ScenarioRow['scenario']) => scenarioTitle(scenario, settings.cycleRate);
  const parts = [
    '# Benchmark results',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts), which rewrites this header and the Results, Targets and',
    '     Notes sections; every other section (other benchmarks, hand-written analysis) is kept. -->',
    '',
    `- date: ${report.startedAt}`,
    `- machine: ${machine.cpus} CPUs (\`nproc\`), ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}`,
    `- node: ${machine.node}`,
    `- 1-minute load average: ${machine.loadAverage.before.toFixed(2)} before, ${machine.loadAverage.after?.toFixed(2) ?? '?'} after (other processes on the machine skew the numbers)`,
    `- settings: ${settings.connections} connections, ${fmt.int(settings.cycleRate)} cycles/s offered at a fixed rate, ${settings.duration} s per scenario after ${settings.warmup} s warm-up, pipelining ${settings.pipelining}, server log level \`${settings.logLevel}\`, ${settings.tool}`,
    `- repetitions: best of ${settings.repeat} per scenario (the run with the least CPU used by other processes)${settings.quietWait > 0 ? `, each after waiting up to ${settings.quietWait} s for an idle machine` : ''}`,
    '',
    '| scenario | what one operation is |',
    '| --- | --- |',
    `| ${t('raw')} | a bare \`node:http\` server answering the fixed CAS success XML Usher sends |`,
    `| ${t('cycle')} | \`GET /login?service=…\` with the TGC cookie → 302 with a ticket → \`GET /serviceValidate\`, every connection back to back (closed loop); latency per cycle, req/s counts both requests |`,
    `| ${t('raw-cycle')} | the SSO cycle's two requests against the raw server (\`/login\` answered with a 302 and a ticket), every connection back to back: the floor of the saturated cycle rows |`,
    `| ${t('fastify-cycle')} | the same two requests against a bare Fastify app answering the same bytes (no plugin, no hook), every connection back to back: the framework's floor |`,
    `| ${t('raw-rate')} | the SSO cycle's two requests against the raw server (\`/login\` answered with a 302 and a ticket), at the fixed rate below: the floor of that measurement |`,
    `| ${t('cycle-rate')} | the same cycle on the same ${settings.connections} connections, started at fixed times (${fmt.int(settings.cycleRate)} cycles/s in all, evenly spaced; a light keep-alive socket client); latency from each cycle's scheduled start, so a server falling behind shows as latency |`,
    `| ${t('validation')} | \`GET /serviceValidate\` of a pre-issued, never used service ticket |`,
    '',
    'Ratio to raw: req/s of the row ÷ req/s of the raw baseline of the same run (the saturated SSO and bare Fastify cycles: ÷ the raw',
    'cycle row; none at a fixed rate, where req/s is what was offered). CPU: CPU time ÷ wall time of the server',
    'process and of the load generator (100% = one core busy); a load generator near 100% means the client, not',
    'the server, limits that row; "other" is the',
    'rest of the machine, including the Redis or PostgreSQL server for those backends (high on memory/sqlite',
    'rows: other work skewed that row).',
    '',
    '## Results',
    '',
    renderTable(report),
    '',
    '## Targets',
    '',
    renderTargets(report) || '- nothing measured',
    '',
  ];
  if (notes.length > 0) parts.push('## Notes', '', ...notes, '');
  for (const section of keptSections(previous)) parts.push(section.trimEnd(), '');
  return parts.join('\n');
}

/** Level-2 sections of an earlier RESULTS.md that this report does not write, verbatim. */
export function keptSections(markdown: string): string[] {
  const sections: string[] = [];
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^##\s+(.*?)\s*$/.exec(line);
    if (heading) {
      if (current) sections.push(current.join('\n'));
      const title = heading[1]!.toLowerCase();
      current = GENERATED_SECTIONS.includes(title) ? undefined : [line];
      continue;
    }
    if (/^#\s/.test(line)) {
      if (current) sections.push(current.join('\n'));
      current = undefined;
      continue;
    }
    current?.push(line);
  }
  if (current) sections.push(current.join('\n'));
  return sections;
}
