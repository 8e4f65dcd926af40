import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CasClient, CasClientError } from '../src/index.ts';
import { FakeCas } from './support/fake-cas.ts';
import { runValidationSuite } from './support/validation-suite.ts';

const SERVICE = 'http://127.0.0.2:3000/cas/callback';

runValidationSuite('the fake CAS server', async () => {
  const cas = await FakeCas.start();
  return {
    serverUrl: cas.url,
    service: SERVICE,
    user: cas.user,
    attributes: cas.attributes,
    obtainTicket: async (service) => cas.issueTicket(service),
    close: () => cas.close(),
  };
});

describe('validation failures', () => {
  let cas: FakeCas;
  const client = (options: { timeoutMs?: number; maxResponseBytes?: number } = {}) =>
    new CasClient({ serverUrl: cas.url, serviceUrl: SERVICE, ...options });
  before(async () => {
    cas = await FakeCas.start();
  });
  after(() => cas.close());

  test('a server that is down: SERVER_UNREACHABLE, naming the server', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const down = new CasClient({ serverUrl: `http://127.0.0.1:${port}/cas`, serviceUrl: SERVICE });
    await assert.rejects(down.validate('ST-1-abc'), (error: CasClientError) => {
      assert.equal(error.code, 'SERVER_UNREACHABLE');
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
  });

  test('a slow server: TIMEOUT after timeoutMs, not later', async () => {
    cas.answer = () => ({ delayMs: 5_000, body: 'late' });
    const started = Date.now();
    await assert.rejects(client({ timeoutMs: 150 }).validate('ST-1-abc'), { code: 'TIMEOUT' });
    assert.ok(Date.now() - started < 2_000);
  });

  test('a server that stalls in the middle of its body: TIMEOUT', async () => {
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const { port } = stalling.address() as AddressInfo;
    const slow = new CasClient({
      serverUrl: `http://127.0.0.1:${port}`,
      serviceUrl: SERVICE,
      timeoutMs: 150,
    });
    await assert.rejects(slow.validate('ST-1-abc'), { code: 'TIMEOUT' });
    stalling.closeAllConnections();
    stalling.close();
  });

  const invalid: [string, string][] = [
    [
      'truncated XML',
      '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess>',
    ],
    ['an HTML page', '<!doctype html><html><body>Maintenance</body></html>'],
    ['an entity expansion', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'],
    ['another XML document', '<response><user>alice</user></response>'],
    [
      'a success without a user',
      '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess/></cas:serviceResponse>',
    ],
    ['empty', ''],
  ];
  for (const [what, body] of invalid) {
    test(`${what}: INVALID_RESPONSE`, async () => {
      cas.answer = () => ({ body });
      await assert.rejects(client().validate('ST-1-abc'), { code: 'INVALID_RESPONSE' });
    });
  }

  test('an answer over maxResponseBytes: INVALID_RESPONSE', async () => {
    cas.answer = () => ({ body: `<x>${'a'.repeat(10_000)}</x>` });
    await assert.rejects(
      client({ maxResponseBytes: 1_000 }).validate('ST-1-abc'),
      (error: CasClientError) => {
        assert.equal(error.code, 'INVALID_RESPONSE');
        assert.match(error.message, /exceeds 1000 bytes/);
        return true;
      },
    );
  });

  test('HTTP 500 with a page: HTTP_ERROR with the status', async () => {
    cas.answer = () => ({ status: 500, body: '<html>oops</html>' });
    await assert.rejects(client().validate('ST-1-abc'), { code: 'HTTP_ERROR', status: 500 });
  });

  test('HTTP 400 with a CAS failure: the CAS code', async () => {
    cas.answer = () => ({
      status: 400,
      body: '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">no</cas:authenticationFailure></cas:serviceResponse>',
    });
    await assert.rejects(client().validate('ST-1-abc'), { code: 'INVALID_TICKET' });
  });

  test('HTTP 500 with a success body is still an error', async () => {
    cas.answer = () => ({
      status: 500,
      body: '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>alice</cas:user></cas:authenticationSuccess></cas:serviceResponse>',
    });
    await assert.rejects(client().validate('ST-1-abc'), { code: 'HTTP_ERROR' });
  });

  test('a redirect is not followed: HTTP_ERROR', async () => {
    cas.answer = (url) =>
      url.pathname.endsWith('/evil') ? undefined : { status: 302, headers: { location: '/evil' } };
    await assert.rejects(client().validate('ST-1-abc'), { code: 'HTTP_ERROR', status: 302 });
    assert.ok(!cas.requests.some((url) => url.pathname.endsWith('/evil')));
  });

  test('a code outside the specification: UNKNOWN_CAS_ERROR keeping the server code', async () => {
    cas.answer = () => ({
      body: '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="UNSATISFIED_AUTHN_POLICY">MFA required</cas:authenticationFailure></cas:serviceResponse>',
    });
    await assert.rejects(client().validate('ST-1-abc'), {
      code: 'UNKNOWN_CAS_ERROR',
      casCode: 'UNSATISFIED_AUTHN_POLICY',
      message: 'MFA required',
    });
  });

  test('a proxy chain on a service validation is refused unless proxy tickets are accepted', async () => {
    cas.answer = () => ({
      body: '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>alice</cas:user><cas:proxies><cas:proxy>https://evil.example/pgt</cas:proxy></cas:proxies></cas:authenticationSuccess></cas:serviceResponse>',
    });
    await assert.rejects(client().validate('ST-1-abc'), { code: 'PROXY_CHAIN_REJECTED' });
    const picky = new CasClient({
      serverUrl: cas.url,
      serviceUrl: SERVICE,
      acceptProxyTickets: (proxies) => proxies.every((p) => p.startsWith('https://trusted.example/')),
    });
    await assert.rejects(picky.validate('PT-1-abc'), { code: 'PROXY_CHAIN_REJECTED' });
    const lenient = new CasClient({ serverUrl: cas.url, serviceUrl: SERVICE, acceptProxyTickets: true });
    assert.deepEqual((await lenient.validate('PT-1-abc')).proxies, ['https://evil.example/pgt']);
    assert.ok(cas.requests.at(-1)!.pathname.endsWith('/p3/proxyValidate'));
  });

  for (const ticket of ['', 'ST-1 abc', 'ST-1-abc\n', `ST-${'a'.repeat(300)}`, 'ST-1-<x>']) {
    test(`a malformed ticket (${JSON.stringify(ticket.slice(0, 12))}) is refused without a request`, async () => {
      cas.answer = undefined;
      const before = cas.requests.length;
      await assert.rejects(client().validate(ticket), { code: 'MALFORMED_TICKET' });
      assert.equal(cas.requests.length, before);
    });
  }

  test('errors are CasClientError instances carrying a stable code', async () => {
    cas.answer = () => ({ body: 'no' });
    const error = await client()
      .validate('ST-1-abc')
      .catch((e: unknown) => e);
    assert.ok(error instanceof CasClientError);
    assert.equal(error.name, 'CasClientError');
  });
});
