import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseSamlResponse, safeParseXml, type XmlElement } from '@usher/protocol';
import { TestBrowser } from './helpers/browser.ts';
import { paddedSamlRequestBody, postSamlValidate, samlRequestBody } from './helpers/saml-client.ts';
import { APP_URL, startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';

const SECURE = 'https://127.0.0.2:3443/secure/';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const SAMLP = 'urn:oasis:names:tc:SAML:1.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:1.0:assertion';

/** An element with its namespace URI resolved from the xmlns declarations in scope. */
interface Resolved {
  ns: string | undefined;
  local: string;
  element: XmlElement;
  children: Resolved[];
}

function resolve(element: XmlElement, scope: Record<string, string> = {}): Resolved {
  const inScope = { ...scope };
  for (const [name, value] of Object.entries(element.attributes)) {
    if (name === 'xmlns') inScope[''] = value;
    else if (name.startsWith('xmlns:')) inScope[name.slice(6)] = value;
  }
  const colon = element.name.indexOf(':');
  const prefix = colon === -1 ? '' : element.name.slice(0, colon);
  return {
    ns: inScope[prefix],
    local: element.localName,
    element,
    children: element.children.map((child) => resolve(child, inScope)),
  };
}

function child(parent: Resolved, ns: string, local: string): Resolved {
  const found = parent.children.filter((c) => c.ns === ns && c.local === local);
  assert.equal(found.length, 1, `exactly one {${ns}}${local} in ${parent.local}`);
  return found[0]!;
}

function text(node: Resolved): string {
  return node.element.text.trim();
}

describe('/samlValidate', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      settings: {
        services: {
          registry: [
            {
              name: 'App',
              match: 'prefix',
              pattern: APP_URL,
              attributes: { allow: ['mail', 'memberOf'] },
            },
            { name: 'Secure', match: 'prefix', pattern: SECURE, attributes: { allow: ['mail', 'memberOf'] } },
          ],
        },
      },
    });
  });
  after(() => t.close());

  async function ticket(service = SECURE): Promise<string> {
    return ticketFrom((await t.login({ service, browser: new TestBrowser() })).location);
  }

  async function failure(
    query: Record<string, string> | [string, string][],
    body: string,
    contentType?: string,
  ) {
    const response = await postSamlValidate(t.baseUrl, query, body, contentType);
    assert.equal(response.status, 200, response.body);
    const parsed = parseSamlResponse(response.body);
    assert.equal(parsed.kind, 'failure', response.body);
    return parsed as Extract<typeof parsed, { kind: 'failure' }>;
  }

  it('answers a SOAP request with a SAML 1.1 response of the specified structure and namespaces', async () => {
    const loginAt = t.clock();
    const st = await ticket();
    t.clock.advance(5000);
    const now = new Date(t.clock()).toISOString();
    const response = await postSamlValidate(t.baseUrl, { TARGET: SECURE }, samlRequestBody(st, '_req-1'));
    assert.equal(response.status, 200);
    assert.match(response.type ?? '', /^text\/xml/);

    const envelope = resolve(safeParseXml(response.body));
    assert.equal(envelope.ns, SOAP);
    assert.equal(envelope.local, 'Envelope');
    const samlResponse = child(child(envelope, SOAP, 'Body'), SAMLP, 'Response');
    const r = samlResponse.element.attributes;
    assert.equal(r['MajorVersion'], '1');
    assert.equal(r['MinorVersion'], '1');
    assert.equal(r['InResponseTo'], '_req-1');
    assert.equal(r['Recipient'], SECURE);
    assert.equal(r['IssueInstant'], now);
    assert.match(r['ResponseID'] ?? '', /^_[0-9a-f]{32}$/);
    const status = child(child(samlResponse, SAMLP, 'Status'), SAMLP, 'StatusCode');
    assert.equal(status.element.attributes['Value'], 'samlp:Success');

    const assertion = child(samlResponse, SAML, 'Assertion');
    const a = assertion.element.attributes;
    assert.equal(a['Issuer'], new URL(t.baseUrl).host);
    assert.equal(a['MajorVersion'], '1');
    assert.equal(a['MinorVersion'], '1');
    assert.match(a['AssertionID'] ?? '', /^_[0-9a-f]{32}$/);
    assert.notEqual(a['AssertionID'], r['ResponseID']);

    const conditions = child(assertion, SAML, 'Conditions');
    assert.equal(conditions.element.attributes['NotBefore'], now);
    assert.equal(
      conditions.element.attributes['NotOnOrAfter'],
      new Date(t.clock() + t.config.saml.assertionLifetime * 1000).toISOString(),
    );
    const audience = child(child(conditions, SAML, 'AudienceRestrictionCondition'), SAML, 'Audience');
    assert.equal(text(audience), SECURE);

    const authentication = child(assertion, SAML, 'AuthenticationStatement');
    assert.equal(authentication.element.attributes['AuthenticationInstant'], new Date(loginAt).toISOString());
    assert.equal(
      authentication.element.attributes['AuthenticationMethod'],
      'urn:oasis:names:tc:SAML:1.0:am:password',
    );
    for (const statement of [authentication, child(assertion, SAML, 'AttributeStatement')]) {
      const subject = child(statement, SAML, 'Subject');
      assert.equal(text(child(subject, SAML, 'NameIdentifier')), 'alice');
      const confirmation = child(child(subject, SAML, 'SubjectConfirmation'), SAML, 'ConfirmationMethod');
      assert.equal(text(confirmation), 'urn:oasis:names:tc:SAML:1.0:cm:artifact');
    }
    const attributes = child(assertion, SAML, 'AttributeStatement').children.filter(
      (c) => c.local === 'Attribute',
    );
    for (const attribute of attributes) {
      assert.equal(attribute.ns, SAML);
      assert.equal(attribute.element.attributes['AttributeNamespace'], 'http://www.ja-sig.org/products/cas/');
    }
    const memberOf = attributes.find((c) => c.element.attributes['AttributeName'] === 'memberOf');
    assert.deepEqual(
      memberOf?.children.map((v) => [v.ns, v.local, text(v)]),
      [
        [SAML, 'AttributeValue', 'staff'],
        [SAML, 'AttributeValue', 'admins'],
      ],
    );

    const parsed = parseSamlResponse(response.body);
    assert.equal(parsed.kind, 'success');
    if (parsed.kind !== 'success') return;
    assert.equal(parsed.user, 'alice');
    assert.deepEqual(parsed.audiences, [SECURE]);
    assert.deepEqual(parsed.attributes['mail'], ['alice@example.org']);
    assert.deepEqual(parsed.attributes['longTermAuthenticationRequestTokenUsed'], ['false']);
    assert.equal(parsed.attributes['secret'], undefined, 'the allow-list applies');
  });

  it('consumes the ticket like any service ticket', async () => {
    const st = await ticket();
    const body = samlRequestBody(st);
    assert.equal(
      parseSamlResponse((await postSamlValidate(t.baseUrl, { TARGET: SECURE }, body)).body).kind,
      'success',
    );
    const replay = await failure({ TARGET: SECURE }, body);
    assert.equal(replay.statusCode, 'samlp:Requester');
    assert.equal(replay.subStatusCode, 'samlp:RequestDenied');
    assert.match(replay.message, /not recognized/);
    assert.doesNotMatch(t.logs.join(''), new RegExp(st));

    const elsewhere = await failure(
      { TARGET: 'https://127.0.0.2:3443/secure/other' },
      samlRequestBody(await ticket(APP_URL)),
    );
    assert.equal(elsewhere.subStatusCode, 'samlp:RequestDenied');
    assert.match(elsewhere.message, /not issued for this service/);
  });

  it('renew=true refuses a ticket that came from single sign-on', async () => {
    const browser = new TestBrowser();
    await t.login({ browser });
    const sso = ticketFrom(
      (await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(SECURE)}`)).location,
    );
    const refused = await failure({ TARGET: SECURE, renew: 'true' }, samlRequestBody(sso));
    assert.match(refused.message, /did not come from an initial login/);
    const primary = await ticket();
    const ok = await postSamlValidate(t.baseUrl, { TARGET: SECURE, renew: 'true' }, samlRequestBody(primary));
    assert.equal(parseSamlResponse(ok.body).kind, 'success', ok.body);
  });

  it('accepts `service` for TARGET, application/soap+xml and a ticket padded with newlines', async () => {
    const response = await postSamlValidate(
      t.baseUrl,
      { service: SECURE },
      paddedSamlRequestBody(await ticket()),
      'application/soap+xml; charset=utf-8',
    );
    assert.equal(parseSamlResponse(response.body).kind, 'success');
  });

  it('names the user but releases no attributes to a plain-HTTP target (§4.2.1)', async () => {
    const response = await postSamlValidate(
      t.baseUrl,
      { TARGET: APP_URL },
      samlRequestBody(await ticket(APP_URL)),
    );
    const parsed = parseSamlResponse(response.body);
    assert.equal(parsed.kind, 'success');
    assert.equal(parsed.kind === 'success' && parsed.user, 'alice');
    assert.doesNotMatch(response.body, /AttributeStatement/);
  });

  it('answers malformed requests with a Requester status and a clear message', async () => {
    const st = await ticket();
    const missingTarget = await failure({}, samlRequestBody(st));
    assert.equal(missingTarget.statusCode, 'samlp:Requester');
    assert.equal(missingTarget.subStatusCode, undefined);
    assert.match(missingTarget.message, /TARGET/);
    const ambiguous = await failure(
      [
        ['TARGET', SECURE],
        ['TARGET', APP_URL],
      ],
      samlRequestBody(st),
    );
    assert.equal(ambiguous.statusCode, 'samlp:Requester');
    assert.match(ambiguous.message, /TARGET.*more than once/);
    const broken = await failure({ TARGET: SECURE }, '<SOAP-ENV:Envelope><unclosed>');
    assert.match(broken.message, /not a valid SAML 1\.1 request: malformed XML/);
    const empty = await failure(
      { TARGET: SECURE },
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="x"><SOAP-ENV:Body/></SOAP-ENV:Envelope>',
    );
    assert.match(empty.message, /Body\/Request/);
    const json = await failure({ TARGET: SECURE }, JSON.stringify({ ticket: st }), 'application/json');
    assert.match(json.message, /not a valid SAML 1\.1 request/);
    const proxyTicket = await failure({ TARGET: SECURE }, samlRequestBody('PT-1-abcdefghijklmnopqrstuvwxyz'));
    assert.equal(proxyTicket.subStatusCode, 'samlp:RequestDenied');

    const other = await postSamlValidate(
      t.baseUrl,
      { TARGET: SECURE },
      samlRequestBody(st),
      'application/octet-stream',
    );
    assert.equal(other.status, 415);
    assert.doesNotMatch(other.body, /at .*\.ts/);
  });

  it('refuses XML bombs and external entities without expanding them', async () => {
    const st = await ticket();
    const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join(
      '',
    );
    const bomb = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">${laughs}]>${paddedSamlRequestBody('&l9;')}`;
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${paddedSamlRequestBody(`${st}&x;`)}`;
    const started = Date.now();
    for (const body of [bomb, xxe]) {
      const refused = await failure({ TARGET: SECURE }, body);
      assert.equal(refused.statusCode, 'samlp:Requester');
      assert.match(refused.message, /DOCTYPE declarations are not allowed/);
      assert.doesNotMatch(refused.message, /root:/);
    }
    assert.ok(Date.now() - started < 2000, 'refused before any expansion');
    // The ticket inside the refused request was never looked at, so it still works.
    const response = await postSamlValidate(t.baseUrl, { TARGET: SECURE }, samlRequestBody(st));
    assert.equal(parseSamlResponse(response.body).kind, 'success');
  });

  it('caps the body size (413), also for chunked bodies without Content-Length', async () => {
    const huge = samlRequestBody('ST-1').replace(
      '<SOAP-ENV:Header/>',
      `<!--${'x'.repeat(t.config.server.bodyLimit)}-->`,
    );
    const sized = await postSamlValidate(t.baseUrl, { TARGET: SECURE }, huge);
    assert.equal(sized.status, 413);
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge));
        controller.close();
      },
    });
    const chunked = await fetch(`${t.baseUrl}/samlValidate?TARGET=${encodeURIComponent(SECURE)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    const st = await ticket();
    const streamed = await fetch(`${t.baseUrl}/samlValidate?TARGET=${encodeURIComponent(SECURE)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: new Blob([samlRequestBody(st)]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(parseSamlResponse(await streamed.text()).kind, 'success');
  });
});
