// `npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]`: the hottest functions of a V8 CPU
// profile (from `npm run bench -- --profile`) by self time, plus self time per package, so hot spots can
// be reported without opening DevTools.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/** Where a script belongs: an npm package, Usher's own code, node internals or V8 itself. */
export function ownerOf(url: string): string {
  if (!url) return '(v8 / native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const usher = /packages\/([^/]+)\//.exec(url);
  if (usher) return `@usher/${usher[1]}`;
  return url.replace(/^file:\/\//, '');
}

export function summarize(profile: CpuProfile, top = 25) {
  const selfUs = new Map<number, number>();
  const { samples = [], timeDeltas = [] } = profile;
  // A sample's time is the delta to the next sample.
  for (let i = 0; i < samples.length; i++) {
    const delta = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + delta);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, HotSpot>();
  const byOwner = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += us;
    const name = functionName || '(anonymous)';
    const where = url
      ? `${url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const key = `${name} ${where}`;
    const spot = byFunction.get(key) ?? { name, where, selfMs: 0, share: 0 };
    spot.selfMs += us / 1000;
    byFunction.set(key, spot);
    const owner = functionName.startsWith('(') ? functionName : ownerOf(url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  }
  const functions = [...byFunction.values()]
    .map((s) => ({ ...s, share: (s.selfMs * 1000) / total }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  // Inclusive time of Usher's own functions: where requests spend their time, callees included.
  const children = new Map(profile.nodes.map((n) => [n.id, n.children ?? []]));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusiveUs = new Map<number, number>();
  const inclusiveOf = (id: number): number => {
    const known = inclusiveUs.get(id);
    if (known !== undefined) return known;
    const value = (selfUs.get(id) ?? 0) + (children.get(id) ?? []).reduce((a, c) => a + inclusiveOf(c), 0);
    inclusiveUs.set(id, value);
    return value;
  };
  const usher = new Map<string, HotSpot>();
  const onStack = new Set<string>();
  const walk = (id: number) => {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const mine = /\/packages\//.test(url) && !url.includes('node_modules');
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*?\/packages\//, 'packages/')}:${lineNumber + 1}`;
    // Count a function once per stack, so recursion and re-entry do not double its time.
    const first = mine && !onStack.has(key);
    if (first) {
      const spot = usher.get(key) ?? {
        name: functionName || '(anonymous)',
        where: key.slice(key.indexOf(' ') + 1),
        selfMs: 0,
        share: 0,
      };
      spot.selfMs += inclusiveOf(id) / 1000;
      usher.set(key, spot);
      onStack.add(key);
    }
    for (const child of children.get(id) ?? []) walk(child);
    if (first) onStack.delete(key);
  };
  if (profile.nodes[0]) walk(profile.nodes[0].id);
  const inclusive = [...usher.values()]
    .map((s) => ({ ...s, share: (s.selfMs * 1000) / total }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  const owners = [...byOwner.entries()]
    .map(([owner, us]) => ({ owner, selfMs: us / 1000, share: us / total }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs: total / 1000, idleShare: idle / total, functions, owners, inclusive };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  if (positionals.length === 0) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25]');
    process.exitCode = 2;
    return;
  }
  for (const file of positionals) {
    const result = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
    console.log(`# ${file}\n\n${result.totalMs.toFixed(0)} ms sampled, ${pct(result.idleShare)} idle\n`);
    console.log('| self | share | function | where |\n| ---: | ---: | --- | --- |');
    for (const f of result.functions)
      console.log(`| ${f.selfMs.toFixed(0)} ms | ${pct(f.share)} | ${f.name} | ${f.where} |`);
    console.log(
      '\nUsher functions, callees included:\n\n| total | share | function | where |\n| ---: | ---: | --- | --- |',
    );
    for (const f of result.inclusive)
      console.log(`| ${f.selfMs.toFixed(0)} ms | ${pct(f.share)} | ${f.name} | ${f.where} |`);
    console.log('\n| self | share | package |\n| ---: | ---: | --- |');
    for (const o of result.owners.slice(0, 20))
      console.log(`| ${o.selfMs.toFixed(0)} ms | ${pct(o.share)} | ${o.owner} |`);
    console.log('');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
