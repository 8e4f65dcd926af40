// Runs the benchmark harness for about a second per scenario against memory storage: it must produce
// numbers for every scenario. No timing assertions: this machine's speed is not under test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runBenchmark } from './harness.ts';
import { keptSections, renderResults } from './report.ts';

const workDir = mkdtempSync(join(tmpdir(), 'usher-bench-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

test('the harness measures raw, SSO cycle and validation against memory storage', {
  timeout: 120_000,
}, async () => {
  const report = await runBenchmark({
    backends: ['memory'],
    duration: 1,
    warmup: 0.5,
    connections: 4,
    workDir,
  });
  assert.deepEqual(
    report.rows.map((r) => [r.scenario, r.backend]),
    [
      ['raw', '-'],
      ['cycle', 'memory'],
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

  const markdown = renderResults(report);
  assert.match(markdown, /\| SSO cycle .* \| memory \| 1 \| [\d,]+ \| [\d,]+ \| \d+% \| [\d.]+ \| [\d.]+ \|/);
  assert.match(markdown, /\| validation alone .* \| memory \| 1 \| [\d,]+ \| — \| \d+% \|/);
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
  const report = {
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
      duration: 10,
      warmup: 3,
      repeat: 1,
      quietWait: 0,
      pipelining: 1,
      tool: 't',
      logLevel: 'warn',
    },
    rows: [],
    workDir,
    profiles: [],
  };
  const markdown = renderResults(report, previous);
  assert.ok(markdown.endsWith('## Client parsing\n\nparser numbers\n'));
  assert.ok(markdown.includes('## Million SSO sessions (SQLite)\n\nmillion numbers\n'));
  assert.ok(!markdown.includes('old table'));
  assert.ok(!markdown.includes('old targets'));
});
