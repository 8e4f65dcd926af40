// Turns a BenchReport into the markdown table printed by `npm run bench` and into bench/RESULTS.md.
import type { BenchReport, ScenarioRow } from './harness.ts';
import { NOISY_OTHER_CPU, SCENARIO_TITLES } from './harness.ts';

/** Targets from the benchmark issue. */
export const TARGETS = { validationRatio: 0.4, cycleP99Ms: 5, cycleConnections: 32 } as const;

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

export function renderTable(report: BenchReport): string {
  const lines = [
    '| scenario | backend | workers | req/s | cycles/s | ratio to raw | p50 (ms) | p99 (ms) | ok / failed | server CPU | load CPU | other CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of report.rows) {
    const m = row.measurement;
    const head = `| ${SCENARIO_TITLES[row.scenario]} | ${row.backend} | ${row.workers}`;
    if (!m) {
      lines.push(`${head} | skipped: ${row.skipped ?? 'not run'} | | | | | | | | |`);
      continue;
    }
    lines.push(
      `${head} | ${fmt.int(m.requestsPerSecond)} | ${row.scenario === 'cycle' ? fmt.int(m.opsPerSecond) : '—'} | ${
        row.scenario === 'raw' ? '100%' : fmt.pct(ratio(row, report.rawRequestsPerSecond))
      } | ${fmt.ms(m.p50)} | ${fmt.ms(m.p99)} | ${fmt.int(m.ok)} / ${fmt.int(m.failed)} | ${fmt.pct(m.serverCpu ?? Number.NaN)} | ${fmt.pct(m.loadCpu)} | ${fmt.pct(m.otherCpu ?? Number.NaN)} |`,
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
  const raw = report.rows.find((r) => r.scenario === 'raw')?.measurement;
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
    if (row.scenario === 'cycle') {
      const at32 = report.settings.connections === TARGETS.cycleConnections;
      const verdict = !at32
        ? `not comparable: ${report.settings.connections} connections`
        : m.p99 < TARGETS.cycleP99Ms
          ? 'met'
          : 'MISSED';
      lines.push(
        `- SSO cycle p99 < ${TARGETS.cycleP99Ms} ms at ${TARGETS.cycleConnections} connections — ${row.backend}, ${row.workers} worker(s): ${fmt.ms(m.p99)} ms (${verdict}${noise(report, row, false)})`,
      );
    }
  }
  return lines.join('\n');
}

export function renderResults(report: BenchReport, previous = ''): string {
  const { machine, settings } = report;
  const notes = report.rows.flatMap((r) =>
    r.measurement?.note ? [`- ${SCENARIO_TITLES[r.scenario]}, ${r.backend}: ${r.measurement.note}`] : [],
  );
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
    `- settings: ${settings.connections} connections, ${settings.duration} s per scenario after ${settings.warmup} s warm-up, pipelining ${settings.pipelining}, server log level \`${settings.logLevel}\`, ${settings.tool}`,
    `- repetitions: best of ${settings.repeat} per scenario (the run with the least CPU used by other processes)${settings.quietWait > 0 ? `, each after waiting up to ${settings.quietWait} s for an idle machine` : ''}`,
    '',
    '| scenario | what one operation is |',
    '| --- | --- |',
    `| ${SCENARIO_TITLES.raw} | a bare \`node:http\` server answering the fixed CAS success XML Usher sends |`,
    `| ${SCENARIO_TITLES.cycle} | \`GET /login?service=…\` with the TGC cookie → 302 with a ticket → \`GET /serviceValidate\`; latency per cycle, req/s counts both requests |`,
    `| ${SCENARIO_TITLES.validation} | \`GET /serviceValidate\` of a pre-issued, never used service ticket |`,
    '',
    'Ratio to raw: req/s of the row ÷ req/s of the raw baseline of the same run. CPU: CPU time ÷ wall time of the',
    'server process and of the load generator (100% = one core busy); a load generator near 100% means the',
    'client, not the server, limits that row; "other" is the rest of the machine, including the Redis or',
    'PostgreSQL server for those backends (high on memory/sqlite rows: other work skewed that row).',
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
