// Runs the benchmark harness for about a second per scenario against memory storage: it must produce
// numbers for every scenario, the SSO cycle both at saturation and at a fixed rate. No timing assertions: this machine's speed is not under test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type BenchReport, runBenchmark } from './harness.ts';
import type { Measurement } from './load.ts';
import { keptSections, renderResults, renderTargets } from './report.ts';

const workDir = mkdtempSync(join(tmpdir(), 'usher-bench-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

test('the harness measures raw (saturated, paced), SSO cycle (saturated, paced) and validation on memory', {
  timeout: 120_000,
}, async () => {
  const report = await runBenchmark({
    backends: ['memory'],
    duration: 1,
    warmup: 0.5,
    connections: 4,
    cycleRate: 200,
    workDir,
  });
  assert.deepEqual(
    report.rows.map((r) => [r.scenario, r.backend]),
    [
      ['raw', '-'],
      ['raw-cycle', '-'],
      ['fastify-cycle', '-'],
      ['raw-rate', '-'],
      ['cycle', 'memory'],
      ['cycle-rate', 'memory'],
      ['validation', 'memory'],
    ],
  );
  for (const row of report.rows) {
    const m = row.measurement;
    assert.ok(m, `${row.scenario}: ${row.skipped}`);
    assert.ok(m.ok > 0, `${row.scenario}: no successful operation`);
    assert.equal(m.failed, 0, `${row.scenario}: failed operations`);
    for (const value of [m.requestsPerSecond, m.opsPerSecond, m.p50, m.p99])
      assert.ok(Number.isFinite(value) && value > 0, `${row.scenario}: ${JSON.stringify(m)}`);
  }
  assert.ok(report.rawRequestsPerSecond && report.rawRequestsPerSecond > 0);
  // Paced: never more cycles than scheduled (200/s over 1 s), whatever the machine's speed.
  for (const row of report.rows.filter((r) => r.scenario.endsWith('-rate')))
    assert.ok(row.measurement!.ok <= 200, `${row.scenario}: ${row.measurement!.ok} cycles`);

  const markdown = renderResults(report);
  assert.match(
    markdown,
    /\| SSO cycle at saturation .* \| memory \| 1 \| [\d,]+ \| [\d,]+ \| \d+% \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/,
  );
  assert.match(
    markdown,
    /\| SSO cycle at 200 cycles\/s offered \| memory \| 1 \| [\d,]+ \| [\d,]+ \| — \| [\d.]+ \|/,
  );
  assert.match(markdown, /- SSO cycle p99 < 5 ms at 32 connections, at saturation — memory/);
  assert.match(markdown, /- SSO cycle p99 < 5 ms at 32 connections, 1,000 cycles\/s offered — memory/);
  assert.match(markdown, /- The p99 at saturation is bound by the machine: .* p99 of [\d.]+ ms/);
  assert.match(
    markdown,
    /- The floor of the saturated cycle rows: .* [\d,]+ cycles\/s with a cycle p99 of [\d.]+ ms/,
  );
  assert.match(
    markdown,
    /\| raw node:http cycle at saturation \(floor\) \| - \| 1 \| [\d,]+ \| [\d,]+ \| 100% \|/,
  );
  assert.match(
    markdown,
    /\| raw node:http at 200 cycles\/s offered \(floor\) \| - \| 1 \| [\d,]+ \| [\d,]+ \| — \|/,
  );
  assert.match(
    markdown,
    /\| bare Fastify cycle at saturation \(framework floor\) \| - \| 1 \| [\d,]+ \| [\d,]+ \| \d+% \|/,
  );
  assert.match(
    markdown,
    /- The framework's share: a bare Fastify app .* [\d,]+ cycles\/s with a cycle p99 of [\d.]+ ms/,
  );
  assert.match(markdown, /- The floor of the fixed-rate rows: .* cycle p99 of [\d.]+ ms/);
  assert.match(markdown, /\| validation alone .* \| memory \| 1 \| [\d,]+ \| — \| \d+% \|/);
});

function fakeReport(rows: BenchReport['rows']): BenchReport {
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    machine: {
      cpus: 2,
      cpuModel: 'x',
      memoryGb: 1,
      node: 'v20',
      platform: 'linux',
      loadAverage: { before: 0 },
    },
    settings: {
      connections: 32,
      cycleRate: 1000,
      duration: 10,
      warmup: 3,
      repeat: 1,
      quietWait: 0,
      pipelining: 1,
      tool: 't',
      logLevel: 'warn',
    },
    rows,
    workDir,
    profiles: [],
  };
}

test('the fixed-rate SSO cycle target is missed when the server does not keep up with the offered rate', () => {
  const measurement = (opsPerSecond: number, p99: number): Measurement => ({
    requestsPerSecond: opsPerSecond * 2,
    opsPerSecond,
    p50: 1,
    p99,
    max: p99,
    ok: opsPerSecond * 10,
    failed: 0,
    seconds: 10,
    loadCpu: 0.2,
  });
  const row = (workers: number, m: Measurement) =>
    ({ scenario: 'cycle-rate', backend: 'memory', workers, measurement: m }) as const;
  const targets = renderTargets(
    fakeReport([row(1, measurement(1_000, 2)), row(2, measurement(600, 2)), row(3, measurement(1_000, 7))]),
  ).split('\n');
  assert.deepEqual(targets, [
    '- SSO cycle p99 < 5 ms at 32 connections, 1,000 cycles/s offered — memory, 1 worker(s): 2.00 ms (met)',
    '- SSO cycle p99 < 5 ms at 32 connections, 1,000 cycles/s offered — memory, 2 worker(s): 2.00 ms (MISSED: the server kept up with 600 cycles/s only)',
    '- SSO cycle p99 < 5 ms at 32 connections, 1,000 cycles/s offered — memory, 3 worker(s): 7.00 ms (MISSED)',
  ]);
});

test("a saturated SSO cycle target names the raw server's and bare Fastify's own cycle p99 when over the target", () => {
  const measurement = (p99: number): Measurement => ({
    requestsPerSecond: 20_000,
    opsPerSecond: 10_000,
    p50: 3,
    p99,
    max: p99,
    ok: 100_000,
    failed: 0,
    seconds: 10,
    loadCpu: 1,
  });
  const cycle = { scenario: 'cycle', backend: 'sqlite', workers: 1, measurement: measurement(9) } as const;
  const floor = (p99: number) =>
    ({ scenario: 'raw-cycle', backend: '-', workers: 1, measurement: measurement(p99) }) as const;
  const target = '- SSO cycle p99 < 5 ms at 32 connections, at saturation — sqlite, 1 worker(s): 9.00 ms';
  assert.equal(
    renderTargets(fakeReport([floor(5.5), cycle])),
    `${target} (MISSED; the raw server's own cycle p99 on this machine is 5.50 ms)`,
  );
  assert.equal(renderTargets(fakeReport([floor(4), cycle])), `${target} (MISSED)`);
  const fastify = { ...floor(6), scenario: 'fastify-cycle' } as const;
  assert.equal(
    renderTargets(fakeReport([floor(5.5), fastify, cycle])),
    `${target} (MISSED; the raw server's own cycle p99 on this machine is 5.50 ms; a bare Fastify app's own cycle p99 is 6.00 ms)`,
  );
  assert.equal(
    renderTargets(fakeReport([floor(4), fastify, cycle])),
    `${target} (MISSED; a bare Fastify app's own cycle p99 is 6.00 ms)`,
  );
  assert.equal(renderTargets(fakeReport([cycle])), `${target} (MISSED)`);
});

test("a new RESULTS.md replaces its own sections and keeps the other benchmarks' ones", () => {
  const previous = [
    '# Benchmark results',
    '',
    '## Results',
    '',
    'old table',
    '',
    '## Million SSO sessions (SQLite)',
    '',
    'million numbers',
    '',
    '## Targets',
    '',
    'old targets',
    '',
    '## Client parsing',
    '',
    'parser numbers',
    '',
  ].join('\n');
  assert.deepEqual(keptSections(previous), [
    '## Million SSO sessions (SQLite)\n\nmillion numbers\n',
    '## Client parsing\n\nparser numbers\n',
  ]);
  const report = fakeReport([]);
  const markdown = renderResults(report, previous);
  assert.ok(markdown.endsWith('## Client parsing\n\nparser numbers\n'));
  assert.ok(markdown.includes('## Million SSO sessions (SQLite)\n\nmillion numbers\n'));
  assert.ok(!markdown.includes('old table'));
  assert.ok(!markdown.includes('old targets'));
});
