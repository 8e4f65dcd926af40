import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formField, TestBrowser } from './helpers/browser.ts';
import { APP_URL, PASSWORD, startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';

describe('/login', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('shows a form with a one-time login token and security headers', async () => {
    const page = await new TestBrowser().get(`${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post"/);
    assert.match(formField(page.text, 'lt') ?? '', /^LT-[A-Za-z0-9]{61}$/);
    assert.equal(formField(page.text, 'service'), APP_URL);
    assert.match(page.text, /to continue to <strong>App<\/strong>/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /form-action 'self' http:\/\/127\.0\.0\.2:3000/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  });

  it('signs in, sets a safe ticket-granting cookie and redirects with a service ticket', async () => {
    const browser = new TestBrowser();
    const response = await t.login({ service: APP_URL, browser });
    assert.equal(response.status, 302);
    assert.ok(response.location?.startsWith(`${APP_URL}?ticket=ST-`));
    const ticket = ticketFrom(response.location);
    assert.ok(ticket.length <= 32, 'service tickets fit old clients (32 characters)');
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('TGC='));
    assert.ok(setCookie);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    assert.doesNotMatch(setCookie, /Secure/i, 'plain-HTTP loopback development keeps the cookie usable');
    assert.match(setCookie, /Path=\//);
  });

  it('refuses a wrong password with a clear message and no cookie', async () => {
    const browser = new TestBrowser();
    const response = await t.login({ service: APP_URL, password: 'wrong', browser });
    assert.equal(response.status, 401);
    assert.match(response.text, /username or password is incorrect/);
    assert.equal(response.location, undefined);
    assert.equal(browser.cookie(new URL(t.baseUrl).host, 'TGC'), undefined);
  });

  it('refuses an unknown user the same way as a wrong password', async () => {
    const response = await t.login({ username: 'mallory', password: 'whatever', browser: new TestBrowser() });
    assert.equal(response.status, 401);
    assert.match(response.text, /username or password is incorrect/);
  });

  it('never redirects to an unknown or disabled service', async () => {
    for (const service of ['https://evil.example.com/', 'http://127.0.0.4:3000/', 'javascript:alert(1)']) {
      const browser = new TestBrowser();
      const page = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(service)}`);
      assert.equal(page.status, 403, service);
      assert.equal(page.location, undefined);
      assert.doesNotMatch(page.text, /<form/);
      // Even with an SSO session and gateway.
      await t.login({ browser });
      const sso = await browser.get(`${t.baseUrl}/login?gateway=true&service=${encodeURIComponent(service)}`);
      assert.equal(sso.status, 403);
      assert.equal(sso.location, undefined);
    }
  });

  it('in open mode, warned about at start, gives any http(s) service a ticket and still no other scheme', async () => {
    const open = await startTestServer({ settings: { services: { registry: [], openMode: true } } });
    try {
      assert.match(
        open.logs.join(''),
        /"level":40.*services\.openMode is on: any http\(s\) URL may receive tickets/,
      );
      assert.doesNotMatch(t.logs.join(''), /openMode is on/);
      const browser = new TestBrowser();
      const anyService = 'https://anything.example.net/app?x=1';
      const redirect = await open.login({ service: anyService, browser });
      assert.equal(redirect.status, 302);
      assert.match(redirect.location ?? '', /^https:\/\/anything\.example\.net\/app\?x=1&ticket=ST-/);
      const refused = await browser.get(
        `${open.baseUrl}/login?service=${encodeURIComponent('javascript:alert(1)')}`,
      );
      assert.equal(refused.status, 403);
      assert.equal(refused.location, undefined);
    } finally {
      await open.close();
    }
  });

  it('uses the SSO session for a second service without asking for credentials', async () => {
    const browser = new TestBrowser();
    await t.login({ service: APP_URL, browser });
    const second = await browser.get(
      `${t.baseUrl}/login?service=${encodeURIComponent('http://127.0.0.3:3000/page')}`,
    );
    assert.equal(second.status, 302);
    assert.match(second.location ?? '', /^http:\/\/127\.0\.0\.3:3000\/page\?ticket=ST-/);
  });

  it('shows the signed-in page when there is a session and no service', async () => {
    const browser = new TestBrowser();
    const response = await t.login({ browser });
    assert.equal(response.status, 200);
    assert.match(response.text, /Signed in as <strong>alice<\/strong>/);
    const again = await browser.get(`${t.baseUrl}/login`);
    assert.match(again.text, /You are signed in/);
  });

  it('renew=true asks for credentials even with a session, and renew wins over gateway', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    const page = await browser.get(
      `${t.baseUrl}/login?renew=true&gateway=true&service=${encodeURIComponent(APP_URL)}`,
    );
    assert.equal(page.status, 200);
    assert.match(page.text, /name="password"/);
    assert.equal(formField(page.text, 'renew'), 'true');
  });

  it('treats renew=false and renew=0 as false', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    for (const value of ['false', '0', 'FALSE']) {
      const page = await browser.get(
        `${t.baseUrl}/login?renew=${value}&service=${encodeURIComponent(APP_URL)}`,
      );
      assert.equal(page.status, 302, value);
    }
  });

  it('gateway=true redirects without a ticket when there is no session, with one when there is', async () => {
    const browser = new TestBrowser();
    const anonymous = await browser.get(
      `${t.baseUrl}/login?gateway=true&service=${encodeURIComponent(APP_URL)}`,
    );
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.location, APP_URL);
    await t.login({ browser });
    const signedIn = await browser.get(`${t.baseUrl}/login?gateway=1&service=${encodeURIComponent(APP_URL)}`);
    assert.equal(signedIn.status, 302);
    assert.match(signedIn.location ?? '', /\?ticket=ST-/);
  });

  it('method=POST answers with an auto-submitting form carrying the ticket', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    const page = await browser.get(`${t.baseUrl}/login?method=POST&service=${encodeURIComponent(APP_URL)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(`<form id="post-redirect" method="post" action="${APP_URL}">`));
    assert.match(formField(page.text, 'ticket') ?? '', /^ST-/);
    const nonce = /<script nonce="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(nonce);
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      new RegExp(`'nonce-${nonce.replace(/[+/]/g, '\\$&')}'`),
    );
  });

  it('method=HEADER answers 200 with the service and the ticket in response headers', async () => {
    const browser = new TestBrowser();
    const form = await browser.get(`${t.baseUrl}/login?method=HEADER&service=${encodeURIComponent(APP_URL)}`);
    assert.equal(formField(form.text, 'method'), 'HEADER', 'the form carries the method');
    const signedIn = await browser.post(`${t.baseUrl}/login`, {
      lt: formField(form.text, 'lt')!,
      username: 'alice',
      password: PASSWORD,
      service: APP_URL,
      method: 'HEADER',
    });
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.location, undefined, 'no redirect');
    assert.equal(signedIn.headers.get('service'), APP_URL);
    assert.equal(signedIn.headers.get('cache-control'), 'no-store');
    const ticket = signedIn.headers.get('ticket') ?? '';
    assert.match(ticket, /^ST-/);
    const validated = await t.validate('/p3/serviceValidate', { service: APP_URL, ticket });
    assert.match(validated.body, /<cas:user>alice<\/cas:user>/);
    assert.match(validated.body, /<cas:isFromNewLogin>true<\/cas:isFromNewLogin>/);

    const sso = await browser.get(`${t.baseUrl}/login?method=header&service=${encodeURIComponent(APP_URL)}`);
    assert.equal(sso.status, 200);
    const ssoTicket = sso.headers.get('ticket') ?? '';
    assert.match(ssoTicket, /^ST-/);
    assert.notEqual(ssoTicket, ticket);
    const again = await t.validate('/p3/serviceValidate', { service: APP_URL, ticket: ssoTicket });
    assert.match(again.body, /<cas:isFromNewLogin>false<\/cas:isFromNewLogin>/);

    const unknown = await browser.get(
      `${t.baseUrl}/login?method=HEADER&service=https%3A%2F%2Fevil.example%2F`,
    );
    assert.equal(unknown.status, 403);
    assert.equal(unknown.headers.get('ticket'), null, 'no ticket for an unregistered service');
  });

  it('warn: asks for confirmation before each single sign-on redirect', async () => {
    const browser = new TestBrowser();
    await t.login({ browser, extra: { warn: 'true' } });
    const page = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Continue to App/);
    const confirmed = await browser.post(`${t.baseUrl}/login`, {
      lt: formField(page.text, 'lt')!,
      service: APP_URL,
      confirm: 'true',
    });
    assert.equal(confirmed.status, 302);
    assert.match(confirmed.location ?? '', /\?ticket=ST-/);
  });

  it('refuses a replayed or forged login form', async () => {
    const browser = new TestBrowser();
    const form = await browser.get(`${t.baseUrl}/login`);
    const lt = formField(form.text, 'lt')!;
    const fields = { lt, username: 'alice', password: PASSWORD };
    const first = await browser.post(`${t.baseUrl}/login`, fields);
    assert.equal(first.status, 200);
    const replay = await new TestBrowser().post(`${t.baseUrl}/login`, fields);
    assert.equal(replay.status, 400);
    assert.match(replay.text, /form expired/);
    const forged = await new TestBrowser().post(`${t.baseUrl}/login`, { ...fields, lt: 'LT-forged' });
    assert.equal(forged.status, 400);
  });

  it('refuses a login form older than its lifetime', async () => {
    const browser = new TestBrowser();
    const form = await browser.get(`${t.baseUrl}/login`);
    t.clock.advance((t.config.tickets.loginFormTtl + 1) * 1000);
    const late = await browser.post(`${t.baseUrl}/login`, {
      lt: formField(form.text, 'lt')!,
      username: 'alice',
      password: PASSWORD,
    });
    assert.equal(late.status, 400);
    assert.match(late.text, /form expired/);
  });

  it('escapes markup from every echoed field', async () => {
    const browser = new TestBrowser();
    const hostile = '"><script>alert(1)</script>';
    const response = await t.login({ username: hostile, password: 'x', browser });
    assert.equal(response.status, 401);
    assert.doesNotMatch(response.text, /<script>alert/);
    assert.match(response.text, /&quot;&gt;&lt;script&gt;/);
    const page = await browser.get(
      `${t.baseUrl}/login?service=${encodeURIComponent(`${APP_URL}"><script>x</script>`)}`,
    );
    assert.doesNotMatch(page.text, /<script>x/);
  });

  it('answers hostile parameters with a clear 400, never a crash', async () => {
    const browser = new TestBrowser();
    const huge = await browser.get(`${t.baseUrl}/login?service=${'a'.repeat(5000)}`);
    assert.equal(huge.status, 400);
    assert.match(huge.text, /longer than/);
    // Undecodable percent-escapes stay as they are: the result is simply no registered service.
    const badUtf8 = await browser.get(
      `${t.baseUrl}/login?service=http%3A%2F%2F127.0.0.2%3A3000%2Fapp%2F%ff%fe`,
    );
    assert.ok([400, 403].includes(badUtf8.status), String(badUtf8.status));
    assert.equal(badUtf8.location, undefined);
    const ambiguous = await browser.get(
      `${t.baseUrl}/login?service=${encodeURIComponent(APP_URL)}&service=x`,
    );
    assert.equal(ambiguous.status, 400);
    const hugeBody = await browser.post(`${t.baseUrl}/login`, {
      username: 'x'.repeat(100_000),
      password: 'y',
    });
    assert.equal(hugeBody.status, 413);
    assert.doesNotMatch(hugeBody.text, /at .*\.ts/);
  });

  it('throttles password guessing per username', async () => {
    const browser = new TestBrowser();
    const limit = t.config.throttle.maxAttemptsPerUser;
    for (let i = 0; i < limit; i++) await t.login({ username: 'bob', password: `guess${i}`, browser });
    const blocked = await t.login({ username: 'bob', password: 'guess', browser });
    assert.equal(blocked.status, 429);
    assert.match(blocked.text, /Too many sign-in attempts/);
  });

  it('never logs a password or a whole live ticket', async () => {
    const browser = new TestBrowser();
    const response = await t.login({ service: APP_URL, browser });
    const ticket = ticketFrom(response.location);
    const logs = t.logs.join('');
    assert.doesNotMatch(logs, new RegExp(PASSWORD));
    assert.ok(!logs.includes(ticket));
    assert.ok(logs.includes(`"ST-…${ticket.slice(-6)}"`), 'its last characters correlate the log lines');
    assert.match(logs, /"msg":"login succeeded"/);
    assert.match(logs, /"level":30/);
  });
});
