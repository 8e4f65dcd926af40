import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ProtocolParseError,
  parseSamlResponse,
  parseSamlValidateRequest,
  renderSamlFailure,
  renderSamlSuccess,
  renderSamlValidateRequest,
  type SamlSuccessOptions,
} from '../src/index.ts';

const base: SamlSuccessOptions = {
  responseId: '_r1',
  issueInstant: new Date('2024-01-01T00:00:00Z'),
  issuer: 'cas.example.org',
  recipient: 'https://app.example.org/',
  user: 'jdoe',
  authenticationInstant: new Date('2024-01-01T00:00:00Z'),
  notBefore: new Date('2024-01-01T00:00:00Z'),
  notOnOrAfter: new Date('2024-01-01T00:00:30Z'),
  assertionId: '_a1',
};

const request = (ticket: string, attrs = ' RequestID="_q" IssueInstant="2024-01-01T00:00:00Z"') =>
  `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body>` +
  `<samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" MajorVersion="1" MinorVersion="1"${attrs}>` +
  `<samlp:AssertionArtifact>${ticket}</samlp:AssertionArtifact></samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

describe('parseSamlValidateRequest', () => {
  test('trims the ticket, returns RequestID and IssueInstant', () => {
    assert.deepEqual(parseSamlValidateRequest(request('\n\t  ST-1-abc \r\n')), {
      ticket: 'ST-1-abc',
      requestId: '_q',
      issueInstant: '2024-01-01T00:00:00Z',
    });
  });
  test('any prefixes, a default namespace, or no envelope', () => {
    const other =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      '<Request xmlns="urn:oasis:names:tc:SAML:1.0:protocol" RequestID="_x"><AssertionArtifact>ST-2</AssertionArtifact></Request>' +
      '</soap:Body></soap:Envelope>';
    assert.deepEqual(parseSamlValidateRequest(other), { ticket: 'ST-2', requestId: '_x' });
    assert.deepEqual(
      parseSamlValidateRequest(
        '<samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol"><samlp:AssertionArtifact>ST-3</samlp:AssertionArtifact></samlp:Request>',
      ),
      { ticket: 'ST-3' },
    );
  });
  test('refuses requests without a ticket, with two tickets, and non-SOAP documents', () => {
    const two = request('ST-1</samlp:AssertionArtifact><samlp:AssertionArtifact>ST-2');
    assert.throws(() => parseSamlValidateRequest(two), /several AssertionArtifact/);
    for (const body of [
      request(''),
      request('   '),
      '<Envelope><Body/></Envelope>',
      '<html/>',
      'ticket=ST-1',
      '',
    ]) {
      assert.throws(() => parseSamlValidateRequest(body), ProtocolParseError, body);
    }
  });
});

describe('renderSamlValidateRequest', () => {
  test('round trip: what a client sends is what the server reads', () => {
    const issueInstant = new Date('2024-01-01T00:00:00Z');
    const xml = renderSamlValidateRequest({ ticket: 'ST-1-abc', requestId: '_q1', issueInstant });
    assert.deepEqual(parseSamlValidateRequest(xml), {
      ticket: 'ST-1-abc',
      requestId: '_q1',
      issueInstant: '2024-01-01T00:00:00.000Z',
    });
  });

  test('escapes the ticket and the request id: no second artifact, no extra attribute', () => {
    const ticket = 'ST-1</samlp:AssertionArtifact><samlp:AssertionArtifact>ST-2';
    const requestId = '_q" IssueInstant="1999-01-01T00:00:00Z';
    const xml = renderSamlValidateRequest({ ticket, requestId, issueInstant: new Date(0) });
    assert.deepEqual(parseSamlValidateRequest(xml), {
      ticket,
      requestId,
      issueInstant: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('renderSamlSuccess', () => {
  test('audience defaults to the recipient; no attribute statement without attributes', () => {
    const xml = renderSamlSuccess(base);
    assert.match(xml, /<saml:Audience>https:\/\/app\.example\.org\/<\/saml:Audience>/);
    assert.doesNotMatch(xml, /AttributeStatement/);
    assert.doesNotMatch(xml, /InResponseTo/);
    assert.deepEqual(parseSamlResponse(xml), {
      kind: 'success',
      user: 'jdoe',
      attributes: {},
      responseId: '_r1',
      issuer: 'cas.example.org',
      audiences: ['https://app.example.org/'],
      notBefore: '2024-01-01T00:00:00.000Z',
      notOnOrAfter: '2024-01-01T00:00:30.000Z',
      authenticationInstant: '2024-01-01T00:00:00.000Z',
      authenticationMethod: 'urn:oasis:names:tc:SAML:1.0:am:password',
    });
  });

  test('a random AssertionID when none is given', () => {
    const { assertionId: _, ...rest } = base;
    const a = /AssertionID="(_[0-9a-f]{32})"/.exec(renderSamlSuccess(rest))?.[1];
    const b = /AssertionID="(_[0-9a-f]{32})"/.exec(renderSamlSuccess(rest))?.[1];
    assert.ok(a && b && a !== b);
  });

  test('escapes user, attribute names and values, issuer and recipient', () => {
    const evil = `"><saml:NameIdentifier>admin</saml:NameIdentifier><x a="`;
    const xml = renderSamlSuccess({
      ...base,
      user: evil,
      issuer: evil,
      recipient: `https://app.example.org/?a=1&b="2"`,
      attributes: { [evil]: [evil, '<&>'] },
      attributeNamespace: 'urn:x',
    });
    const parsed = parseSamlResponse(xml);
    assert.equal(parsed.kind, 'success');
    if (parsed.kind !== 'success') return;
    assert.equal(parsed.user, evil);
    assert.equal(parsed.issuer, evil);
    assert.deepEqual(parsed.audiences, ['https://app.example.org/?a=1&b="2"']);
    assert.deepEqual(parsed.attributes, { [evil]: [evil, '<&>'] });
    assert.match(xml, /AttributeNamespace="urn:x"/);
  });
});

