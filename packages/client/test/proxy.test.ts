import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CasClient, type CasClientOptions, MemoryCasStore } from '../src/index.ts';
import { FakeCas } from './support/fake-cas.ts';

const SERVICE = 'http://127.0.0.2:3000/cas/callback';
const TARGET = 'http://127.0.0.3:4000/api';

describe('proxy authentication', () => {
  let cas: FakeCas;
  let receiver: Server;
  let callbackUrl: string;
  let current: CasClient;
  let callbackStatus: number | undefined;
  before(async () => {
    cas = await FakeCas.start();
    // The proxy callback endpoint as an application serves it, over real HTTP.
    receiver = createServer(async (req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const result = await current.handleProxyCallback({
        pgtId: query.get('pgtId'),
        pgtIou: query.get('pgtIou'),
      });
      res.writeHead(callbackStatus ?? result.status).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.2', resolve));
    callbackUrl = `http://127.0.0.2:${(receiver.address() as AddressInfo).port}/cas/pgt`;
  });
  after(async () => {
    receiver.close();
    await cas.close();
  });

  const proxyClient = (options: Partial<CasClientOptions> = {}) => {
    current = new CasClient({
      serverUrl: cas.url,
      serviceUrl: SERVICE,
      proxyCallbackUrl: callbackUrl,
      ...options,
    });
    return current;
  };

  test('login receives a PGT; proxyTicket gets a PT the target service can validate', async () => {
    callbackStatus = undefined;
    const client = proxyClient();
    const login = await client.authenticate(cas.issueTicket(SERVICE));
    assert.match(login.pgtIou ?? '', /^PGTIOU-/);
    const pt = await client.proxyTicket(login.pgtIou, TARGET);
    assert.match(pt, /^PT-/);
    const target = new CasClient({ serverUrl: cas.url, serviceUrl: TARGET, acceptProxyTickets: true });
    const validation = await target.validate(pt);
    assert.equal(validation.user, cas.user);
    assert.deepEqual(validation.proxies, [callbackUrl]);
    const plain = new CasClient({ serverUrl: cas.url, serviceUrl: TARGET });
    await assert.rejects(plain.validate(await client.proxyTicket(login.pgtIou, TARGET)), {
      code: 'INVALID_TICKET_SPEC',
    });
  });

  test('JSON format works for /proxy too', async () => {
    const client = proxyClient({ format: 'json' });
    const login = await client.authenticate(cas.issueTicket(SERVICE));
    assert.match(await client.proxyTicket(login.pgtIou, TARGET), /^PT-/);
  });

  test('a failed callback does not fail the login; it just gives no PGT', async () => {
    callbackStatus = 500;
    const client = proxyClient();
    const login = await client.authenticate(cas.issueTicket(SERVICE));
    assert.equal(login.principal.user, cas.user);
    assert.equal(login.pgtIou, undefined);
    await assert.rejects(client.proxyTicket(login.pgtIou, TARGET), { code: 'NO_PGT' });
    callbackStatus = undefined;
  });

  test('PGTs expire after pgtTtlMs', async () => {
    const client = proxyClient({ pgtTtlMs: 50 });
    const login = await client.authenticate(cas.issueTicket(SERVICE));
    await sleep(100);
    await assert.rejects(client.proxyTicket(login.pgtIou, TARGET), { code: 'NO_PGT' });
  });

  test('a PGT the server forgot fails BAD_PGT once, then NO_PGT without asking', async () => {
    const client = proxyClient();
    const login = await client.authenticate(cas.issueTicket(SERVICE));
    cas.expirePgts();
    await assert.rejects(client.proxyTicket(login.pgtIou, TARGET), { code: 'BAD_PGT' });
    const asked = cas.requests.length;
    await assert.rejects(client.proxyTicket(login.pgtIou, TARGET), { code: 'NO_PGT' });
    assert.equal(cas.requests.length, asked);
  });

  test('without proxyCallbackUrl: PROXY_NOT_CONFIGURED', async () => {
    const client = new CasClient({ serverUrl: cas.url, serviceUrl: SERVICE });
    await assert.rejects(client.proxyTicket('PGTIOU-1', TARGET), { code: 'PROXY_NOT_CONFIGURED' });
  });
});

describe('handleProxyCallback', () => {
  const client = (pgtStore = new MemoryCasStore()) =>
    new CasClient({
      serverUrl: 'https://cas.example.org/cas',
      serviceUrl: SERVICE,
      proxyCallbackUrl: 'https://app.example.org/pgt',
      pgtStore,
    });

  test('a bare call (servers checking the URL) answers 200 and stores nothing', async () => {
    const store = new MemoryCasStore();
    assert.deepEqual(await client(store).handleProxyCallback({}), { status: 200, stored: false });
    assert.equal(store.size, 0);
  });

  test('malformed or half calls answer 400', async () => {
    for (const params of [
      { pgtId: 'PGT-1' },
      { pgtIou: 'PGTIOU-1' },
      { pgtId: 'PGT 1', pgtIou: 'PGTIOU-1' },
      { pgtId: 'PGT-1', pgtIou: `PGTIOU-${'x'.repeat(300)}` },
    ]) {
      assert.equal((await client().handleProxyCallback(params)).status, 400, JSON.stringify(params));
    }
  });

  test('a second call for a known IOU cannot swap its PGT', async () => {
    const c = client();
    assert.equal((await c.handleProxyCallback({ pgtId: 'PGT-real', pgtIou: 'PGTIOU-1' })).stored, true);
    assert.equal((await c.handleProxyCallback({ pgtId: 'PGT-forged', pgtIou: 'PGTIOU-1' })).stored, false);
  });

  test('a PGT delivered but never named by a validation answer is not usable', async () => {
    const c = client();
    await c.handleProxyCallback({ pgtId: 'PGT-unclaimed', pgtIou: 'PGTIOU-unclaimed' });
    await assert.rejects(c.proxyTicket('PGTIOU-unclaimed', TARGET), { code: 'NO_PGT' });
  });
});
