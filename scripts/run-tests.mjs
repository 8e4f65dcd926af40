// Runs every *.test.ts under packages/, examples/ and bench/ with node's test runner through tsx.
// Node 20's --test takes no globs, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['packages', 'examples', 'bench'];
const only = process.argv.slice(2);

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

let files = roots.flatMap((root) => {
  try {
    return collect(root, []);
  } catch {
    return [];
  }
});
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
files.sort();

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
