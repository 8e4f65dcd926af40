import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ParsedServiceResponse, parseSamlResponse, parseServiceResponse } from '@usher/protocol';
import { ConfigError } from '../src/config/config-error.ts';
import { TestBrowser } from './helpers/browser.ts';
import { postSamlValidate, samlRequestBody } from './helpers/saml-client.ts';
import { startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';

const CALLBACKS = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'attribute-callbacks.ts');
const POLICY = 'https://127.0.0.2:3443/policy/';
const WIZARDS = 'https://127.0.0.3:3443/wizards/';
const STAFF = 'https://127.0.0.3:3443/staff/';
const COMPUTED = 'https://127.0.0.4:3443/computed/';

const registry = [
  {
    name: 'Policy',
    match: 'prefix',
    pattern: POLICY,
    attributes: {
      allow: ['mail', 'memberOf', 'displayName'],
      rename: { mail: 'email', memberOf: 'groups' },
      rewrite: {
        mail: { pattern: '@example\\.org$', replace: '@example.com' },
        memberOf: { pattern: '^(.+)$', replace: 'cn=$1,ou=groups' },
      },
      userAttribute: 'mail',
    },
  },
  { name: 'Wizards', match: 'prefix', pattern: WIZARDS, attributes: { require: { memberOf: ['wizards'] } } },
  {
    name: 'Staff',
    match: 'prefix',
    pattern: STAFF,
    attributes: { require: { memberOf: ['wizards', 'staff'] } },
  },
  {
    name: 'Computed',
    match: 'prefix',
    pattern: COMPUTED,
    attributes: {
      allow: ['mail', 'memberOf'],
      callbacks: [
        `${CALLBACKS}#meddling`,
        `${CALLBACKS}#department`,
        `${CALLBACKS}#broken`,
        `${CALLBACKS}#notAttributes`,
        CALLBACKS,
      ],
    },
  },
];

type Success = Extract<ParsedServiceResponse, { kind: 'success' }>;

describe('per-service attribute policies', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { services: { registry } } });
  });
  after(() => t.close());

  async function ticket(service: string, browser = new TestBrowser()): Promise<string> {
    return ticketFrom((await t.login({ service, browser })).location);
  }

  async function validate(
    service: string,
    format: 'XML' | 'JSON',
  ): Promise<{ body: string; success: Success }> {
    const { body } = await t.validate('/p3/serviceValidate', {
      ticket: await ticket(service),
      service,
      format,
    });
    const parsed = parseServiceResponse(body, format === 'JSON' ? 'json' : 'xml');
    assert.equal(parsed.kind, 'success', body);
    return { body, success: parsed as Success };
  }

  it('renames and rewrites attributes, multi-valued included, and names the chosen attribute as the user (XML, JSON)', async () => {
    for (const format of ['XML', 'JSON'] as const) {
      const { body, success } = await validate(POLICY, format);
      assert.equal(success.user, 'alice@example.org', format);
      assert.deepEqual(success.attributes['email'], ['alice@example.com'], format);
      assert.deepEqual(success.attributes['groups'], ['cn=staff,ou=groups', 'cn=admins,ou=groups'], format);
      assert.deepEqual(success.attributes['displayName'], ['Alice <Admin>'], format);
      assert.equal(success.attributes['mail'], undefined, format);
      assert.equal(success.attributes['memberOf'], undefined, format);
      assert.equal(success.attributes['secret'], undefined, format);
      if (format === 'XML') {
        assert.match(
          body,
          /<cas:groups>cn=staff,ou=groups<\/cas:groups>\n\s*<cas:groups>cn=admins,ou=groups<\/cas:groups>/,
        );
        assert.match(body, /<cas:displayName>Alice &lt;Admin&gt;<\/cas:displayName>/);
      } else {
        const json = JSON.parse(body).serviceResponse.authenticationSuccess;
        assert.deepEqual(json.attributes.groups, ['cn=staff,ou=groups', 'cn=admins,ou=groups']);
      }
    }
  });

  it('applies the same policy in SAML 1.1', async () => {
    const response = await postSamlValidate(
      t.baseUrl,
      { TARGET: POLICY },
      samlRequestBody(await ticket(POLICY)),
    );
    const parsed = parseSamlResponse(response.body);
    assert.equal(parsed.kind, 'success', response.body);
    if (parsed.kind !== 'success') return;
    assert.equal(parsed.user, 'alice@example.org');
    assert.deepEqual(parsed.attributes['email'], ['alice@example.com']);
    assert.deepEqual(parsed.attributes['groups'], ['cn=staff,ou=groups', 'cn=admins,ou=groups']);
    assert.equal(parsed.attributes['mail'], undefined);
    assert.match(response.body, /<saml:NameIdentifier>alice@example\.org<\/saml:NameIdentifier>/);
  });

  it('denies access with a clear page and no ticket when a required value is missing', async () => {
    const browser = new TestBrowser();
    const denied = await t.login({ service: WIZARDS, browser });
    assert.equal(denied.status, 403);
    assert.equal(denied.location, undefined);
    assert.match(denied.text, /Access denied/);
    assert.match(denied.text, /may not use Wizards/);
    assert.doesNotMatch(denied.text, /ST-/);
    // The SSO session exists, yet single sign-on still refuses.
    const again = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(WIZARDS)}`);
    assert.equal(again.status, 403);
    assert.match(t.logs.join(''), /"missing":\["memberOf"\],"msg":"access denied by service policy"/);
    // Any one of the listed values suffices.
    const allowed = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(STAFF)}`);
    assert.equal(allowed.status, 302);
    assert.match(allowed.location ?? '', /\?ticket=ST-/);
  });

  it('releases what attribute callbacks compute, skipping the ones that fail', async () => {
    for (const format of ['XML', 'JSON'] as const) {
      const { success } = await validate(COMPUTED, format);
      assert.equal(success.user, 'alice');
      assert.deepEqual(success.attributes['department'], ['research']);
      assert.deepEqual(success.attributes['greeting'], ['hello alice']);
      assert.deepEqual(
        success.attributes['mail'],
        ['callback@example.org'],
        'a callback replaces a policy attribute',
      );
      assert.deepEqual(success.attributes['memberOf'], ['staff', 'admins'], 'callbacks get a copy');
      assert.deepEqual(success.attributes['serviceSeen'], [COMPUTED]);
      assert.deepEqual(success.attributes['groupCount'], ['2']);
      assert.deepEqual(success.attributes['verified'], ['true']);
    }
    const saml = parseSamlResponse(
      (await postSamlValidate(t.baseUrl, { TARGET: COMPUTED }, samlRequestBody(await ticket(COMPUTED)))).body,
    );
    assert.equal(saml.kind === 'success' && saml.attributes['department']?.[0], 'research');
    const logs = t.logs.join('');
    assert.match(
      logs,
      /"callback":"[^"]*#broken","reason":"directory unreachable","msg":"attribute callback failed; skipped"/,
    );
    assert.match(logs, /"callback":"[^"]*#notAttributes","reason":"it returned no attributes/);
  });

  it('runs no callback where attributes are not released (CAS 2)', async () => {
    const { body } = await t.validate('/serviceValidate', {
      ticket: await ticket(COMPUTED),
      service: COMPUTED,
    });
    const parsed = parseServiceResponse(body) as Success;
    assert.equal(parsed.user, 'alice');
    assert.deepEqual(parsed.attributes, {});
  });
});

