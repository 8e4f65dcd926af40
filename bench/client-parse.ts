// `npx tsx bench/client-parse.ts [--seconds 1] [--no-write]`: the client's hot path, reading a CAS 3
// validation answer, in operations per second. The document is Usher's own rendering of a success with
// ten attributes (three multi-valued); JSON.parse of the same data in JSON is the floor to compare with.
// Writes the "Client parsing" section of bench/RESULTS.md (kept by `npm run bench`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { CasClient } from '@usher/client';
import { parseServiceResponse, renderValidationJson, renderValidationXml } from '@usher/protocol';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '1' }, 'no-write': { type: 'boolean', default: false } },
});
const seconds = Number(values.seconds);

const success = {
  user: 'mlovelace',
  attributes: {
    authenticationDate: ['2026-11-23T12:00:00.000Z'],
    isFromNewLogin: ['true'],
    longTermAuthenticationRequestTokenUsed: ['false'],
    mail: ['ada@example.org'],
    displayName: ['Ada Lovelace'],
    givenName: ['Ada'],
    sn: ['Lovelace'],
    memberOf: ['staff', 'faculty', 'engines', 'analysts'],
    eduPersonAffiliation: ['member', 'employee'],
    telephoneNumber: ['+44 20 7946 0000', '+44 20 7946 0001'],
  },
};
const xml = renderValidationXml(success);
const json = renderValidationJson(success);

// validate() end to end except the network: URL, fetch stub, body read, parse, checks.
const stubFetch = (async () =>
  new Response(xml, { headers: { 'content-type': 'text/xml' } })) as typeof fetch;
const client = new CasClient({
  serverUrl: 'https://cas.example.org',
  serviceUrl: 'https://app.example.org/',
  fetch: stubFetch,
});

const cases: [string, () => unknown][] = [
  ['JSON.parse (floor)', () => JSON.parse(json)],
  ['parseServiceResponse, JSON', () => parseServiceResponse(json, 'json')],
  ['parseServiceResponse, XML', () => parseServiceResponse(xml, 'xml')],
];

/** Median ops/s of five rounds of `seconds / 5`, after a warm-up round; `await`s only async operations. */
async function measure(run: () => unknown, isAsync = false): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round <= 5; round++) {
    const end = performance.now() + (seconds * 1000) / 5;
    let ops = 0;
    const start = performance.now();
    while (performance.now() < end) {
      if (isAsync) for (let i = 0; i < 100; i++) await run();
      else for (let i = 0; i < 100; i++) run();
      ops += 100;
    }
    if (round > 0) rounds.push(ops / ((performance.now() - start) / 1000));
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

const rows: [string, number][] = [];
for (const [name, run] of cases) rows.push([name, await measure(run)]);
rows.push(['client.validate, XML, stubbed fetch', await measure(() => client.validate('ST-1-bench'), true)]);

const floor = rows[0]![1];
const overheadUs = 1e6 / rows[3]![1] - 1e6 / rows[2]![1];
const table = [
  '| operation | ops/s | µs/op | × JSON.parse |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map(
    ([name, ops]) =>
      `| ${name} | ${Math.round(ops).toLocaleString('en-US')} | ${(1e6 / ops).toFixed(2)} | ${(floor / ops).toFixed(1)} |`,
  ),
].join('\n');
console.log(table);

if (!values['no-write']) {
  const section = [
    '## Client parsing',
    '',
    `<!-- Written by \`npx tsx bench/client-parse.ts\`. ${new Date().toISOString()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg()[0]!.toFixed(2)} -->`,
    '',
    `A CAS 3 success with 10 attributes (${xml.length} bytes of XML, ${json.length} of JSON), parsed in one process;`,
    'medians of five rounds. "× JSON.parse" is how many times slower than JSON.parse of the same JSON.',
    '',
    table,
    '',
    `The client adds ${overheadUs.toFixed(0)} µs to the XML parse (URL, fetch call, body read, checks); a validation's`,
    'network round trip to the CAS server costs milliseconds, so parsing is not what limits a login.',
    '',
  ].join('\n');
  const path = new URL('./RESULTS.md', import.meta.url);
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const pattern = /^## Client parsing\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  const next = pattern.test(previous)
    ? previous.replace(pattern, section)
    : `${previous.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
  console.error(`wrote ${path.pathname}`);
}
