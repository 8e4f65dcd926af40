import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readVectorText, vectorsOfKind } from '@usher/protocol/vectors';
import { CasClient, type CasClientError } from '../src/index.ts';
import { pgtKey } from '../src/proxy/pgt-callback.ts';
import { MemoryCasStore } from '../src/stores/memory-store.ts';
import { FakeCas } from './support/fake-cas.ts';

// Every protocol vector, served as the CAS server's answer over real HTTP, must reach the caller intact.
describe('protocol vectors over HTTP', () => {
  let cas: FakeCas;
  let body = '';
  before(async () => {
    cas = await FakeCas.start();
    cas.answer = () => ({ body });
  });
  after(() => cas.close());

  for (const vector of vectorsOfKind('validation')) {
    test(`validate: ${vector.name}`, async () => {
      body = readVectorText(vector);
      const client = new CasClient({
        serverUrl: cas.url,
        serviceUrl: 'https://app.example.org/cas/callback',
        format: vector.format === 'json' ? 'json' : 'xml',
        acceptProxyTickets: true,
      });
      const expected = vector.expected;
      if (expected.kind === 'success') {
        assert.deepEqual(await client.validate('ST-1-vector'), {
          user: expected.user,
          attributes: expected.attributes,
          pgtIou: expected.proxyGrantingTicket,
          proxies: expected.proxies,
        });
      } else if (expected.kind === 'failure') {
        await assert.rejects(client.validate('ST-1-vector'), (error: CasClientError) => {
          assert.equal(error.casCode, expected.code);
          assert.equal(error.message, expected.description || expected.code);
          return true;
        });
      } else {
        assert.fail(`unexpected validation vector kind ${expected.kind}`);
      }
    });
  }

  for (const vector of vectorsOfKind('cas1')) {
    test(`validate, CAS 1: ${vector.name}`, async () => {
      body = readVectorText(vector);
      const client = new CasClient({
        serverUrl: cas.url,
        serviceUrl: 'https://app.example.org/',
        version: 1,
      });
      if (vector.expected.kind === 'success') {
        const validation = await client.validate('ST-1-vector');
        assert.equal(validation.user, vector.expected.user);
      } else {
        await assert.rejects(client.validate('ST-1-vector'), { code: 'INVALID_TICKET' });
      }
    });
  }

  for (const vector of vectorsOfKind('proxy')) {
    test(`proxyTicket: ${vector.name}`, async () => {
      body = readVectorText(vector);
      const pgtStore = new MemoryCasStore();
      await pgtStore.set(pgtKey('PGTIOU-1-vector'), 'PGT-1-vector', 60_000);
      const client = new CasClient({
        serverUrl: cas.url,
        serviceUrl: 'https://app.example.org/',
        proxyCallbackUrl: 'https://app.example.org/pgt',
        format: vector.format === 'json' ? 'json' : 'xml',
        pgtStore,
      });
      const expected = vector.expected;
      if (expected.kind === 'proxySuccess') {
        assert.equal(
          await client.proxyTicket('PGTIOU-1-vector', 'https://api.example.org/'),
          expected.proxyTicket,
        );
      } else if (expected.kind === 'proxyFailure' || expected.kind === 'failure') {
        await assert.rejects(client.proxyTicket('PGTIOU-1-vector', 'https://api.example.org/'), {
          casCode: expected.code,
        });
      } else {
        assert.fail(`unexpected proxy vector kind ${expected.kind}`);
      }
    });
  }

  for (const vector of vectorsOfKind('logout-request')) {
    test(`single logout: ${vector.name}`, async () => {
      const client = new CasClient({ serverUrl: cas.url, serviceUrl: 'https://app.example.org/' });
      await client.trackSession(vector.expected.sessionIndex, 'session-1');
      const form = new URLSearchParams({ logoutRequest: readVectorText(vector) }).toString();
      assert.deepEqual(await client.handleLogoutRequest(form), {
        kind: 'logout',
        sessionId: 'session-1',
        ticket: vector.expected.sessionIndex,
      });
    });
  }
});