describe('attribute callback loading', () => {
  for (const [spec, reason] of [
    [join(dirname(CALLBACKS), 'missing.ts'), /missing\.ts/],
    [`${CALLBACKS}#notAFunction`, /no function export "notAFunction"/],
    [`${CALLBACKS}#absent`, /no function export "absent"/],
  ] as const) {
    it(`stops the start-up naming the setting: ${spec.split('/').pop()}`, async () => {
      const settings = {
        services: {
          registry: [{ name: 'Bad', match: 'prefix', pattern: POLICY, attributes: { callbacks: [spec] } }],
        },
      };
      await assert.rejects(startTestServer({ settings }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /services\.registry\[0\]\.attributes\.callbacks\[0\]/);
        assert.match(error.message, reason);
        return true;
      });
    });
  }
});

describe('services.attributeCallbacks (for every service)', () => {
  const plain = 'http://127.0.0.2:3000/plain/';
  const own = 'http://127.0.0.2:3000/own/';
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      settings: {
        services: {
          attributeCallbacks: [`${CALLBACKS}#department`],
          registry: [
            { name: 'Plain', match: 'prefix', pattern: plain },
            {
              name: 'Own',
              match: 'prefix',
              pattern: own,
              attributes: { callbacks: [`${CALLBACKS}#ownMail`] },
            },
          ],
        },
      },
    });
  });
  after(() => t.close());

  async function released(service: string) {
    const ticket = ticketFrom((await t.login({ service, browser: new TestBrowser() })).location);
    const { body } = await t.validate('/p3/serviceValidate', { ticket, service });
    return (parseServiceResponse(body) as Success).attributes;
  }

  it('runs for a service without callbacks of its own', async () => {
    const attributes = await released(plain);
    assert.deepEqual(attributes['department'], ['research']);
    assert.deepEqual(attributes['mail'], ['callback@example.org']);
  });

  it("runs before the service's own callbacks, which replace same-named attributes", async () => {
    const attributes = await released(own);
    assert.deepEqual(attributes['department'], ['research']);
    assert.deepEqual(attributes['mail'], ['own@example.org']);
  });

  it('stops the start-up naming the setting when one cannot be loaded', async () => {
    const settings = { services: { attributeCallbacks: [CALLBACKS, `${CALLBACKS}#absent`] } };
    await assert.rejects(
      startTestServer({ settings }),
      /services\.attributeCallbacks\[1\]: .*no function export "absent"/,
    );
  });
});
