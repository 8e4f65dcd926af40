import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ParsedServiceResponse, parseServiceResponse } from '@usher/protocol';
import type { ServiceConfig } from '../src/config/schema.ts';
import { proxyCallbackRefusal } from '../src/proxy/proxy-policy.ts';
import { formField, TestBrowser } from './helpers/browser.ts';
import { LogoutReceiver } from './helpers/logout-receiver.ts';
import { PgtCallbackServer } from './helpers/pgt-callback-server.ts';
import { startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';
import { selfSignedCertificate, type TlsCertificate } from './helpers/tls-certificate.ts';

const PORTAL = 'https://127.0.0.2:3000/portal/';
const BACKEND = 'https://127.0.0.3:3000/backend/';
const DATABASE = 'https://127.0.0.4:3000/db/';
const VAULT = 'https://127.0.0.4:3000/vault/';
const NO_PROXY = 'https://127.0.0.7:3000/';

const registry = [
  {
    name: 'Portal',
    match: 'prefix',
    pattern: PORTAL,
    attributes: { allow: ['mail'] },
    proxy: {
      allowed: true,
      callbackPattern: '^https://127\\.0\\.0\\.[56]:\\d+/',
      targets: ['^https://127\\.0\\.0\\.3:3000/backend/'],
    },
  },
  {
    name: 'Backend',
    match: 'prefix',
    pattern: BACKEND,
    proxy: { allowed: true, callbackPattern: '^https://127\\.0\\.0\\.5:\\d+/backend-callback' },
  },
  { name: 'Database', match: 'prefix', pattern: DATABASE, attributes: { allow: ['mail'] } },
  { name: 'Vault', match: 'prefix', pattern: VAULT, attributes: { require: { memberOf: ['wizards'] } } },
  { name: 'NoProxy', match: 'prefix', pattern: NO_PROXY },
];

async function serviceTicket(t: TestServer, service: string, browser = new TestBrowser()): Promise<string> {
  return ticketFrom((await t.login({ service, browser })).location);
}

async function call(
  t: TestServer,
  path: string,
  params: Record<string, string>,
): Promise<ParsedServiceResponse> {
  const response = await t.validate(path, params);
  assert.equal(response.status, 200, response.body);
  return parseServiceResponse(response.body, params['format'] === 'JSON' ? 'json' : 'xml');
}

function expectSuccess(parsed: ParsedServiceResponse) {
  assert.equal(parsed.kind, 'success', JSON.stringify(parsed));
  return parsed as Extract<ParsedServiceResponse, { kind: 'success' }>;
}

async function proxyTicket(t: TestServer, pgt: string, targetService: string): Promise<string> {
  const parsed = await call(t, '/proxy', { pgt, targetService });
  assert.equal(parsed.kind, 'proxySuccess', JSON.stringify(parsed));
  return (parsed as Extract<ParsedServiceResponse, { kind: 'proxySuccess' }>).proxyTicket;
}

function expectCode(parsed: ParsedServiceResponse, code: string): void {
  assert.ok(parsed.kind === 'failure' || parsed.kind === 'proxyFailure', JSON.stringify(parsed));
  assert.equal(parsed.code, code, parsed.description);
}

describe('proxy authentication', () => {
  let t: TestServer;
  let trusted: TlsCertificate;
  let untrusted: TlsCertificate;
  let callbacks: PgtCallbackServer;
  let rogue: PgtCallbackServer;
  let plain: PgtCallbackServer;

  before(async () => {
    trusted = selfSignedCertificate('127.0.0.5');
    untrusted = selfSignedCertificate('127.0.0.6');
    callbacks = await PgtCallbackServer.start('127.0.0.5', trusted);
    rogue = await PgtCallbackServer.start('127.0.0.6', untrusted);
    plain = await PgtCallbackServer.start('127.0.0.5');
    t = await startTestServer({
      settings: {
        proxy: { caBundle: trusted.certFile, callbackTimeoutMs: 400 },
        services: { registry },
      },
    });
  });
  after(async () => {
    await Promise.all([t.close(), callbacks.close(), rogue.close(), plain.close()]);
    trusted.remove();
    untrusted.remove();
  });

  /** Validates a fresh Portal ticket with a pgtUrl; returns the PGT the callback received. */
  async function portalPgt(browser?: TestBrowser): Promise<string> {
    const ticket = await serviceTicket(t, PORTAL, browser);
    const success = expectSuccess(
      await call(t, '/serviceValidate', { ticket, service: PORTAL, pgtUrl: callbacks.url() }),
    );
    assert.ok(success.proxyGrantingTicket);
    const pgt = callbacks.received.get(success.proxyGrantingTicket);
    assert.ok(pgt, 'the callback received the PGT under the IOU of the answer');
    return pgt;
  }

  it('delivers a PGT over verified HTTPS and answers with its IOU (/serviceValidate)', async () => {
    const ticket = await serviceTicket(t, PORTAL);
    const success = expectSuccess(
      await call(t, '/serviceValidate', {
        ticket,
        service: PORTAL,
        pgtUrl: callbacks.url('/proxy-callback?app=1'),
      }),
    );
    const iou = success.proxyGrantingTicket ?? '';
    assert.match(iou, /^PGTIOU-[A-Za-z0-9]+$/);
    const pgt = callbacks.received.get(iou) ?? '';
    assert.match(pgt, /^PGT-[A-Za-z0-9]{60}$/);
    assert.match(
      callbacks.requests.at(-1) ?? '',
      /^\/proxy-callback\?app=1&pgtId=PGT-/,
      'own parameters kept',
    );
    assert.ok(!t.logs.join('').includes(pgt), 'the PGT is never logged whole');
  });

  it('gives every kind of ticket its configured length (CAS_*_LEN)', async () => {
    const tickets = {
      serviceTicketLength: 40,
      proxyTicketLength: 30,
      proxyGrantingTicketLength: 80,
      proxyGrantingTicketIouLength: 50,
      loginTokenLength: 48,
    };
    const sized = await startTestServer({
      settings: { tickets, proxy: { caBundle: trusted.certFile }, services: { registry } },
    });
    try {
      const form = await new TestBrowser().get(`${sized.baseUrl}/login`);
      assert.equal(formField(form.text, 'lt')?.length, 48);
      const ticket = await serviceTicket(sized, PORTAL);
      assert.equal(ticket.length, 40);
      const success = expectSuccess(
        await call(sized, '/serviceValidate', { ticket, service: PORTAL, pgtUrl: callbacks.url() }),
      );
      const iou = success.proxyGrantingTicket ?? '';
      assert.equal(iou.length, 50);
      const pgt = callbacks.received.get(iou) ?? '';
      assert.equal(pgt.length, 80);
      const pt = await proxyTicket(sized, pgt, BACKEND);
      assert.equal(pt.length, 30);
      expectSuccess(await call(sized, '/proxyValidate', { ticket: pt, service: BACKEND }));
    } finally {
      await sized.close();
    }
  });

  it('issues proxy tickets that only /proxyValidate accepts, with the proxy chain', async () => {
    const pgt = await portalPgt();
    const ticket = await proxyTicket(t, pgt, BACKEND);
    assert.match(ticket, /^PT-/);
    assert.ok(ticket.length <= 32);

    const validated = expectSuccess(await call(t, '/proxyValidate', { ticket, service: BACKEND }));
    assert.equal(validated.user, 'alice');
    assert.deepEqual(validated.proxies, [callbacks.url()]);
    expectCode(await call(t, '/proxyValidate', { ticket, service: BACKEND }), 'INVALID_TICKET');

    const again = await call(t, '/proxy', { pgt, targetService: BACKEND, format: 'JSON' });
    assert.equal(again.kind, 'proxySuccess', JSON.stringify(again));
    const second = await proxyTicket(t, pgt, BACKEND);
    const p3 = expectSuccess(
      await call(t, '/p3/proxyValidate', { ticket: second, service: BACKEND, format: 'JSON' }),
    );
    assert.deepEqual(p3.proxies, [callbacks.url()]);
    assert.deepEqual(p3.attributes['isFromNewLogin'], ['false']);
  });

  it('refuses a proxy ticket at /serviceValidate and burns it', async () => {
    const pgt = await portalPgt();
    for (const path of ['/serviceValidate', '/p3/serviceValidate']) {
      const ticket = await proxyTicket(t, pgt, BACKEND);
      expectCode(await call(t, path, { ticket, service: BACKEND }), 'INVALID_TICKET_SPEC');
      expectCode(await call(t, '/proxyValidate', { ticket, service: BACKEND }), 'INVALID_TICKET');
    }
  });

  it('follows a two-level proxy chain, most recent proxy first', async () => {
    const portal = await portalPgt();
    const backendCallback = callbacks.url('/backend-callback');
    const backend = expectSuccess(
      await call(t, '/proxyValidate', {
        ticket: await proxyTicket(t, portal, BACKEND),
        service: BACKEND,
        pgtUrl: backendCallback,
      }),
    );
    const backendPgt = callbacks.received.get(backend.proxyGrantingTicket ?? '');
    assert.ok(backendPgt, 'the proxied service obtained its own PGT');
    const database = expectSuccess(
      await call(t, '/p3/proxyValidate', {
        ticket: await proxyTicket(t, backendPgt, DATABASE),
        service: DATABASE,
      }),
    );
    assert.equal(database.user, 'alice');
    assert.deepEqual(database.proxies, [backendCallback, callbacks.url()]);
    assert.deepEqual(database.attributes['mail'], ['alice@example.org']);
  });

  it('issues no PGT to an untrusted certificate, a plain-HTTP or a failing callback, yet validates', async () => {
    const cases: [string, PgtCallbackServer][] = [
      [rogue.url(), rogue],
      [plain.url(), plain],
      [callbacks.url('/fail'), callbacks],
      [callbacks.url('/redirect'), callbacks],
      [callbacks.url('/slow'), callbacks],
    ];
    for (const [pgtUrl, server] of cases) {
      const before = server.received.size;
      const ticket = await serviceTicket(t, PORTAL);
      const success = expectSuccess(await call(t, '/serviceValidate', { ticket, service: PORTAL, pgtUrl }));
      assert.equal(success.user, 'alice', pgtUrl);
      assert.equal(success.proxyGrantingTicket, undefined, pgtUrl);
      const delivered = [...server.received.values()].slice(before);
      for (const pgt of delivered)
        expectCode(await call(t, '/proxy', { pgt, targetService: BACKEND }), 'BAD_PGT');
    }
    assert.equal(rogue.requests.length, 0, 'nothing is sent to a peer whose certificate fails');
    assert.equal(plain.requests.length, 0, 'nothing is sent over plain HTTP');
    const logs = t.logs.join('');
    assert.match(logs, /"code":"INVALID_PROXY_CALLBACK","reason":"The proxy callback must use HTTPS"/);
    assert.match(logs, /"reason":"the callback answered HTTP 500"/);
    assert.match(logs, /"reason":"no answer within 400 ms"/);
    assert.match(logs, /"reason":"self[- ]signed certificate/);
  });

  it('follows the service proxy policy: no PGT when the service may not proxy or the callback is not its own', async () => {
    const denied = expectSuccess(
      await call(t, '/serviceValidate', {
        ticket: await serviceTicket(t, NO_PROXY),
        service: NO_PROXY,
        pgtUrl: callbacks.url(),
      }),
    );
    assert.equal(denied.proxyGrantingTicket, undefined);
    const wrongCallback = expectSuccess(
      await call(t, '/serviceValidate', {
        ticket: await serviceTicket(t, BACKEND),
        service: BACKEND,
        pgtUrl: callbacks.url('/elsewhere'),
      }),
    );
    assert.equal(wrongCallback.proxyGrantingTicket, undefined);
    const logs = t.logs.join('');
    assert.match(logs, /"code":"UNAUTHORIZED_SERVICE_PROXY"/);
    assert.match(logs, /not authorized for service 'Backend'/);
  });

  it('refuses /proxy requests with the right codes', async () => {
    const pgt = await portalPgt();
    expectCode(await call(t, '/proxy', { targetService: BACKEND }), 'INVALID_REQUEST');
    expectCode(await call(t, '/proxy', { pgt }), 'INVALID_REQUEST');
    expectCode(await call(t, '/proxy', { pgt: 'PGT-unknown', targetService: BACKEND }), 'BAD_PGT');
    expectCode(await call(t, '/proxy', { pgt: 'x'.repeat(2000), targetService: BACKEND }), 'INVALID_REQUEST');
    expectCode(await call(t, '/proxy', { pgt, targetService: DATABASE }), 'UNAUTHORIZED_SERVICE');
    expectCode(
      await call(t, '/proxy', { pgt, targetService: 'https://evil.example.com/' }),
      'UNAUTHORIZED_SERVICE',
    );
    const forBackend = await proxyTicket(t, pgt, BACKEND);
    expectCode(await call(t, '/proxyValidate', { ticket: forBackend, service: DATABASE }), 'INVALID_SERVICE');

    // Backend may proxy to any registered service, but not on behalf of a user the target refuses.
    const backend = expectSuccess(
      await call(t, '/proxyValidate', {
        ticket: await proxyTicket(t, pgt, BACKEND),
        service: BACKEND,
        pgtUrl: callbacks.url('/backend-callback'),
      }),
    );
    const backendPgt = callbacks.received.get(backend.proxyGrantingTicket ?? '')!;
    expectCode(await call(t, '/proxy', { pgt: backendPgt, targetService: VAULT }), 'UNAUTHORIZED_SERVICE');
    assert.match(
      t.logs.join(''),
      /"code":"UNAUTHORIZED_SERVICE","reason":"The user may not use the target service","detail":"missing memberOf"/,
    );
    expectCode(
      await call(t, '/proxy', { pgt: backendPgt, targetService: 'https://127.0.0.4:3000/nowhere' }),
      'UNAUTHORIZED_SERVICE',
    );
  });

  it('revokes PGTs at logout and after their lifetime', async () => {
    const browser = new TestBrowser();
    const pgt = await portalPgt(browser);
    await proxyTicket(t, pgt, BACKEND);
    await browser.get(`${t.baseUrl}/logout`);
    expectCode(await call(t, '/proxy', { pgt, targetService: BACKEND }), 'BAD_PGT');

    const expiring = await portalPgt();
    t.clock.advance(t.config.tickets.proxyGrantingTicketTtl * 1000 - 1000);
    await proxyTicket(t, expiring, BACKEND);
    t.clock.advance(2000);
    expectCode(await call(t, '/proxy', { pgt: expiring, targetService: BACKEND }), 'BAD_PGT');
  });
});

describe('proxy callbacks in local development', () => {
  let t: TestServer;
  let plain: PgtCallbackServer;
  before(async () => {
    plain = await PgtCallbackServer.start('127.0.0.5');
    t = await startTestServer({
      settings: {
        proxy: { allowInsecureLoopbackCallbacks: true },
        services: {
          registry: [
            {
              name: 'Dev',
              match: 'prefix',
              pattern: 'http://127.0.0.2:3000/app/',
              proxy: { allowed: true, callbackPattern: '^http://127\\.0\\.0\\.5:' },
            },
          ],
        },
      },
    });
  });
  after(async () => {
    await Promise.all([t.close(), plain.close()]);
  });

  it('accepts a plain-HTTP loopback callback only when allowInsecureLoopbackCallbacks is on', async () => {
    const service = 'http://127.0.0.2:3000/app/';
    const ticket = await serviceTicket(t, service);
    const success = expectSuccess(
      await call(t, '/serviceValidate', { ticket, service, pgtUrl: plain.url() }),
    );
    assert.ok(plain.received.has(success.proxyGrantingTicket ?? ''));
  });
});

describe('proxyCallbackRefusal', () => {
  const service = {
    name: 'S',
    match: 'prefix',
    pattern: 'https://app.example.org/',
    proxy: { allowed: true, callbackPattern: '', targets: [] },
  } as unknown as ServiceConfig;
  const strict = { allowInsecureLoopbackCallbacks: false };
  const dev = { allowInsecureLoopbackCallbacks: true };

  it('uses the service pattern when there is no callback pattern', () => {
    assert.equal(proxyCallbackRefusal(service, 'https://app.example.org/cb', strict), undefined);
    assert.equal(
      proxyCallbackRefusal(service, 'https://app.example.org.evil.com/cb', strict)?.code,
      'INVALID_PROXY_CALLBACK',
    );
  });

  it('never accepts plain HTTP off loopback, nor unusable URLs', () => {
    const open = { ...service, match: 'regex', pattern: '^' } as ServiceConfig;
    assert.equal(
      proxyCallbackRefusal(open, 'http://app.example.org/cb', dev)?.code,
      'INVALID_PROXY_CALLBACK',
    );
    assert.equal(proxyCallbackRefusal(open, 'http://127.0.0.1:9/cb', strict)?.code, 'INVALID_PROXY_CALLBACK');
    assert.equal(proxyCallbackRefusal(open, 'http://127.0.0.1:9/cb', dev), undefined);
    assert.equal(proxyCallbackRefusal(open, 'not a url', dev)?.code, 'INVALID_PROXY_CALLBACK');
    assert.equal(
      proxyCallbackRefusal(open, 'https://user:pw@app.example.org/', dev)?.code,
      'INVALID_PROXY_CALLBACK',
    );
  });

  it('refuses every callback of a service that may not proxy', () => {
    const closed = { ...service, proxy: { ...service.proxy, allowed: false } };
    assert.equal(
      proxyCallbackRefusal(closed, 'https://app.example.org/cb', strict)?.code,
      'UNAUTHORIZED_SERVICE_PROXY',
    );
  });
});

describe('single logout of proxied services', () => {
  it('sends a logoutRequest for the proxy ticket to the service that received it', async () => {
    const certificate = selfSignedCertificate('127.0.0.5');
    const callbacks = await PgtCallbackServer.start('127.0.0.5', certificate);
    const backendLogout = await LogoutReceiver.on('127.0.0.3');
    await backendLogout.start();
    const t = await startTestServer({
      settings: {
        proxy: { caBundle: certificate.certFile },
        services: {
          registry: [
            { ...registry[0], singleLogout: false },
            { name: 'Backend', match: 'prefix', pattern: BACKEND, logoutUrl: `${backendLogout.origin}/slo` },
          ],
        },
      },
    });
    try {
      const browser = new TestBrowser();
      const ticket = await serviceTicket(t, PORTAL, browser);
      const success = expectSuccess(
        await call(t, '/serviceValidate', { ticket, service: PORTAL, pgtUrl: callbacks.url() }),
      );
      const pgt = callbacks.received.get(success.proxyGrantingTicket ?? '') ?? '';
      const pt = await proxyTicket(t, pgt, BACKEND);
      expectSuccess(await call(t, '/proxyValidate', { ticket: pt, service: BACKEND }));
      await browser.get(`${t.baseUrl}/logout`);
      await t.server.singleLogout.idle();
      assert.deepEqual(
        backendLogout.logoutRequests().map((r) => r.sessionIndex),
        [pt],
      );
    } finally {
      await Promise.all([t.close(), callbacks.close(), backendLogout.stop()]);
      certificate.remove();
    }
  });
});
