// The harness with a two-worker server under test (node:cluster over one SQLite file), briefly: every
// operation must succeed, and the server CPU must be the workers' (the primary only issues pools).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runBenchmark } from './harness.ts';

const workDir = mkdtempSync(join(tmpdir(), 'usher-bench-workers-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

test('the harness measures a server with 2 workers sharing SQLite', { timeout: 120_000 }, async () => {
  const report = await runBenchmark({
    backends: ['sqlite', 'memory'],
    workers: [2],
    scenarios: ['cycle', 'validation'],
    duration: 1,
    warmup: 0.5,
    connections: 4,
    workDir,
  });
  assert.deepEqual(
    report.rows.map((r) => [r.scenario, r.backend, r.workers]),
    [
      ['cycle', 'sqlite', 2],
      ['validation', 'sqlite', 2],
    ],
    'memory storage is not run with workers',
  );
  for (const row of report.rows) {
    const m = row.measurement;
    assert.ok(m, `${row.scenario}: ${row.skipped}`);
    assert.ok(m.ok > 0, `${row.scenario}: no successful operation`);
    assert.equal(m.failed, 0, `${row.scenario}: failed operations`);
    assert.ok((m.serverCpu ?? 0) > 0.05, `${row.scenario}: the workers' CPU is counted (${m.serverCpu})`);
  }
});
