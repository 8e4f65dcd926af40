import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { renderSamlSuccess } from '@usher/protocol';
import { readVectorText, vectorsOfKind } from '@usher/protocol/vectors';
import { CasClient, type CasClientOptions } from '../src/index.ts';
import { FakeCas } from './support/fake-cas.ts';

const SERVICE = 'https://app.example.org/cas/callback';
const requestIdOf = (body: string) => /RequestID="([^"]+)"/.exec(body)?.[1] ?? '';

describe('SAML 1.1 validation', () => {
  let cas: FakeCas;
  before(async () => {
    cas = await FakeCas.start();
  });
  after(() => cas.close());
  const client = (options: Partial<CasClientOptions> = {}) =>
    new CasClient({ serverUrl: cas.url, serviceUrl: SERVICE, version: 'saml1.1', ...options });

  for (const vector of vectorsOfKind('saml-response')) {
    test(`vector: ${vector.name}`, async () => {
      // The answer echoes our RequestID, as a server does.
      cas.answer = (_url, body) => ({
        body: readVectorText(vector).replace(/InResponseTo="[^"]*"/, `InResponseTo="${requestIdOf(body)}"`),
      });
      const expected = vector.expected;
      if (expected.kind === 'success') {
        const saml = client({ clock: () => Date.parse(expected.notBefore ?? '') });
        const validation = await saml.validate('ST-1-vector', expected.audiences[0] ?? SERVICE);
        assert.deepEqual(validation, {
          user: expected.user,
          attributes: expected.attributes,
          pgtIou: undefined,
          proxies: [],
        });
      } else {
        await assert.rejects(client().validate('ST-1-vector'), {
          code: 'INVALID_TICKET',
          casCode: [expected.statusCode, expected.subStatusCode].filter(Boolean).join('/'),
          message: expected.message || expected.statusCode,
        });
      }
    });
  }

  test('the request carries the ticket in a SOAP AssertionArtifact, TARGET in the query', async () => {
    let seen: { url: URL; body: string } | undefined;
    cas.answer = (url, body) => {
      seen = { url, body };
      return { body: 'not SAML' };
    };
    await assert.rejects(client().validate('ST-1-abc'), { code: 'INVALID_RESPONSE' });
    assert.equal(seen?.url.pathname, '/cas/samlValidate');
    assert.equal(seen?.url.searchParams.get('TARGET'), SERVICE);
    assert.match(seen?.body ?? '', /<samlp:AssertionArtifact>ST-1-abc<\/samlp:AssertionArtifact>/);
  });

  test('renew=true in the query when the client or the call asks for it', async () => {
    const seen: (string | null)[] = [];
    cas.answer = (url) => {
      seen.push(url.searchParams.get('renew'));
      return { body: 'not SAML' };
    };
    await assert.rejects(client().validate('ST-1-abc'), { code: 'INVALID_RESPONSE' });
    await assert.rejects(client({ renew: true }).validate('ST-1-abc'), { code: 'INVALID_RESPONSE' });
    await assert.rejects(client().validate('ST-1-abc', SERVICE, { renew: true }), {
      code: 'INVALID_RESPONSE',
    });
    assert.deepEqual(seen, [null, 'true', 'true']);
  });

  const assertion =
    (overrides: { audience?: string; inResponseTo?: string; from?: number; to?: number }) =>
    (_url: URL, body: string) => ({
      body: renderSamlSuccess({
        responseId: '_r',
        inResponseTo: overrides.inResponseTo ?? requestIdOf(body),
        issueInstant: new Date(),
        issuer: 'cas',
        recipient: SERVICE,
        audience: overrides.audience ?? SERVICE,
        user: 'alice',
        authenticationInstant: new Date(),
        notBefore: new Date(Date.now() + (overrides.from ?? 0)),
        notOnOrAfter: new Date(Date.now() + (overrides.to ?? 30_000)),
      }),
    });

  test('an assertion for another audience, another request, or outside its window is refused', async () => {
    for (const [overrides, why] of [
      [{ audience: 'https://other.example/' }, /audience/],
      [{ inResponseTo: '_someone-else' }, /another request/],
      [{ from: 120_000, to: 150_000 }, /not valid yet/],
      [{ from: -150_000, to: -120_000 }, /expired/],
    ] as const) {
      cas.answer = assertion(overrides);
      await assert.rejects(client().validate('ST-1-abc'), { code: 'INVALID_RESPONSE', message: why });
    }
  });

  test('clock differences within clockToleranceMs are accepted', async () => {
    cas.answer = assertion({ from: 30_000, to: 60_000 });
    assert.equal((await client().validate('ST-1-abc')).user, 'alice');
    await assert.rejects(client({ clockToleranceMs: 0 }).validate('ST-1-abc'), { message: /not valid yet/ });
  });

  test('options: no proxy callback with SAML', () => {
    assert.throws(() => client({ proxyCallbackUrl: 'https://app.example.org/pgt' }), /"proxyCallbackUrl"/);
  });
});
