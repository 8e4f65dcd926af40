import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CasClient, type CasClientOptions } from '../../src/index.ts';

/** A CAS server to validate against: the fake one, or the real Usher server. */
export interface CasUnderTest {
  serverUrl: string;
  /** A service URL the server issues tickets for. */
  service: string;
  /** The user and attributes `obtainTicket` logs in. */
  user: string;
  attributes: Record<string, string[]>;
  /** A fresh service ticket for `service`, as a user logging in gets it. */
  obtainTicket(service: string): Promise<string>;
  close(): Promise<void>;
}

/** What any CAS server must do with this client, run against every implementation. */
export function runValidationSuite(name: string, start: () => Promise<CasUnderTest>): void {
  describe(`validation against ${name}`, () => {
    let cas: CasUnderTest;
    const client = (options: Partial<CasClientOptions> = {}) =>
      new CasClient({ serverUrl: cas.serverUrl, serviceUrl: cas.service, ...options });
    before(async () => {
      cas = await start();
    });
    after(() => cas.close());

    test('CAS 3 XML gives the user and the attributes', async () => {
      const validation = await client().validate(await cas.obtainTicket(cas.service));
      assert.equal(validation.user, cas.user);
      for (const [key, values] of Object.entries(cas.attributes))
        assert.deepEqual(validation.attributes[key], values);
      assert.deepEqual(validation.proxies, []);
      assert.equal(validation.pgtIou, undefined);
    });

    test('CAS 3 JSON gives the same', async () => {
      const validation = await client({ format: 'json' }).validate(await cas.obtainTicket(cas.service));
      assert.equal(validation.user, cas.user);
      for (const [key, values] of Object.entries(cas.attributes))
        assert.deepEqual(validation.attributes[key], values);
    });

    test('CAS 2 and CAS 1 give the user', async () => {
      assert.equal(
        (await client({ version: 2 }).validate(await cas.obtainTicket(cas.service))).user,
        cas.user,
      );
      assert.equal(
        (await client({ version: 1 }).validate(await cas.obtainTicket(cas.service))).user,
        cas.user,
      );
    });

    test('SAML 1.1 gives the user', async () => {
      const validation = await client({ version: 'saml1.1' }).validate(await cas.obtainTicket(cas.service));
      assert.equal(validation.user, cas.user);
    });

    test('SAML 1.1: a ticket is good once, and only for its service', async () => {
      const saml = client({ version: 'saml1.1' });
      const ticket = await cas.obtainTicket(cas.service);
      await assert.rejects(saml.validate(ticket, `${cas.service}?other=1`), { code: 'INVALID_TICKET' });
      await assert.rejects(saml.validate(ticket), { code: 'INVALID_TICKET' });
    });

    test('a ticket is good once', async () => {
      const ticket = await cas.obtainTicket(cas.service);
      await client().validate(ticket);
      await assert.rejects(client().validate(ticket), { name: 'CasClientError', code: 'INVALID_TICKET' });
    });

    test('a ticket for another service fails INVALID_SERVICE, and is burnt', async () => {
      const ticket = await cas.obtainTicket(cas.service);
      await assert.rejects(client().validate(ticket, `${cas.service}?other=1`), { code: 'INVALID_SERVICE' });
      await assert.rejects(client().validate(ticket), { code: 'INVALID_TICKET' });
    });

    test('an unknown ticket fails INVALID_TICKET, with the server description', async () => {
      await assert.rejects(client().validate('ST-0123456789abcdefghijklmnopqrst'), (error: Error) => {
        assert.equal((error as { code?: string }).code, 'INVALID_TICKET');
        assert.notEqual(error.message, '');
        return true;
      });
    });

    test('CAS 1 refusal fails INVALID_TICKET', async () => {
      await assert.rejects(client({ version: 1 }).validate('ST-0123456789abcdefghijklmnopqrst'), {
        code: 'INVALID_TICKET',
      });
    });
  });
}
