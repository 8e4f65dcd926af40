import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { CasClient, type CasClientOptions, type CasFlowOptions } from '../../src/index.ts';
import { Browser, last } from './browser.ts';
import { FakeCas } from './fake-cas.ts';
import { freePort } from './free-port.ts';

/**
 * The app every adapter test builds, on `origin`: the CAS routes at their defaults, and
 * `GET /private` (login required) → `{ user, attributes }`, `POST /private` likewise, `/renewed` likewise
 * behind `requireLogin({ renew: true })`,
 * `GET /public` (optional login) → `{ user: string | null }`, `GET /pt?target=` (login required) →
 * `{ pt }` from the adapter's `proxyTicket`.
 */
export type StartApp = (
  client: CasClient,
  flowOptions: CasFlowOptions,
  origin: { host: string; port: number },
) => Promise<{ close(): Promise<void> }>;

const HOST = '127.0.0.2';

/** One suite for every adapter, so they cannot drift apart. */
export function runAdapterSuite(name: string, startApp: StartApp): void {
  describe(`${name} adapter`, () => {
    let cas: FakeCas;
    const apps: { close(): Promise<void> }[] = [];
    before(async () => {
      cas = await FakeCas.start();
    });
    after(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await cas.close();
    });

    /** Starts an app against the fake CAS (or `serverUrl`); returns its origin. */
    const start = async (client: Partial<CasClientOptions> = {}, flowOptions: CasFlowOptions = {}) => {
      const port = await freePort(HOST);
      const origin = `http://${HOST}:${port}`;
      const casClient = new CasClient({
        serverUrl: cas.url,
        serviceUrl: `${origin}/cas/callback`,
        proxyCallbackUrl: `${origin}/cas/pgt`,
        ...client,
      });
      apps.push(await startApp(casClient, flowOptions, { host: HOST, port }));
      return origin;
    };
    let app: string;
    before(async () => {
      app = await start();
    });

    /** Logs a new browser in through `/private`; returns it with the ticket used. */
    const loggedIn = async (origin = app) => {
      const browser = new Browser();
      const pages = await browser.follow(`${origin}/private`);
      const callback = pages.find((p) => p.url.includes('ticket='));
      assert.ok(callback, 'went through the callback');
      assert.equal(last(pages).status, 200);
      return { browser, ticket: new URL(callback.url).searchParams.get('ticket')! };
    };
    const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

    test('an anonymous browser is sent to the CAS server, with the page as next', async () => {
      const page = await new Browser().get(`${app}/private?x=1`);
      assert.equal(page.status, 302);
      const login = new URL(page.location!);
      assert.equal(login.origin + login.pathname, `${cas.url}/login`);
      assert.equal(
        login.searchParams.get('service'),
        `${app}/cas/callback?next=${encodeURIComponent('/private?x=1')}`,
      );
    });

    test('login: ticket → session → back to the page, with user and attributes', async () => {
      const pages = await new Browser().follow(`${app}/private`);
      assert.deepEqual(
        pages.map((p) => p.status),
        [302, 302, 302, 200],
      );
      assert.equal(last(pages).url, `${app}/private`);
      assert.deepEqual(json(last(pages).body), { user: cas.user, attributes: cas.attributes });
    });

    test('the session id changes at login (no fixation)', async () => {
      const browser = new Browser();
      await browser.follow(`${app}/public`);
      const before = new Map(browser.cookies(app));
      assert.ok(before.size > 0, 'an anonymous session exists');
      await browser.follow(`${app}/cas/login?next=/private`);
      const after = browser.cookies(app);
      for (const [name, value] of before) assert.notEqual(after.get(name), value, name);
    });

    test('requests other than GET get 401, not a redirect', async () => {
      const page = await new Browser().request(`${app}/private`, { method: 'POST' });
      assert.equal(page.status, 401);
    });

    test('loginPath with next lands on next; logged in, it goes straight there', async () => {
      const browser = new Browser();
      assert.equal(last(await browser.follow(`${app}/cas/login?next=%2Fprivate`)).url, `${app}/private`);
      const again = await browser.get(`${app}/cas/login?next=%2Fpublic`);
      assert.equal(again.location, `${app}/public`);
    });

    for (const next of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
    ]) {
      test(`next=${JSON.stringify(next)} cannot redirect off-site`, async () => {
        const browser = new Browser();
        const pages = await browser.follow(`${app}/cas/login?next=${encodeURIComponent(next)}`);
        assert.equal(last(pages).url, `${app}/`);
        // A ticket issued for a service URL carrying the hostile next, replayed straight to the callback.
        const service = `${app}/cas/callback?next=${encodeURIComponent(next)}`;
        const page = await new Browser().get(`${service}&ticket=${cas.issueTicket(service)}`);
        assert.equal(page.status, 302);
        assert.equal(page.location, `${app}/`);
      });
    }

    test('a reused ticket is refused (401) and logs no one in', async () => {
      const { ticket } = await loggedIn();
      const thief = new Browser();
      const page = await thief.get(`${app}/cas/callback?next=%2Fprivate&ticket=${ticket}`);
      assert.equal(page.status, 401);
      assert.match(page.body, /INVALID_TICKET/);
      assert.equal((await thief.get(`${app}/private`)).status, 302);
    });

    test('a ticket for another service is refused (401 INVALID_SERVICE)', async () => {
      const ticket = cas.issueTicket('https://other.example/');
      const page = await new Browser().get(`${app}/cas/callback?ticket=${ticket}`);
      assert.equal(page.status, 401);
      assert.match(page.body, /INVALID_SERVICE/);
    });

    test('CAS server down: 502 SERVER_UNREACHABLE, no login', async () => {
      const down = await start({ serverUrl: `http://127.0.0.1:${await freePort('127.0.0.1')}/cas` });
      const browser = new Browser();
      const page = await browser.get(`${down}/cas/callback?ticket=ST-1-abcdef`);
      assert.equal(page.status, 502);
      assert.match(page.body, /SERVER_UNREACHABLE/);
      assert.equal((await browser.get(`${down}/private`)).status, 302);
    });

    test('CAS server slow: 504 TIMEOUT, no login', async () => {
      const slow = await start({ timeoutMs: 100 });
      cas.answer = (url) =>
        url.pathname.endsWith('serviceValidate') ? { delayMs: 2_000, body: '' } : undefined;
      try {
        const browser = new Browser();
        const page = await browser.get(
          `${slow}/cas/callback?ticket=${cas.issueTicket(`${slow}/cas/callback`)}`,
        );
        assert.equal(page.status, 504);
        assert.match(page.body, /TIMEOUT/);
        assert.equal((await browser.get(`${slow}/private`)).status, 302);
      } finally {
        cas.answer = undefined;
      }
    });

    test('invalid XML from the server: 502 INVALID_RESPONSE, no login', async () => {
      cas.answer = (url) =>
        url.pathname.endsWith('serviceValidate') ? { body: '<cas:serviceResponse' } : undefined;
      try {
        const page = await new Browser().get(`${app}/cas/callback?ticket=ST-1-abcdef`);
        assert.equal(page.status, 502);
        assert.match(page.body, /INVALID_RESPONSE/);
      } finally {
        cas.answer = undefined;
      }
    });

    test('optional login: one gateway round trip, then anonymous', async () => {
      const browser = new Browser();
      const pages = await browser.follow(`${app}/public`);
      assert.equal(new URL(pages[0]!.location!).searchParams.get('gateway'), 'true');
      assert.deepEqual(json(last(pages).body), { user: null });
      const again = await browser.get(`${app}/public`);
      assert.equal(again.status, 200);
    });

    test('optional login: with an SSO session at the server, the user is logged in silently', async () => {
      const browser = new Browser();
      await browser.get(`${cas.url}/login?service=${encodeURIComponent('https://elsewhere.example/')}`);
      assert.ok(browser.cookies(cas.url).size > 0, 'SSO cookie at the server');
      const pages = await browser.follow(`${app}/public`);
      assert.deepEqual(json(last(pages).body), { user: cas.user });
    });

    test('logout: local session ended, then the CAS logout, then next', async () => {
      const { browser } = await loggedIn();
      const page = await browser.get(`${app}/cas/logout?next=%2Fpublic`);
      const logout = new URL(page.location!);
      assert.equal(logout.origin + logout.pathname, `${cas.url}/logout`);
      assert.equal(logout.searchParams.get('service'), `${app}/public`);
      assert.equal((await browser.get(`${app}/private`)).status, 302);
      const next = await browser.get(page.location!);
      assert.equal(next.location, `${app}/public`);
      assert.equal(browser.cookies(cas.url).size, 0, 'SSO session ended');
    });

    test('logout with logoutCompletely false stays local', async () => {
      const local = await start({}, { logoutCompletely: false, redirectUrl: '/public' });
      const { browser } = await loggedIn(local);
      const page = await browser.get(`${local}/cas/logout?next=https://evil.example/`);
      assert.equal(page.location, `${local}/public`);
      assert.equal((await browser.get(`${local}/private`)).status, 302);
    });

    test('single logout from the server destroys the session', async () => {
      const { browser } = await loggedIn();
      await browser.get(`${cas.url}/logout`);
      assert.equal(last(cas.logoutDeliveries).status, 200);
      assert.equal((await browser.get(`${app}/private`)).status, 302);
    });

    test('forged or unknown logout requests change nothing', async () => {
      const { browser, ticket } = await loggedIn();
      assert.equal(await cas.sendLogoutRequest(`${app}/cas/callback`, 'ST-1-guessed'), 200);
      const forged = await fetch(`${app}/cas/callback`, {
        method: 'POST',
        body: new URLSearchParams({ logoutRequest: `<x><SessionIndex>${ticket}</SessionIndex></x>` }),
      });
      assert.equal(forged.status, 400);
      const noField = await fetch(`${app}/cas/callback`, {
        method: 'POST',
        body: new URLSearchParams({ ticket }),
      });
      assert.equal(noField.status, 400);
      assert.equal((await browser.get(`${app}/private`)).status, 200);
      assert.equal(await cas.sendLogoutRequest(`${app}/cas/callback`, ticket), 200);
      assert.equal((await browser.get(`${app}/private`)).status, 302);
    });

    for (const [format, deflate] of [
      ['zlib', deflateSync],
      ['raw', deflateRawSync],
    ] as const) {
      test(`front-channel logout (${format} deflate) from any browser destroys the session`, async () => {
        const { browser, ticket } = await loggedIn();
        // The service URL the ticket was issued for, as Usher uses it without a logoutUrl: next included.
        const url = cas.frontChannelLogoutUrl(`${app}/cas/callback?next=%2Fprivate`, ticket, deflate);
        const page = await new Browser().get(url);
        assert.equal(page.status, 200);
        assert.equal(page.location, undefined);
        assert.equal((await browser.get(`${app}/private`)).status, 302);
      });
    }

    test('front-channel logout by the browser of that very session ends it', async () => {
      const { browser, ticket } = await loggedIn();
      assert.equal((await browser.get(cas.frontChannelLogoutUrl(`${app}/cas/callback`, ticket))).status, 200);
      assert.equal((await browser.get(`${app}/private`)).status, 302);
      assert.equal((await new Browser().get(`${app}/private`)).status, 302);
    });

    test('forged, malformed or unknown front-channel requests change nothing', async () => {
      const { browser, ticket } = await loggedIn();
      const withSamlRequest = (value: string) =>
        `${app}/cas/callback?${new URLSearchParams({ SAMLRequest: value })}`;
      const unknown = cas.frontChannelLogoutUrl(`${app}/cas/callback`, 'ST-1-guessed');
      assert.equal((await new Browser().get(unknown)).status, 200);
      const bomb = deflateSync(`<samlp:LogoutRequest>${' '.repeat(10_000_000)}</samlp:LogoutRequest>`);
      for (const value of [
        '',
        'not base64!',
        Buffer.from(`<x><SessionIndex>${ticket}</SessionIndex></x>`).toString('base64'),
        deflateSync(`<x><SessionIndex>${ticket}</SessionIndex></x>`).toString('base64'),
        bomb.toString('base64'),
      ]) {
        assert.equal((await new Browser().get(withSamlRequest(value))).status, 400, value.slice(0, 40));
      }
      assert.equal((await browser.get(`${app}/private`)).status, 200);
    });

    test('requireLogin({ renew }): a session from single sign-on gives the password again', async () => {
      const { browser } = await loggedIn();
      const page = await browser.get(`${app}/renewed`);
      const login = new URL(page.location!);
      assert.equal(login.origin + login.pathname, `${cas.url}/login`);
      assert.equal(login.searchParams.get('renew'), 'true');
      assert.equal(login.searchParams.get('service'), `${app}/cas/callback?next=%2Frenewed&renew=true`);
      const pages = await browser.follow(page.location!);
      assert.equal(last(pages).url, `${app}/renewed`);
      assert.deepEqual(json(last(pages).body), { user: cas.user, attributes: cas.attributes });
      const validation = cas.requests.findLast((url) => url.pathname.endsWith('serviceValidate'));
      assert.equal(validation?.searchParams.get('renew'), 'true');
      assert.equal((await browser.get(`${app}/renewed`)).status, 200, 'renewed once is enough');
      assert.equal((await browser.get(`${app}/private`)).status, 200);
    });

    test('requireLogin({ renew }): a ticket from single sign-on is refused, nothing changes', async () => {
      const { browser } = await loggedIn();
      const service = `${app}/cas/callback?next=%2Frenewed&renew=true`;
      // Straight to the server without renew: it answers from the SSO session.
      const sso = await browser.get(`${cas.url}/login?service=${encodeURIComponent(service)}`);
      const refused = await browser.get(sso.location!);
      assert.equal(refused.status, 401);
      assert.match(refused.body, /INVALID_TICKET/);
      assert.equal((await browser.get(`${app}/private`)).status, 200);
      assert.equal((await browser.get(`${app}/renewed`)).status, 302);
      assert.equal((await browser.request(`${app}/renewed`, { method: 'POST' })).status, 401);
    });

    test('optional login: gateway again after gatewayRetryAfterMs, for a login elsewhere', async () => {
      const retrying = await start({}, { gatewayRetryAfterMs: 300 });
      const browser = new Browser();
      assert.deepEqual(json(last(await browser.follow(`${retrying}/public`)).body), { user: null });
      await browser.get(`${cas.url}/login?service=${encodeURIComponent('https://elsewhere.example/')}`);
      const soon = await browser.get(`${retrying}/public`);
      assert.equal(soon.status, 200, 'not within the interval');
      assert.deepEqual(json(soon.body), { user: null });
      await sleep(350);
      const later = await browser.follow(`${retrying}/public`);
      assert.equal(new URL(later[0]!.location!).searchParams.get('gateway'), 'true');
      assert.deepEqual(json(last(later).body), { user: cas.user });
    });

    test('optional login: a gateway trip longer than the interval does not loop', async () => {
      const retrying = await start({}, { gatewayRetryAfterMs: 100 });
      cas.answer = (url) =>
        url.pathname.endsWith('/login')
          ? { status: 302, headers: { location: url.searchParams.get('service')! }, delayMs: 250 }
          : undefined;
      try {
        const pages = await new Browser().follow(`${retrying}/public`, 4);
        assert.deepEqual(json(last(pages).body), { user: null });
      } finally {
        cas.answer = undefined;
      }
    });

    test('proxy: the callback route stores the PGT, proxyTicket gets a PT', async () => {
      const { browser } = await loggedIn();
      const page = await browser.get(`${app}/pt?target=${encodeURIComponent('https://api.example/')}`);
      assert.equal(page.status, 200);
      assert.match(String(json(page.body)['pt']), /^PT-/);
    });

    test('storeNext keeps next out of the service URL', async () => {
      const stored = await start({}, { storeNext: true });
      const browser = new Browser();
      const pages = await browser.follow(`${stored}/private`);
      assert.equal(new URL(pages[0]!.location!).searchParams.get('service'), `${stored}/cas/callback`);
      assert.equal(last(pages).url, `${stored}/private`);
    });

    test('keepAttributes false keeps only the user in the session', async () => {
      const bare = await start({}, { keepAttributes: false });
      const pages = await new Browser().follow(`${bare}/private`);
      assert.deepEqual(json(last(pages).body), { user: cas.user, attributes: {} });
    });

    test('a refused user gets 403 and no session', async () => {
      const picky = await start({ rejectAttributes: () => 'staff only' });
      const browser = new Browser();
      const page = last(await browser.follow(`${picky}/private`));
      assert.equal(page.status, 403);
      assert.match(page.body, /ATTRIBUTES_REJECTED/);
      const nameless = await start({ cleanUsername: () => '' });
      const refused = last(await new Browser().follow(`${nameless}/private`));
      assert.equal(refused.status, 403);
      assert.match(refused.body, /USERNAME_REJECTED/);
    });
  });
}
