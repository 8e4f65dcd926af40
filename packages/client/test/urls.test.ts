import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CasClient, type CasClientOptions, CasFlow } from '../src/index.ts';

const base: CasClientOptions<unknown> = {
  serverUrl: 'https://cas.example.org/cas/',
  serviceUrl: 'https://app.example.org/cas/callback?next=%2Fa%20b',
};

describe('CasClient URLs', () => {
  test('loginUrl encodes the service and keeps its query', () => {
    assert.equal(
      new CasClient(base).loginUrl(),
      'https://cas.example.org/cas/login?service=https%3A%2F%2Fapp.example.org%2Fcas%2Fcallback%3Fnext%3D%252Fa%2520b',
    );
  });

  test('renew and gateway, and renew wins when both are asked', () => {
    const client = new CasClient(base);
    assert.match(client.loginUrl({ gateway: true }), /&gateway=true$/);
    assert.match(new CasClient({ ...base, renew: true }).loginUrl(), /&renew=true$/);
    const both = client.loginUrl({ renew: true, gateway: true });
    assert.match(both, /renew=true/);
    assert.doesNotMatch(both, /gateway/);
    assert.match(new CasClient({ ...base, gateway: true }).loginUrl(), /&gateway=true$/);
  });

  test('extra login parameters cannot replace the service', () => {
    const url = new URL(
      new CasClient({
        ...base,
        extraLoginParams: { locale: 'fr', service: 'https://evil.example/' },
      }).loginUrl(),
    );
    assert.equal(url.searchParams.get('locale'), 'fr');
    assert.deepEqual(url.searchParams.getAll('service'), [base.serviceUrl]);
  });

  test('logoutUrl: `service` for CAS 3, `url` for CAS 1 and 2, nothing without a redirect', () => {
    assert.equal(
      new CasClient(base).logoutUrl('https://app.example.org/bye'),
      'https://cas.example.org/cas/logout?service=https%3A%2F%2Fapp.example.org%2Fbye',
    );
    assert.equal(
      new CasClient({ ...base, version: 2 }).logoutUrl('https://app.example.org/'),
      'https://cas.example.org/cas/logout?url=https%3A%2F%2Fapp.example.org%2F',
    );
    assert.equal(new CasClient(base).logoutUrl(), 'https://cas.example.org/cas/logout');
  });
});

describe('CasClient options', () => {
  const refused: [string, Partial<CasClientOptions<unknown>>, RegExp][] = [
    ['a relative serverUrl', { serverUrl: '/cas' }, /"serverUrl" must be an absolute http\(s\) URL/],
    ['a javascript: serverUrl', { serverUrl: 'javascript:alert(1)' }, /"serverUrl"/],
    [
      'a serverUrl with a query',
      { serverUrl: 'https://cas.example.org/?x=1' },
      /"serverUrl" must have no query/,
    ],
    ['a missing serviceUrl', { serviceUrl: undefined as unknown as string }, /"serviceUrl"/],
    ['version 4', { version: 4 as 3 }, /"version" must be 1, 2, 3 or 'saml1.1'/],
    ['JSON with CAS 2', { version: 2, format: 'json' }, /"format" 'json' needs version 3/],
    ['a proxy callback with CAS 1', { version: 1, proxyCallbackUrl: 'https://a/' }, /"proxyCallbackUrl"/],
    ['a zero timeout', { timeoutMs: 0 }, /"timeoutMs" must be a positive number/],
    ['createUser without findUser', { createUser: async () => ({}) }, /"createUser" needs findUser/],
  ];
  for (const [what, options, message] of refused) {
    test(`refuses ${what}, naming the option`, () => {
      assert.throws(() => new CasClient({ ...base, ...options }), { name: 'TypeError', message });
    });
  }
});

describe('CasFlow options', () => {
  const client = new CasClient(base);
  for (const gatewayRetryAfterMs of [0, -1, Number.NaN]) {
    test(`refuses gatewayRetryAfterMs ${gatewayRetryAfterMs}: the gateway would loop`, () => {
      assert.throws(() => new CasFlow(client, { gatewayRetryAfterMs }), {
        name: 'TypeError',
        message: /"gatewayRetryAfterMs" must be a positive number/,
      });
    });
  }
  test('accepts Infinity: gateway once per session', () => {
    assert.doesNotThrow(() => new CasFlow(client, { gatewayRetryAfterMs: Number.POSITIVE_INFINITY }));
  });
});
