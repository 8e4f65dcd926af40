import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseServiceResponse } from '@usher/protocol';
import { TestBrowser } from './helpers/browser.ts';
import { APP_URL, startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';

describe('/logout', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('ends the SSO session, clears the cookie and revokes unvalidated tickets', async () => {
    const browser = new TestBrowser();
    const ticket = ticketFrom((await t.login({ service: APP_URL, browser })).location);
    const page = await browser.get(`${t.baseUrl}/logout`);
    assert.equal(page.status, 200);
    assert.match(page.text, /You are signed out/);
    assert.match(page.headers.getSetCookie().join(), /TGC=;/);
    assert.equal(browser.cookie(new URL(t.baseUrl).host, 'TGC'), undefined);
    const again = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(again.status, 200, 'credentials are asked for again');
    const validation = await t.validate('/serviceValidate', { ticket, service: APP_URL });
    assert.equal(parseServiceResponse(validation.body).kind, 'failure');
  });

  it('a stolen cookie value is useless after logout', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    const host = new URL(t.baseUrl).host;
    const tgc = browser.cookie(host, 'TGC')!;
    await browser.get(`${t.baseUrl}/logout`);
    const thief = new TestBrowser();
    thief.setCookie(host, 'TGC', tgc);
    const page = await thief.get(`${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /name="password"/);
  });

  it('follows service (CAS 3) and url (CAS 2) only to registered services', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    const viaService = await browser.get(`${t.baseUrl}/logout?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(viaService.status, 302);
    assert.equal(viaService.location, APP_URL);
    const viaUrl = await browser.get(
      `${t.baseUrl}/logout?url=${encodeURIComponent('http://127.0.0.3:3000/bye')}`,
    );
    assert.equal(viaUrl.location, 'http://127.0.0.3:3000/bye');
    for (const evil of ['https://evil.example.com/', '//evil.example.com', 'http://127.0.0.4:3000/']) {
      const refused = await browser.get(`${t.baseUrl}/logout?service=${encodeURIComponent(evil)}`);
      assert.equal(refused.status, 200, evil);
      assert.equal(refused.location, undefined);
      assert.ok(!refused.text.includes('evil.example.com'));
    }
  });

  it('logout without a session is harmless', async () => {
    const page = await new TestBrowser().get(`${t.baseUrl}/logout`);
    assert.equal(page.status, 200);
  });
});

describe('/logout settings', () => {
  it('followServiceRedirect=false shows the page with a link; redirectToLogin sends to the form', async () => {
    const t = await startTestServer({ settings: { logout: { followServiceRedirect: false } } });
    try {
      const page = await new TestBrowser().get(`${t.baseUrl}/logout?service=${encodeURIComponent(APP_URL)}`);
      assert.equal(page.status, 200);
      assert.match(page.text, new RegExp(`href="${APP_URL}"`));
    } finally {
      await t.close();
    }
    const r = await startTestServer({
      settings: { logout: { followServiceRedirect: false, redirectToLogin: true } },
    });
    try {
      const page = await new TestBrowser().get(`${r.baseUrl}/logout?service=${encodeURIComponent(APP_URL)}`);
      assert.equal(page.status, 302);
      assert.equal(page.location, `${r.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);
    } finally {
      await r.close();
    }
  });
});

describe('SSO session lifetime', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { sso: { idleTimeout: 600, maxLifetime: 3600 } } });
  });
  after(() => t.close());

  const askService = (browser: TestBrowser) =>
    browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);

  it('ends after the idle timeout', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    t.clock.advance(599_000);
    assert.equal((await askService(browser)).status, 302, 'still alive just before the idle timeout');
    t.clock.advance(601_000);
    assert.equal((await askService(browser)).status, 200, 'idle for longer than 600 s');
  });

  it('activity extends it, but never past the hard maximum', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    for (let i = 0; i < 6; i++) {
      t.clock.advance(550_000);
      assert.equal((await askService(browser)).status, 302, `activity ${i}`);
    }
    t.clock.advance(400_000); // active 400 s ago (idle allows 600) but 3700 s after sign-in (hard maximum 3600)
    assert.equal((await askService(browser)).status, 200);
  });

  it('the sweeper removes expired sessions', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    t.clock.advance(3_700_000);
    await t.server.sweep();
    assert.equal((await askService(browser)).status, 200);
  });
});

describe('remember me', () => {
  it('keeps the session past the idle timeout and flags longTermAuthenticationRequestTokenUsed', async () => {
    const t = await startTestServer({
      settings: { sso: { idleTimeout: 600, rememberMe: true, rememberMeLifetime: 86400 } },
    });
    try {
      const browser = new TestBrowser();
      const first = await t.login({ service: APP_URL, browser, extra: { rememberMe: 'true' } });
      assert.match(first.headers.getSetCookie().join(), /Max-Age=86400/);
      t.clock.advance(3_600_000);
      const later = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);
      assert.equal(later.status, 302);
      const parsed = parseServiceResponse(
        (await t.validate('/p3/serviceValidate', { ticket: ticketFrom(later.location), service: APP_URL }))
          .body,
      );
      assert.ok(parsed.kind === 'success');
      assert.deepEqual(parsed.attributes.longTermAuthenticationRequestTokenUsed, ['true']);
    } finally {
      await t.close();
    }
  });
});