describe('renderSamlFailure', () => {
  test('status code with an optional nested code, escaped message', () => {
    const xml = renderSamlFailure({
      responseId: '_f',
      issueInstant: new Date(0),
      statusCode: 'samlp:Requester',
      subStatusCode: 'samlp:RequestDenied',
      message: 'bad <ticket> & co',
      recipient: 'https://app.example.org/',
    });
    assert.match(
      xml,
      /<samlp:StatusCode Value="samlp:Requester">\n\s+<samlp:StatusCode Value="samlp:RequestDenied"\/>/,
    );
    assert.doesNotMatch(xml, /Assertion/);
    assert.deepEqual(parseSamlResponse(xml), {
      kind: 'failure',
      statusCode: 'samlp:Requester',
      subStatusCode: 'samlp:RequestDenied',
      message: 'bad <ticket> & co',
    });
  });
});

describe('parseSamlResponse: strict about meaning', () => {
  const ok = renderSamlSuccess({ ...base, attributes: { a: ['1'] } });
  test('refuses two assertions', () => {
    const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>\n/.exec(ok)![0];
    assert.throws(() => parseSamlResponse(ok.replace(assertion, assertion + assertion)), /one assertion/);
  });
  test('refuses subjects naming different users', () => {
    const parts = ok.split('<saml:NameIdentifier>jdoe</saml:NameIdentifier>');
    assert.equal(parts.length, 3);
    const tampered = `${parts[0]}<saml:NameIdentifier>jdoe</saml:NameIdentifier>${parts[1]}<saml:NameIdentifier>admin</saml:NameIdentifier>${parts[2]}`;
    assert.throws(() => parseSamlResponse(tampered), /exactly one user/);
  });
  test('refuses a success without status, or without user, and non-SAML documents', () => {
    assert.throws(
      () => parseSamlResponse(ok.replace(/<samlp:Status>[\s\S]*<\/samlp:Status>/, '')),
      /status code/,
    );
    assert.throws(
      () => parseSamlResponse(ok.replace(/<saml:NameIdentifier>jdoe</g, '<saml:NameIdentifier><')),
      ProtocolParseError,
    );
    assert.throws(() => parseSamlResponse('<cas:serviceResponse xmlns:cas="x"/>'), ProtocolParseError);
    assert.throws(() => parseSamlResponse('<Envelope><Body/></Envelope>'), ProtocolParseError);
  });
});
