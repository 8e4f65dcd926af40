import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { renderLogoutRequest } from '@usher/protocol';
import { CasClient } from '../src/index.ts';

const client = () =>
  new CasClient({ serverUrl: 'https://cas.example.org/cas', serviceUrl: 'https://app.example.org/' });
const form = (logoutRequest: string) => new URLSearchParams({ logoutRequest }).toString();
const request = (ticket: string) =>
  form(renderLogoutRequest({ id: '_1', issueInstant: new Date(), sessionIndex: ticket }));

describe('handleLogoutRequest', () => {
  test('names the session of a tracked ticket, once', async () => {
    const c = client();
    await c.trackSession('ST-1-abc', 'sess-1');
    assert.deepEqual(await c.handleLogoutRequest(request('ST-1-abc')), {
      kind: 'logout',
      sessionId: 'sess-1',
      ticket: 'ST-1-abc',
    });
    assert.deepEqual(await c.handleLogoutRequest(request('ST-1-abc')), {
      kind: 'unknown',
      ticket: 'ST-1-abc',
    });
  });

  test('accepts parsed fields as well as the raw form body', async () => {
    const c = client();
    await c.trackSession('ST-2-abc', 'sess-2');
    const fields = Object.fromEntries(new URLSearchParams(request('ST-2-abc')));
    assert.equal((await c.handleLogoutRequest(fields)).kind, 'logout');
  });

  test('an unknown ticket, or one logged out locally, changes nothing', async () => {
    const c = client();
    await c.trackSession('ST-3-abc', 'sess-3');
    assert.equal((await c.handleLogoutRequest(request('ST-9-guess'))).kind, 'unknown');
    await c.forgetSession('ST-3-abc');
    assert.equal((await c.handleLogoutRequest(request('ST-3-abc'))).kind, 'unknown');
  });

  const forged: [string, string][] = [
    ['no field', 'ticket=ST-1-abc'],
    ['an empty field', form('  ')],
    ['not XML', form('ST-1-abc')],
    ['another document', form('<Response><SessionIndex>ST-1-abc</SessionIndex></Response>')],
    ['no SessionIndex', form('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')],
    [
      'an entity',
      form(
        '<!DOCTYPE x [<!ENTITY t "ST-1-abc">]><samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>&t;</samlp:SessionIndex></samlp:LogoutRequest>',
      ),
    ],
    ['a huge body', form(`<samlp:LogoutRequest>${'x'.repeat(100_000)}</samlp:LogoutRequest>`)],
  ];
  for (const [what, body] of forged) {
    test(`refuses ${what} and destroys nothing`, async () => {
      const c = client();
      await c.trackSession('ST-1-abc', 'sess-1');
      assert.equal((await c.handleLogoutRequest(body)).kind, 'invalid');
      assert.equal((await c.handleLogoutRequest(request('ST-1-abc'))).kind, 'logout');
    });
  }
});

describe('handleFrontChannelLogout', () => {
  const samlRequest = (ticket: string) =>
    deflateSync(renderLogoutRequest({ id: '_1', issueInstant: new Date(0), sessionIndex: ticket })).toString(
      'base64',
    );

  test('names the session of a tracked ticket once, even with a + read back as a space', async () => {
    const c = client();
    await c.trackSession('ST-1-abc', 'sess-1');
    const encoded = samlRequest('ST-1-abc');
    assert.ok(encoded.includes('+'), 'the vector needs a +');
    const outcome = await c.handleFrontChannelLogout(encoded.replaceAll('+', ' '));
    assert.deepEqual(outcome, { kind: 'logout', sessionId: 'sess-1', ticket: 'ST-1-abc' });
    assert.equal((await c.handleFrontChannelLogout(encoded)).kind, 'unknown');
  });

  test('refuses a logoutRequest that is not deflated, or longer than a logoutRequest can be', async () => {
    const c = client();
    await c.trackSession('ST-1-abc', 'sess-1');
    const xml = renderLogoutRequest({ id: '_1', issueInstant: new Date(0), sessionIndex: 'ST-1-abc' });
    // Stored, not compressed: 13 KB inflate within the limit, but take more than 16 KiB of base64.
    const padded = deflateSync(`${xml}<!--${'x'.repeat(13_000)}-->`, { level: 0 }).toString('base64');
    for (const value of [Buffer.from(xml).toString('base64'), padded]) {
      assert.equal((await c.handleFrontChannelLogout(value)).kind, 'invalid');
    }
    assert.equal((await c.handleFrontChannelLogout(samlRequest('ST-1-abc'))).kind, 'logout');
  });
});
