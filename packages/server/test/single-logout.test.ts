import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createStorage } from '../src/storage/create-storage.ts';
import type { Clock } from '../src/storage/types.ts';
import { TestBrowser } from './helpers/browser.ts';
import { frontChannelLogoutRequest, LogoutReceiver } from './helpers/logout-receiver.ts';
import { startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';
import { selfSignedCertificate } from './helpers/tls-certificate.ts';

/** A registered service whose URLs all live under the receiver's origin. */
function serviceAt(name: string, receiver: LogoutReceiver, extra: Record<string, unknown> = {}) {
  return { name, match: 'prefix', pattern: `${receiver.origin}/`, ...extra };
}

function appUrl(receiver: LogoutReceiver): string {
  return `${receiver.origin}/app`;
}

/** Signs in to each service in turn (SSO after the first); returns the ticket each one received. */
async function signIn(t: TestServer, services: string[], browser = new TestBrowser()): Promise<string[]> {
  const tickets: string[] = [];
  for (const service of services) {
    const response =
      tickets.length === 0
        ? await t.login({ service, browser })
        : await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(service)}`);
    tickets.push(ticketFrom(response.location));
  }
  return tickets;
}

async function logout(t: TestServer, browser: TestBrowser) {
  const page = await browser.get(`${t.baseUrl}/logout`);
  await t.server.singleLogout.idle();
  return page;
}

function sqliteAt(path: string) {
  return (clock: Clock) => createStorage({ kind: 'sqlite', path }, { clock });
}

function tempDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'usher-slo-')), 'usher.db');
}

describe('back-channel single logout', () => {
  const receivers: LogoutReceiver[] = [];
  const servers: TestServer[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(receivers.map((r) => r.stop()));
  });
  async function receiversOn(...hosts: string[]): Promise<LogoutReceiver[]> {
    const created = await Promise.all(hosts.map((host) => LogoutReceiver.on(host)));
    receivers.push(...created);
    return created;
  }
  async function server(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
    const t = await startTestServer(options);
    servers.push(t);
    return t;
  }

  it('notifies the two reachable services at once and the third once it is back, after a restart, never twice', async () => {
    const [a, b, c] = await receiversOn('127.0.0.2', '127.0.0.3', '127.0.0.4');
    await Promise.all([a!.start(), b!.start()]);
    const settings = {
      services: { registry: [serviceAt('A', a!), serviceAt('B', b!), serviceAt('C', c!)] },
    };
    const storage = sqliteAt(tempDatabase());

    const first = await startTestServer({ settings, storage });
    const browser = new TestBrowser();
    const [ticketA, ticketB, ticketC] = await signIn(first, [appUrl(a!), appUrl(b!), appUrl(c!)], browser);
    const page = await logout(first, browser);
    assert.equal(page.status, 200);

    for (const [receiver, ticket] of [
      [a!, ticketA],
      [b!, ticketB],
    ] as const) {
      const [request, ...more] = receiver.logoutRequests();
      assert.equal(more.length, 0);
      assert.equal(request?.sessionIndex, ticket);
      assert.equal(request?.nameId, 'alice');
      assert.match(request?.id ?? '', /^LR-/);
      assert.equal(receiver.received[0]?.path, '/app');
    }
    assert.equal(c!.received.length, 0);
    const [pending, ...others] = await first.storage.outbox.list('pending');
    assert.equal(others.length, 0);
    assert.equal(pending?.service, 'C');
    assert.equal(pending?.attempts, 1);
    assert.equal(pending?.lastError, 'ECONNREFUSED');
    const retryIn = (pending?.nextAttemptAt ?? 0) - first.clock();
    assert.ok(
      retryIn > 4000 && retryIn <= 5000,
      `first retry due in 5 s less up to 20% jitter, not ${retryIn} ms`,
    );
    assert.ok(!first.logs.join('').includes(ticketC!), 'no log line holds a whole ticket');
    assert.match(first.logs.join(''), /"level":40.*"service":"C".*logout request failed, will retry/);
    await first.close();

    await c!.start();
    const second = await server({ settings, storage });
    second.clock.advance(retryIn - 1);
    await second.server.singleLogout.deliverDue();
    assert.equal(c!.received.length, 0, 'not before its retry is due');
    second.clock.advance(1);
    await second.server.singleLogout.deliverDue();
    assert.deepEqual(
      c!.logoutRequests().map((r) => r.sessionIndex),
      [ticketC],
    );

    second.clock.advance(24 * 3600 * 1000);
    await second.server.singleLogout.deliverDue();
    assert.deepEqual(
      [a!, b!, c!].map((r) => r.received.length),
      [1, 1, 1],
    );
    assert.deepEqual((await second.storage.outbox.list()).map((m) => [m.service, m.status]).sort(), [
      ['A', 'delivered'],
      ['B', 'delivered'],
      ['C', 'delivered'],
    ]);
    assert.deepEqual(await second.server.singleLogout.metrics.deliveryCounts('C'), {
      delivered: 1,
      retry: 0,
      failed: 0,
    });
  });

  it('retries with exponential backoff up to maxAttempts, then marks the request failed', async () => {
    const [a] = await receiversOn('127.0.0.2');
    a!.status = 500;
    await a!.start();
    const t = await server({
      settings: {
        services: { registry: [serviceAt('A', a!)] },
        singleLogout: { retry: { initialDelayMs: 1000, maxDelayMs: 3000, maxAttempts: 4, jitter: 0 } },
      },
    });
    const browser = new TestBrowser();
    const [ticket] = await signIn(t, [appUrl(a!)], browser);
    await logout(t, browser);
    const slo = t.server.singleLogout;
    const attemptsAfter = async (advanceMs: number) => {
      t.clock.advance(advanceMs);
      await slo.deliverDue();
      return a!.received.length;
    };
    assert.equal(a!.received.length, 1);
    assert.equal(await attemptsAfter(999), 1);
    assert.equal(await attemptsAfter(1), 2);
    assert.equal(await attemptsAfter(2000), 3);
    assert.equal(await attemptsAfter(2999), 3, 'the delay is capped by maxDelayMs, not shorter');
    assert.equal(await attemptsAfter(1), 4);
    assert.equal(await attemptsAfter(3600 * 1000), 4, 'a failed request is not retried');

    const [failed] = await t.storage.outbox.list('failed');
    assert.equal(failed?.attempts, 4);
    assert.equal(failed?.lastError, 'HTTP 500');
    assert.equal(failed?.sessionIndex, ticket);
    assert.deepEqual(await slo.metrics.deliveryCounts(), { delivered: 0, retry: 3, failed: 1 });
    const logs = t.logs.join('');
    assert.equal(logs.match(/logout request failed, will retry/g)?.length, 3);
    assert.match(logs, /"level":50.*logout request failed, giving up/);
    assert.ok(!logs.includes(ticket!));
  });

  it('spreads the retries of the requests a service missed, each within its jittered delay', async () => {
    const [down] = await receiversOn('127.0.0.2');
    const t = await server({ settings: { services: { registry: [serviceAt('A', down!)] } } });
    const browser = new TestBrowser();
    await signIn(
      t,
      Array.from({ length: 8 }, () => appUrl(down!)),
      browser,
    );
    await logout(t, browser);
    await t.server.singleLogout.idle();

    const pending = await t.storage.outbox.list('pending');
    assert.equal(pending.length, 8);
    const delays = pending.map((m) => m.nextAttemptAt - t.clock());
    for (const delay of delays) assert.ok(delay > 4000 && delay <= 5000, `${delay} ms`);
    assert.ok(new Set(delays).size > 1, 'the retries are not all due at the same instant');
  });

  it('after a reload, notifies a service taken out of the registry at its own URL, and says so', async () => {
    const [a, b] = await receiversOn('127.0.0.2', '127.0.0.3');
    await Promise.all([a!.start(), b!.start()]);
    const t = await server({
      settings: {
        services: { registry: [serviceAt('A', a!, { logoutUrl: `${a!.origin}/slo` }), serviceAt('B', b!)] },
      },
    });
    const browser = new TestBrowser();
    const [ticketA] = await signIn(t, [appUrl(a!), appUrl(b!)], browser);
    const running = t.server.context.config;
    const b2 = running.services.registry.find((s) => s.name === 'B')!;
    const names = await t.server.reloadServices({
      ...running,
      services: { ...running.services, registry: [{ ...b2, singleLogout: false }] },
    });
    assert.deepEqual(names, ['B']);
    await logout(t, browser);

    assert.deepEqual(
      a!.logoutRequests().map((r) => r.sessionIndex),
      [ticketA],
    );
    assert.equal(
      a!.received[0]?.path,
      '/app',
      'at the service URL: its logoutUrl went with its registration',
    );
    assert.equal(
      b!.received.length,
      0,
      'a service still registered, now without single logout, is not notified',
    );
    assert.match(
      t.logs.join(''),
      /"level":40.*"services":\["A"\].*single logout to services no longer registered/,
    );
  });

  it('counts a timeout or a redirect as a failed attempt', async () => {
    const [hanging, redirecting] = await receiversOn('127.0.0.2', '127.0.0.3');
    hanging!.respond = () => {};
    redirecting!.respond = (response) => response.writeHead(302, { location: '/login' }).end();
    await Promise.all([hanging!.start(), redirecting!.start()]);
    const t = await server({
      settings: {
        services: { registry: [serviceAt('Hanging', hanging!), serviceAt('Redirecting', redirecting!)] },
        singleLogout: { timeoutMs: 200 },
      },
    });
    const browser = new TestBrowser();
    await signIn(t, [appUrl(hanging!), appUrl(redirecting!)], browser);
    await logout(t, browser);
    const errors = Object.fromEntries(
      (await t.storage.outbox.list('pending')).map((m) => [m.service, m.lastError]),
    );
    assert.deepEqual(errors, { Hanging: 'no answer within 200 ms', Redirecting: 'HTTP 302' });
    assert.equal(redirecting!.received.length, 1, 'the redirect is not followed');
  });

  it('delivers to an https service whose certificate singleLogout.caBundle trusts; otherwise says why not', async () => {
    const certificate = selfSignedCertificate('127.0.0.7');
    try {
      const secure = await LogoutReceiver.on('127.0.0.7', certificate);
      receivers.push(secure);
      await secure.start();
      const registry = [serviceAt('Secure', secure)];
      const untrusting = await server({ settings: { services: { registry } } });
      const first = new TestBrowser();
      await signIn(untrusting, [appUrl(secure)], first);
      await logout(untrusting, first);
      const [pending] = await untrusting.storage.outbox.list('pending');
      assert.match(pending?.lastError ?? '', /self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      assert.equal(secure.received.length, 0);

      const trusting = await server({
        settings: { services: { registry }, singleLogout: { caBundle: certificate.certFile } },
      });
      const second = new TestBrowser();
      const [ticket] = await signIn(trusting, [appUrl(secure)], second);
      await logout(trusting, second);
      assert.deepEqual(
        secure.logoutRequests().map((r) => r.sessionIndex),
        [ticket],
      );
      assert.equal((await trusting.storage.outbox.list('delivered')).length, 1);
    } finally {
      certificate.remove();
    }
  });

  it('keeps at most maxParallel requests in flight', async () => {
    const [a] = await receiversOn('127.0.0.2');
    let inFlight = 0;
    let peak = 0;
    a!.respond = (response) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200).end();
      }, 30);
    };
    await a!.start();
    const t = await server({
      settings: { services: { registry: [serviceAt('A', a!)] }, singleLogout: { maxParallel: 2 } },
    });
    const browser = new TestBrowser();
    const tickets = await signIn(t, Array(6).fill(appUrl(a!)), browser);
    await logout(t, browser);
    assert.deepEqual(
      a!
        .logoutRequests()
        .map((r) => r.sessionIndex)
        .sort(),
      [...tickets].sort(),
    );
    assert.equal(peak, 2);
  });

  it('a worker round while the first send is in flight does not send the request again', async () => {
    const [a] = await receiversOn('127.0.0.2');
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    a!.respond = (response) => void released.then(() => response.writeHead(200).end());
    await a!.start();
    const t = await server({ settings: { services: { registry: [serviceAt('A', a!)] } } });
    const browser = new TestBrowser();
    await signIn(t, [appUrl(a!)], browser);
    await browser.get(`${t.baseUrl}/logout`);
    await t.server.singleLogout.deliverDue();
    release();
    await t.server.singleLogout.idle();
    assert.equal(a!.received.length, 1);
    assert.equal((await t.storage.outbox.list('delivered')).length, 1);
  });

  it('two nodes sharing the outbox never send the same request twice', async () => {
    const [a] = await receiversOn('127.0.0.2');
    await a!.start();
    const settings = { services: { registry: [serviceAt('A', a!)] } };
    const storage = sqliteAt(tempDatabase());
    const one = await server({ settings, storage });
    const two = await server({ settings, storage });
    const now = one.clock();
    await one.storage.outbox.enqueue(
      ['1', '2', '3'].map((n) => ({
        id: `SLO-${n}`,
        url: `${a!.origin}/app`,
        body: 'logoutRequest=x',
        sessionIndex: `ST-${n}`,
        service: 'A',
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    await Promise.all([one.server.singleLogout.deliverDue(), two.server.singleLogout.deliverDue()]);
    assert.deepEqual(a!.received.map((r) => r.body).sort(), Array(3).fill('logoutRequest=x'));
  });
});

describe('single logout on session expiry and revocation', () => {
  const receivers: LogoutReceiver[] = [];
  after(() => Promise.all(receivers.map((r) => r.stop())));

  async function setUp(sso: Record<string, unknown> = {}) {
    const a = await LogoutReceiver.on('127.0.0.2');
    receivers.push(a);
    await a.start();
    const t = await startTestServer({ settings: { sso, services: { registry: [serviceAt('A', a)] } } });
    return { a, t };
  }

  for (const { ending, sso, lifetime } of [
    { ending: 'times out for inactivity', sso: { idleTimeout: 600, maxLifetime: 3600 }, lifetime: 600 },
    { ending: 'reaches its maximum lifetime', sso: { idleTimeout: 7200, maxLifetime: 3600 }, lifetime: 3600 },
  ]) {
    it(`notifies services when the session ${ending}`, async () => {
      const { a, t } = await setUp(sso);
      try {
        const [ticket] = await signIn(t, [appUrl(a)]);
        const notifiedAfter = async (seconds: number) => {
          t.clock.advance(seconds * 1000);
          await t.server.sweep();
          await t.server.singleLogout.idle();
          return a.logoutRequests().map((r) => r.sessionIndex);
        };
        assert.deepEqual(await notifiedAfter(lifetime - 1), [], 'not before the session ends');
        assert.deepEqual(await notifiedAfter(2), [ticket]);
      } finally {
        await t.close();
      }
    });
  }

  it('singleLogout.enabled: false sends nothing to any service, open-mode ones included', async () => {
    const a = await LogoutReceiver.on('127.0.0.2');
    receivers.push(a);
    await a.start();
    const t = await startTestServer({
      settings: {
        singleLogout: { enabled: false },
        services: { registry: [serviceAt('A', a)], openMode: true },
      },
    });
    try {
      const browser = new TestBrowser();
      await signIn(t, [appUrl(a), 'http://127.0.0.9:1/open'], browser);
      assert.equal(t.server.context.registry.lookup(appUrl(a)).kind, 'allowed');
      await logout(t, browser);
      assert.equal(await t.server.context.termination.endAllOf('alice'), 0);
      assert.deepEqual(a.received, [], 'no logoutRequest');
      assert.equal(
        (await t.storage.outbox.list()).length,
        0,
        'nothing queued for the open-mode service either',
      );
    } finally {
      await t.close();
    }
  });

  it('admin revocation ends every session of the user, with single logout', async () => {
    const { a, t } = await setUp();
    try {
      const laptop = new TestBrowser();
      const phone = new TestBrowser();
      const tickets = [...(await signIn(t, [appUrl(a)], laptop)), ...(await signIn(t, [appUrl(a)], phone))];
      assert.equal(await t.server.context.termination.endAllOf('alice'), 2);
      await t.server.singleLogout.idle();
      assert.deepEqual(
        a
          .logoutRequests()
          .map((r) => r.sessionIndex)
          .sort(),
        tickets.sort(),
      );
      for (const browser of [laptop, phone]) {
        const page = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(appUrl(a))}`);
        assert.equal(page.status, 200, 'signed out: the form again');
      }
      assert.equal(await t.server.context.termination.endAllOf('alice'), 0);
    } finally {
      await t.close();
    }
  });
});

