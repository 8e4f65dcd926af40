import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { hashPassword } from '../../src/auth/password-hash.ts';
import { withTotpSecret } from '../../src/mfa/totp-enrolment.ts';
import { formField, TestBrowser } from '../helpers/browser.ts';
import { APP_URL, PASSWORD, startTestServer, type TestServer, ticketFrom } from '../helpers/test-server.ts';
import { RFC_KEY, RFC_KEY_BASE32, referenceTotp } from './totp-reference.ts';

const ALL_URL = 'http://127.0.0.5:3000/';
const SERVICES = {
  registry: [
    { name: 'App', match: 'prefix', pattern: APP_URL, attributes: { allow: ['mail'] } },
    { name: 'All', match: 'prefix', pattern: ALL_URL, attributes: { allow: ['*'] } },
  ],
};

async function enrol(t: TestServer, username: string): Promise<void> {
  const user = await t.storage.users.find(username);
  assert.ok(user);
  await t.storage.users.update(withTotpSecret(user, RFC_KEY_BASE32, t.clock()));
}

async function addUser(t: TestServer, username: string, attributes: Record<string, string[]> = {}) {
  const now = t.clock();
  await t.storage.users.create({
    username,
    passwordHash: await hashPassword(PASSWORD),
    attributes,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
}

/** Password, then the code form; returns the browser and the code form's response. */
async function passwordStep(t: TestServer, username = 'alice', service = APP_URL) {
  const browser = new TestBrowser();
  const page = await t.login({ service, username, browser });
  return { browser, page };
}

function submitCode(
  t: TestServer,
  browser: TestBrowser,
  page: { text: string },
  code: string,
  service = APP_URL,
) {
  const lt = formField(page.text, 'lt');
  assert.ok(lt, 'the code form carries a one-time token');
  return browser.post(`${t.baseUrl}/login`, { lt, code, service });
}

describe('TOTP second factor', () => {
  it('computes the RFC 6238 Appendix B codes (test reference)', () => {
    assert.equal(referenceTotp(RFC_KEY, 59_000, 8), '94287082');
    assert.equal(referenceTotp(RFC_KEY, 1_111_111_109_000, 8), '07081804');
    assert.equal(referenceTotp(RFC_KEY, 20_000_000_000_000, 8), '65353130');
  });

  describe('for an enrolled user', () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({ settings: { services: SERVICES, auth: { mfa: { maxAttempts: 3 } } } });
      await enrol(t, 'alice');
    });
    after(() => t.close());
    beforeEach(() => t.clock.advance(5 * 60_000));

    it('asks for a code after the password, then signs in and tells services MFA was used', async () => {
      const { browser, page } = await passwordStep(t);
      assert.equal(page.status, 200);
      assert.match(page.text, /Two-step verification/);
      assert.match(page.text, /name="code"/);
      assert.equal(browser.cookie(new URL(t.baseUrl).host, 'TGC'), undefined, 'no session before the code');
      const done = await submitCode(t, browser, page, referenceTotp(RFC_KEY, t.clock()));
      assert.equal(done.status, 302);
      assert.ok(browser.cookie(new URL(t.baseUrl).host, 'TGC'));
      const body = (
        await t.validate('/p3/serviceValidate', { ticket: ticketFrom(done.location), service: APP_URL })
      ).body;
      assert.match(body, /<cas:authnContextClass>mfa-totp<\/cas:authnContextClass>/);
      assert.match(t.logs.join(''), /"secondFactor":"totp","msg":"login succeeded"/);
    });

    it("accepts the previous step's code (clock drift), never a code older than the last accepted one", async () => {
      const drifted = await passwordStep(t);
      const ok = await submitCode(
        t,
        drifted.browser,
        drifted.page,
        referenceTotp(RFC_KEY, t.clock() - 30_000),
      );
      assert.equal(ok.status, 302);
      t.clock.advance(30_000);
      const current = await passwordStep(t);
      assert.equal(
        (await submitCode(t, current.browser, current.page, referenceTotp(RFC_KEY, t.clock()))).status,
        302,
      );
      // The previous step's code was never used, and drift would allow it, but a newer one was accepted.
      const older = await passwordStep(t);
      const refused = await submitCode(
        t,
        older.browser,
        older.page,
        referenceTotp(RFC_KEY, t.clock() - 30_000),
      );
      assert.equal(refused.status, 401);
    });

    it('refuses a wrong code on the code form, then takes the right one', async () => {
      const { browser, page } = await passwordStep(t);
      const right = referenceTotp(RFC_KEY, t.clock());
      const wrong = await submitCode(t, browser, page, right === '000000' ? '111111' : '000000');
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /code is incorrect/);
      assert.equal(browser.cookie(new URL(t.baseUrl).host, 'TGC'), undefined);
      const retry = await submitCode(t, browser, wrong, right);
      assert.equal(retry.status, 302);
    });

    it('accepts a code once: a replay, and any older code, is refused', async () => {
      const code = referenceTotp(RFC_KEY, t.clock());
      const first = await passwordStep(t);
      assert.equal((await submitCode(t, first.browser, first.page, code)).status, 302);
      const replay = await passwordStep(t);
      const replayed = await submitCode(t, replay.browser, replay.page, code);
      assert.equal(replayed.status, 401);
      assert.match(t.logs.join(''), /"reason":"replayed","msg":"second factor refused"/);
      t.clock.advance(30_000);
      const next = await passwordStep(t);
      assert.equal(
        (await submitCode(t, next.browser, next.page, referenceTotp(RFC_KEY, t.clock()))).status,
        302,
      );
    });

    it('refuses a second submission of the same code form', async () => {
      const { browser, page } = await passwordStep(t);
      const code = referenceTotp(RFC_KEY, t.clock());
      assert.equal((await submitCode(t, browser, page, code)).status, 302);
      const again = await submitCode(t, new TestBrowser(), page, code);
      assert.equal(again.status, 400);
      assert.match(again.text, /form expired/);
    });

    it('sends the user back to the password after maxAttempts wrong codes', async () => {
      let { browser, page } = await passwordStep(t);
      for (let attempt = 1; attempt <= 3; attempt++) {
        page = await submitCode(t, browser, page, 'abcdef');
        assert.equal(page.status, 401);
      }
      assert.match(page.text, /Too many wrong codes/);
      assert.match(page.text, /name="password"/);
      assert.equal(formField(page.text, 'code'), undefined);
    });

    it('lets the half-done sign-in expire after challengeTtl', async () => {
      const { browser, page } = await passwordStep(t);
      t.clock.advance((t.config.auth.mfa.challengeTtl + 1) * 1000);
      const late = await submitCode(t, browser, page, referenceTotp(RFC_KEY, t.clock()));
      assert.equal(late.status, 400);
      assert.match(late.text, /form expired/);
    });

    it('never releases or logs the secret', async () => {
      const { browser, page } = await passwordStep(t, 'alice', ALL_URL);
      const done = await submitCode(t, browser, page, referenceTotp(RFC_KEY, t.clock()), ALL_URL);
      const body = (
        await t.validate('/p3/serviceValidate', { ticket: ticketFrom(done.location), service: ALL_URL })
      ).body;
      assert.match(body, /<cas:mail>alice@example\.org<\/cas:mail>/);
      assert.doesNotMatch(body, new RegExp(`${RFC_KEY_BASE32}|totp-secret`));
      assert.doesNotMatch(t.logs.join(''), new RegExp(RFC_KEY_BASE32));
    });

    it('refuses the REST API, which takes no code', async () => {
      const response = await fetch(`${t.baseUrl}/v1/tickets`, {
        method: 'POST',
        body: new URLSearchParams({ username: 'alice', password: PASSWORD }),
      });
      assert.equal(response.status, 401);
      assert.match(await response.text(), /two-step verification/);
    });
  });

  it('throttles codes together with passwords', async () => {
    const t = await startTestServer({ settings: { throttle: { maxAttemptsPerUser: 4 } } });
    try {
      await enrol(t, 'alice');
      // Attempts 1-3: a password and two wrong codes.
      const first = await passwordStep(t);
      assert.equal(
        (
          await submitCode(
            t,
            first.browser,
            await submitCode(t, first.browser, first.page, 'abcdef'),
            'abcdef',
          )
        ).status,
        401,
      );
      // Attempt 4, the password again, is right; attempt 5 is over the limit.
      const { browser, page: codeForm } = await passwordStep(t);
      assert.equal(codeForm.status, 200);
      const page = await submitCode(t, browser, codeForm, referenceTotp(RFC_KEY, t.clock()));
      assert.equal(page.status, 429, 'a correct password does not reset the count while a code is due');
      assert.match(page.text, /Too many sign-in attempts/);
    } finally {
      await t.close();
    }
  });

  it('with auth.mfa.required, refuses users not enrolled and releases no authnContextClass claimed by a source', async () => {
    const t = await startTestServer({ settings: { services: SERVICES, auth: { mfa: { required: true } } } });
    try {
      const refused = await t.login({ username: 'alice', browser: new TestBrowser() });
      assert.equal(refused.status, 403);
      assert.match(refused.text, /two-step verification, which is not set up/);
      await addUser(t, 'mallory', { authnContextClass: ['mfa-totp'], mail: ['m@example.org'] });
      await enrol(t, 'mallory');
      const { browser, page } = await passwordStep(t, 'mallory', ALL_URL);
      const done = await submitCode(t, browser, page, referenceTotp(RFC_KEY, t.clock()), ALL_URL);
      const body = (
        await t.validate('/p3/serviceValidate', { ticket: ticketFrom(done.location), service: ALL_URL })
      ).body;
      assert.equal(body.match(/authnContextClass/g)?.length, 2, 'one value, opening and closing tag');
    } finally {
      await t.close();
    }
  });

  it('releases no authnContextClass without a second factor, even when a source claims one', async () => {
    const t = await startTestServer({ settings: { services: SERVICES } });
    try {
      await addUser(t, 'mallory', { authnContextClass: ['mfa-totp'] });
      const response = await t.login({ username: 'mallory', service: ALL_URL });
      assert.equal(response.status, 302);
      const body = (
        await t.validate('/p3/serviceValidate', { ticket: ticketFrom(response.location), service: ALL_URL })
      ).body;
      assert.match(body, /<cas:user>mallory<\/cas:user>/);
      assert.doesNotMatch(body, /authnContextClass/);
    } finally {
      await t.close();
    }
  });
});
