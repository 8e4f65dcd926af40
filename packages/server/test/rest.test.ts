import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseServiceResponse } from '@usher/protocol';
import { TestBrowser } from './helpers/browser.ts';
import { APP_URL, PASSWORD, startTestServer, type TestServer } from './helpers/test-server.ts';

const WIZARDS = 'http://127.0.0.3:3000/wizards/';

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

describe('REST ticket API (/v1/tickets)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      settings: {
        throttle: { maxAttemptsPerUser: 3 },
        services: {
          registry: [
            { name: 'App', match: 'prefix', pattern: APP_URL, attributes: { allow: ['mail'] } },
            {
              name: 'Wizards',
              match: 'prefix',
              pattern: WIZARDS,
              attributes: { require: { memberOf: ['wizards'] } },
            },
            { name: 'Disabled', match: 'prefix', pattern: 'http://127.0.0.4:3000/', enabled: false },
          ],
        },
      },
    });
  });
  after(() => t.close());

  async function createTgt(fields: Record<string, string> = { username: 'alice', password: PASSWORD }) {
    return fetch(`${t.baseUrl}/v1/tickets`, form(fields));
  }

  async function tgtUrl(): Promise<string> {
    const response = await createTgt();
    assert.equal(response.status, 201, await response.text());
    return response.headers.get('location')!;
  }

  it('creates a ticket-granting ticket resource from credentials (201, Location, action form)', async () => {
    const response = await createTgt();
    assert.equal(response.status, 201);
    const location = response.headers.get('location') ?? '';
    assert.match(location, new RegExp(`^${t.baseUrl}/v1/tickets/TGT-[A-Za-z0-9]{60}$`));
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const html = await response.text();
    assert.match(html, new RegExp(`<form method="post" action="${location}">`));
    assert.match(html, /name="service"/);
    const logs = t.logs.join('');
    assert.ok(!logs.includes(location.split('/').pop()!), 'the TGT is never logged whole');
    assert.doesNotMatch(logs, new RegExp(PASSWORD));
  });

  it('accepts JSON credentials too', async () => {
    const response = await fetch(`${t.baseUrl}/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    assert.equal(response.status, 201);
  });

  it('issues service tickets from the TGT that validate like any other', async () => {
    const tgt = await tgtUrl();
    const response = await fetch(tgt, form({ service: APP_URL }));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const ticket = await response.text();
    assert.match(ticket, /^ST-[A-Za-z0-9]+$/);
    const { body } = await t.validate('/p3/serviceValidate', { ticket, service: APP_URL });
    const parsed = parseServiceResponse(body);
    assert.equal(parsed.kind, 'success', body);
    if (parsed.kind !== 'success') return;
    assert.equal(parsed.user, 'alice');
    assert.deepEqual(parsed.attributes['mail'], ['alice@example.org']);
    assert.deepEqual(parsed.attributes['isFromNewLogin'], ['false']);
  });

  it('refuses bad credentials (401), missing ones (400) and unsupported media types (415)', async () => {
    const wrong = await createTgt({ username: 'alice', password: 'wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(await wrong.text(), 'Authentication failed');
    assert.equal(wrong.headers.get('location'), null);
    assert.equal((await createTgt({ username: 'mallory', password: 'x' })).status, 401);
    assert.equal((await createTgt({ username: 'alice' })).status, 400);
    assert.equal((await createTgt({})).status, 400);
    const tooLong = await createTgt({ username: 'x'.repeat(300), password: 'y' });
    assert.equal(tooLong.status, 400);
    assert.match(await tooLong.text(), /longer than/);
    const plain = await fetch(`${t.baseUrl}/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'username=alice',
    });
    assert.equal(plain.status, 415);
  });

  it('is throttled together with the login form', async () => {
    for (let i = 0; i < 3; i++)
      assert.equal((await createTgt({ username: 'bob', password: `guess${i}` })).status, 401);
    const blocked = await createTgt({ username: 'bob', password: 'guess' });
    assert.equal(blocked.status, 429);
    const viaForm = await t.login({ username: 'bob', password: 'guess', browser: new TestBrowser() });
    assert.equal(viaForm.status, 429, 'the same per-user counter');
    t.clock.advance(t.config.throttle.window * 1000);
    assert.equal((await createTgt({ username: 'bob', password: 'guess' })).status, 401);
  });

  it('refuses service tickets for unknown TGTs (404), missing (400) or unauthorized services (403)', async () => {
    const tgt = await tgtUrl();
    assert.equal(
      (await fetch(`${t.baseUrl}/v1/tickets/TGT-unknown`, form({ service: APP_URL }))).status,
      404,
    );
    assert.equal((await fetch(tgt, form({}))).status, 400);
    for (const service of ['https://evil.example.com/', 'http://127.0.0.4:3000/x', WIZARDS]) {
      const refused = await fetch(tgt, form({ service }));
      assert.equal(refused.status, 403, service);
      assert.doesNotMatch(await refused.text(), /ST-/);
    }
    const checked = await createTgt({ username: 'alice', password: PASSWORD, service: WIZARDS });
    assert.equal(checked.status, 403, 'a service given with the credentials is checked too');
    assert.equal(checked.headers.get('location'), null);
  });

  it('DELETE ends the session everywhere: no more tickets, issued ones revoked', async () => {
    const tgt = await tgtUrl();
    const ticket = await (await fetch(tgt, form({ service: APP_URL }))).text();
    const deleted = await fetch(tgt, { method: 'DELETE' });
    assert.equal(deleted.status, 200);
    assert.equal((await fetch(tgt, form({ service: APP_URL }))).status, 404);
    const { body } = await t.validate('/serviceValidate', { ticket, service: APP_URL });
    assert.equal(parseServiceResponse(body).kind, 'failure');
    assert.equal((await fetch(tgt, { method: 'DELETE' })).status, 200, 'deleting twice is harmless');
  });
});

describe('REST ticket API switched off', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { rest: { enabled: false } } });
  });
  after(() => t.close());

  it('is not served when rest.enabled is false', async () => {
    const response = await fetch(`${t.baseUrl}/v1/tickets`, form({ username: 'alice', password: PASSWORD }));
    assert.equal(response.status, 404);
  });
});
