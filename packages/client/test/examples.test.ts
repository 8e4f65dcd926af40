import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Browser, last } from './support/browser.ts';
import { FakeCas } from './support/fake-cas.ts';
import { freePort } from './support/free-port.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts an example as a user would (tsx, configured by env) and waits for its "listening" line. */
async function startExample(name: string, casUrl: string): Promise<{ origin: string; child: ChildProcess }> {
  const port = await freePort('127.0.0.2');
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}/server.ts`], {
    cwd: ROOT,
    env: { ...process.env, CAS_SERVER_URL: casUrl, HOST: '127.0.0.2', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
  return { origin: `http://127.0.0.2:${port}`, child };
}

for (const name of ['express-app', 'fastify-app', 'hono-app']) {
  describe(`examples/${name}`, () => {
    let cas: FakeCas;
    let example: { origin: string; child: ChildProcess };
    before(async () => {
      cas = await FakeCas.start();
      example = await startExample(name, cas.url);
    });
    after(async () => {
      example?.child.kill();
      if (example && example.child.exitCode === null) await once(example.child, 'exit');
      await cas?.close();
    });

    test('anonymous home, login through the CAS server, profile, logout', async () => {
      const browser = new Browser();
      assert.match(last(await browser.follow(`${example.origin}/`)).body, /Anonymous/);
      const profile = last(await browser.follow(`${example.origin}/profile`));
      assert.equal(profile.status, 200);
      assert.equal(JSON.parse(profile.body).user, cas.user);
      assert.match(last(await browser.follow(`${example.origin}/`)).body, /Hello alice/);
      await browser.follow(`${example.origin}/cas/logout`);
      assert.equal((await browser.get(`${example.origin}/profile`)).status, 302);
    });
  });
}
