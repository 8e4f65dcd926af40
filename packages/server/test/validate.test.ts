import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTicketId, parseCas1Response, parseServiceResponse } from '@usher/protocol';
import { TestBrowser } from './helpers/browser.ts';
import { APP_URL, startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';

describe('ticket validation', () => {
  let t: TestServer;
  let browser: TestBrowser;
  before(async () => {
    t = await startTestServer();
    browser = new TestBrowser();
    await t.login({ browser });
  });
  after(() => t.close());

  async function issue(service = APP_URL): Promise<string> {
    const response = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(service)}`);
    return ticketFrom(response.location);
  }

  function failureCode(body: string, format: 'xml' | 'json' = 'xml'): string {
    const parsed = parseServiceResponse(body, format);
    assert.equal(parsed.kind, 'failure', body);
    return parsed.kind === 'failure' ? parsed.code : '';
  }

  describe('/validate (CAS 1)', () => {
    it('answers yes and the user, then no for the same ticket', async () => {
      const ticket = await issue();
      const first = await t.validate('/validate', { ticket, service: APP_URL });
      assert.equal(first.body, 'yes\nalice\n');
      assert.match(first.type ?? '', /^text\/plain/);
      const second = await t.validate('/validate', { ticket, service: APP_URL });
      assert.equal(second.body, 'no\n\n');
      assert.deepEqual(parseCas1Response(second.body), { kind: 'failure' });
    });

    it('answers no for missing parameters and unknown tickets', async () => {
      assert.equal((await t.validate('/validate', { service: APP_URL })).body, 'no\n\n');
      assert.equal((await t.validate('/validate', { ticket: 'ST-nope', service: APP_URL })).body, 'no\n\n');
    });
  });

  describe('/serviceValidate (CAS 2) and /p3/serviceValidate (CAS 3)', () => {
    it('CAS 2 returns the user without attributes', async () => {
      const ticket = await issue();
      const response = await t.validate('/serviceValidate', { ticket, service: APP_URL });
      assert.equal(response.status, 200);
      assert.match(response.type ?? '', /xml/);
      assert.match(response.body, /<cas:serviceResponse xmlns:cas="http:\/\/www\.yale\.edu\/tp\/cas">/);
      const parsed = parseServiceResponse(response.body, 'xml');
      assert.equal(parsed.kind, 'success');
      if (parsed.kind === 'success') {
        assert.equal(parsed.user, 'alice');
        assert.deepEqual(parsed.attributes, {});
      }
    });

    it('CAS 3 releases the allowed attributes and the authentication attributes', async () => {
      const ticket = await issue();
      const response = await t.validate('/p3/serviceValidate', { ticket, service: APP_URL });
      const parsed = parseServiceResponse(response.body, 'xml');
      assert.equal(parsed.kind, 'success');
      if (parsed.kind !== 'success') return;
      assert.equal(parsed.user, 'alice');
      assert.deepEqual(parsed.attributes.memberOf, ['staff', 'admins']);
      assert.deepEqual(parsed.attributes.mail, ['alice@example.org']);
      assert.deepEqual(parsed.attributes.displayName, ['Alice <Admin>']);
      assert.equal(parsed.attributes.secret, undefined, 'attributes outside the allow-list stay private');
      assert.deepEqual(parsed.attributes.isFromNewLogin, ['false']);
      assert.deepEqual(parsed.attributes.longTermAuthenticationRequestTokenUsed, ['false']);
      assert.ok(!Number.isNaN(Date.parse(parsed.attributes.authenticationDate?.[0] ?? '')));
      assert.match(response.body, /<cas:displayName>Alice &lt;Admin&gt;<\/cas:displayName>/);
    });

    it('isFromNewLogin is true for the ticket issued right after the password', async () => {
      const fresh = new TestBrowser();
      const ticket = ticketFrom((await t.login({ service: APP_URL, browser: fresh })).location);
      const parsed = parseServiceResponse(
        (await t.validate('/p3/serviceValidate', { ticket, service: APP_URL })).body,
      );
      assert.ok(parsed.kind === 'success');
      assert.deepEqual(parsed.attributes.isFromNewLogin, ['true']);
    });

    it('format=JSON gives the same structure as JSON', async () => {
      const ticket = await issue();
      const response = await t.validate('/p3/serviceValidate', { ticket, service: APP_URL, format: 'json' });
      assert.match(response.type ?? '', /application\/json/);
      const json = JSON.parse(response.body);
      assert.equal(json.serviceResponse.authenticationSuccess.user, 'alice');
      assert.deepEqual(json.serviceResponse.authenticationSuccess.attributes.memberOf, ['staff', 'admins']);
      const failure = await t.validate('/p3/serviceValidate', { ticket, service: APP_URL, format: 'JSON' });
      assert.equal(JSON.parse(failure.body).serviceResponse.authenticationFailure.code, 'INVALID_TICKET');
    });

    it('INVALID_REQUEST when a parameter is missing', async () => {
      for (const path of ['/serviceValidate', '/p3/serviceValidate']) {
        assert.equal(failureCode((await t.validate(path, { service: APP_URL })).body), 'INVALID_REQUEST');
        assert.equal(failureCode((await t.validate(path, { ticket: 'ST-x' })).body), 'INVALID_REQUEST');
      }
    });

    it('INVALID_TICKET for an unknown or malformed ticket', async () => {
      const unknown = generateTicketId('ST', 32);
      assert.equal(
        failureCode((await t.validate('/serviceValidate', { ticket: unknown, service: APP_URL })).body),
        'INVALID_TICKET',
      );
      assert.equal(
        failureCode((await t.validate('/serviceValidate', { ticket: 'garbage', service: APP_URL })).body),
        'INVALID_TICKET',
      );
      const huge = await t.validate('/serviceValidate', {
        ticket: `ST-${'a'.repeat(2000)}`,
        service: APP_URL,
      });
      assert.equal(failureCode(huge.body), 'INVALID_REQUEST');
    });

    it('a ticket is single use: the second validation fails', async () => {
      const ticket = await issue();
      assert.equal(
        parseServiceResponse((await t.validate('/serviceValidate', { ticket, service: APP_URL })).body).kind,
        'success',
      );
      assert.equal(
        failureCode((await t.validate('/serviceValidate', { ticket, service: APP_URL })).body),
        'INVALID_TICKET',
      );
    });

    it('concurrent validations of one ticket: exactly one succeeds', async () => {
      const ticket = await issue();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => t.validate('/serviceValidate', { ticket, service: APP_URL })),
      );
      assert.equal(results.filter((r) => parseServiceResponse(r.body).kind === 'success').length, 1);
    });

    it('INVALID_SERVICE for another service, and the ticket is burned', async () => {
      const ticket = await issue();
      const wrong = await t.validate('/serviceValidate', { ticket, service: 'http://127.0.0.3:3000/' });
      assert.equal(failureCode(wrong.body), 'INVALID_SERVICE');
      const right = await t.validate('/serviceValidate', { ticket, service: APP_URL });
      assert.equal(failureCode(right.body), 'INVALID_TICKET');
    });

    it('tolerates a trailing slash or a URL-encoded-twice service from sloppy clients', async () => {
      const service = 'http://127.0.0.2:3000/app/page';
      const ticket = await issue(service);
      const ok = await t.validate('/serviceValidate', { ticket, service: `${service}/` });
      assert.equal(parseServiceResponse(ok.body).kind, 'success', ok.body);
      const twice = await issue(service);
      const encoded = await t.validate('/serviceValidate', {
        ticket: twice,
        service: encodeURIComponent(service),
      });
      assert.equal(parseServiceResponse(encoded.body).kind, 'success', encoded.body);
    });

    it('renew=true refuses a ticket that came from single sign-on', async () => {
      const ticket = await issue();
      const response = await t.validate('/serviceValidate', { ticket, service: APP_URL, renew: 'true' });
      assert.equal(failureCode(response.body), 'INVALID_TICKET');
      const fresh = new TestBrowser();
      const primary = ticketFrom((await t.login({ service: APP_URL, browser: fresh })).location);
      const ok = await t.validate('/serviceValidate', { ticket: primary, service: APP_URL, renew: 'true' });
      assert.equal(parseServiceResponse(ok.body).kind, 'success');
    });

    it('expired tickets fail (injected clock, no sleeping)', async () => {
      const ticket = await issue();
      t.clock.advance((t.config.tickets.serviceTicketTtl + 1) * 1000);
      assert.equal(
        failureCode((await t.validate('/serviceValidate', { ticket, service: APP_URL })).body),
        'INVALID_TICKET',
      );
    });

    it('accepts the doubled slash some clients send for /p3 paths', async () => {
      const ticket = await issue();
      const response = await fetch(
        `${t.baseUrl}//p3/serviceValidate?${new URLSearchParams({ ticket, service: APP_URL })}`,
      );
      assert.equal(parseServiceResponse(await response.text()).kind, 'success');
    });

    it('escapes hostile values in failure descriptions', async () => {
      const response = await t.validate('/serviceValidate', { ticket: 'ST-<x>&"', service: APP_URL });
      assert.doesNotMatch(response.body, /<x>/);
      assert.equal(failureCode(response.body), 'INVALID_TICKET');
    });
  });
});
