import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RestAuthenticator } from '../../src/auth/rest-authenticator.ts';
import { authSourceSchema, type RestSourceConfig } from '../../src/config/auth-schema.ts';
import { TestBrowser } from '../helpers/browser.ts';
import { APP_URL, freePort, startTestServer, type TestServer, ticketFrom } from '../helpers/test-server.ts';
import { selfSignedCertificate } from '../helpers/tls-certificate.ts';

const RITA = 'rita password';

/** An Apereo-style REST authentication endpoint: Basic header or JSON body. */
async function endpoint(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of request) body += chunk;
  let username: string;
  let password: string;
  if (request.headers['content-type'] === 'application/json') {
    ({ username, password } = JSON.parse(body));
  } else {
    const basic = Buffer.from(
      (request.headers.authorization ?? '').replace(/^Basic /, ''),
      'base64',
    ).toString();
    [username, password] = [basic.slice(0, basic.indexOf(':')), basic.slice(basic.indexOf(':') + 1)];
  }
  const answer = (status: number, json?: unknown): void =>
    void response.writeHead(status, { 'content-type': 'application/json' }).end(json && JSON.stringify(json));
  if (request.method !== 'POST') return answer(405);
  if (username === 'slow') return void setTimeout(() => answer(404), 2000);
  if (username === 'broken') return answer(500);
  if (username === 'garbled') return answer(200, 'not an object');
  if (username === 'dora') return answer(403);
  if (username === 'apereo' && password === RITA) return answer(200, { id: 'apereo-user', attributes: {} });
  if (username !== 'rita') return answer(404);
  if (password !== RITA) return answer(401);
  return answer(200, {
    username: 'rita',
    attributes: { mail: 'rita@example.org', memberOf: ['staff', 'admins'], level: 3, nested: { no: 1 } },
  });
}

describe('REST authentication source', () => {
  const http = createHttpServer((req, res) => void endpoint(req, res));
  const certificate = selfSignedCertificate('127.0.0.1');
  const https = createHttpsServer(
    { key: certificate.key, cert: certificate.cert },
    (req, res) => void endpoint(req, res),
  );
  let httpUrl: string;
  let httpsUrl: string;
  let t: TestServer;

  const source = (settings: Partial<RestSourceConfig> = {}) =>
    new RestAuthenticator(
      authSourceSchema.parse({
        kind: 'rest',
        url: httpUrl,
        timeoutMs: 1000,
        ...settings,
      }) as RestSourceConfig,
    );

  before(async () => {
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/authn`;
    httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}/authn`;
    t = await startTestServer({
      settings: { auth: { sources: [{ kind: 'rest', url: httpUrl }, { kind: 'local' }] } },
    });
  });
  after(async () => {
    await t.close();
    http.close();
    https.close();
    certificate.remove();
  });

  for (const credentials of ['basic', 'json'] as const) {
    it(`accepts a 200 principal with its attributes (${credentials})`, async () => {
      assert.deepEqual(await source({ credentials }).authenticate('rita', RITA), {
        ok: true,
        username: 'rita',
        attributes: { mail: ['rita@example.org'], memberOf: ['staff', 'admins'], level: ['3'] },
      });
    });
  }

  it("reads Apereo's `id` as the username", async () => {
    const result = await source().authenticate('apereo', RITA);
    assert.equal(result.ok && result.username, 'apereo-user');
  });

  it('maps 401, 403 and 404 to wrong password, disabled account and unknown user', async () => {
    assert.deepEqual(await source().authenticate('rita', 'wrong'), {
      ok: false,
      reason: 'invalid-credentials',
    });
    assert.deepEqual(await source().authenticate('dora', 'x'), { ok: false, reason: 'disabled' });
    assert.deepEqual(await source().authenticate('nobody', 'x'), { ok: false, reason: 'unknown-user' });
  });

  it('reports errors, bad answers, time-outs and a closed port as unavailable', async () => {
    for (const username of ['broken', 'garbled', 'slow']) {
      await assert.rejects(
        source().authenticate(username, 'x'),
        { name: 'AuthSourceUnavailableError' },
        username,
      );
    }
    const closed = `http://127.0.0.1:${await freePort()}/authn`;
    await assert.rejects(source({ url: closed }).authenticate('rita', RITA), {
      name: 'AuthSourceUnavailableError',
    });
  });

  it('verifies an https endpoint against the configured CA', async () => {
    const trusted = await source({ url: httpsUrl, caFile: certificate.certFile }).authenticate('rita', RITA);
    assert.equal(trusted.ok, true);
    await assert.rejects(source({ url: httpsUrl }).authenticate('rita', RITA), {
      name: 'AuthSourceUnavailableError',
    });
  });

  it('signs in through /login; unknown users fall through to local, 401 and 403 stop', async () => {
    const rita = await t.login({
      service: APP_URL,
      username: 'rita',
      password: RITA,
      browser: new TestBrowser(),
    });
    assert.equal(rita.status, 302);
    const body = (
      await t.validate('/p3/serviceValidate', { ticket: ticketFrom(rita.location), service: APP_URL })
    ).body;
    assert.match(body, /<cas:memberOf>staff<\/cas:memberOf>\s*<cas:memberOf>admins<\/cas:memberOf>/);
    const alice = await t.login({ username: 'alice', browser: new TestBrowser() });
    assert.equal(alice.status, 200, 'a 404 lets the local source answer');
    const wrong = await t.login({ username: 'rita', password: 'wrong', browser: new TestBrowser() });
    assert.equal(wrong.status, 401);
    const disabled = await t.login({ username: 'dora', password: 'x', browser: new TestBrowser() });
    assert.match(disabled.text, /This account is disabled/);
  });
});