describe('front-channel single logout', () => {
  it('the logout page loads each front-channel service with the deflated logoutRequest; CSP allows it', async () => {
    const [back, front, silent] = await Promise.all(
      ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((h) => LogoutReceiver.on(h)),
    );
    await Promise.all([back!.start(), front!.start(), silent!.start()]);
    const t = await startTestServer({
      settings: {
        services: {
          registry: [
            serviceAt('Back', back!, { logoutUrl: `${back!.origin}/slo?from=cas` }),
            serviceAt('Front', front!, { logoutMode: 'front-channel', logoutUrl: `${front!.origin}/logout` }),
            serviceAt('Silent', silent!, { singleLogout: false }),
          ],
        },
      },
    });
    try {
      const browser = new TestBrowser();
      const [backTicket, frontTicket] = await signIn(t, [back!, front!, silent!].map(appUrl), browser);
      const session = browser.cookie(new URL(t.baseUrl).host, 'TGC')!;
      const recorded = await t.storage.model<{ serviceName: string }>('serviceAccess').findByGroup(session);
      assert.deepEqual(
        recorded.map((access) => access.payload.serviceName).sort(),
        ['Back', 'Front'],
        'a service without single logout leaves no access record',
      );
      const page = await logout(t, browser);

      const sources = [...page.text.matchAll(/<img class="beacon" alt="" src="([^"]+)">/g)].map((m) =>
        m[1]!.replace(/&amp;/g, '&'),
      );
      assert.equal(sources.length, 1);
      assert.ok(sources[0]!.startsWith(`${front!.origin}/logout?SAMLRequest=`));
      const request = frontChannelLogoutRequest(sources[0]!);
      assert.equal(request.sessionIndex, frontTicket);
      assert.equal(request.nameId, 'alice');
      assert.match(
        page.headers.get('content-security-policy') ?? '',
        new RegExp(`img-src [^;]*${front!.origin}`),
      );

      assert.equal(front!.received.length, 0, 'the server itself does not call a front-channel service');
      assert.equal(silent!.received.length, 0, 'singleLogout: false');
      assert.equal(back!.received[0]?.path, '/slo?from=cas', 'logoutUrl replaces the service URL');
      assert.equal(back!.logoutRequests()[0]?.sessionIndex, backTicket);
    } finally {
      await t.close();
      await Promise.all([back!.stop(), front!.stop(), silent!.stop()]);
    }
  });

  it('front-channel services cannot be notified on expiry: logged, not silently dropped', async () => {
    const front = await LogoutReceiver.on('127.0.0.3');
    const t = await startTestServer({
      settings: {
        sso: { idleTimeout: 600 },
        services: { registry: [serviceAt('Front', front, { logoutMode: 'front-channel' })] },
      },
    });
    try {
      await signIn(t, [appUrl(front)]);
      t.clock.advance(601 * 1000);
      await t.server.sweep();
      assert.match(t.logs.join(''), /"level":40.*"reason":"expired".*front-channel services not notified/);
    } finally {
      await t.close();
    }
  });
});

describe('/metrics', () => {
  it('is absent by default and serves the single-logout counters when enabled', async () => {
    const off = await startTestServer();
    try {
      assert.equal((await fetch(`${off.baseUrl}/metrics`)).status, 404);
    } finally {
      await off.close();
    }
    const on = await startTestServer({ settings: { metrics: { enabled: true } } });
    try {
      const response = await fetch(`${on.baseUrl}/metrics`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /# TYPE usher_slo_deliveries_total counter/);
    } finally {
      await on.close();
    }
  });
});
