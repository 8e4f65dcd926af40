import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolParseError, parseLogoutRequest, renderLogoutRequest } from '../src/index.ts';

describe('logoutRequest', () => {
  test('renders the Appendix C document on one line', () => {
    assert.equal(
      renderLogoutRequest({ id: 'LR-1', issueInstant: new Date(0), nameId: 'jdoe', sessionIndex: 'ST-1' }),
      '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" IssueInstant="1970-01-01T00:00:00.000Z"><saml:NameID>jdoe</saml:NameID><samlp:SessionIndex>ST-1</samlp:SessionIndex></samlp:LogoutRequest>',
    );
  });

  test('escapes every value', () => {
    const xml = renderLogoutRequest({
      id: '"x',
      issueInstant: new Date(0),
      nameId: '</saml:NameID>',
      sessionIndex: '<i>&',
    });
    assert.deepEqual(parseLogoutRequest(xml), {
      id: '"x',
      issueInstant: '1970-01-01T00:00:00.000Z',
      nameId: '</saml:NameID>',
      sessionIndex: '<i>&',
    });
  });

  test('parses other prefixes, default namespaces and padding', () => {
    const xml = `<?xml version="1.0"?>
<LogoutRequest xmlns="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0" IssueInstant="2024-01-01T00:00:00Z">
  <NameID xmlns="urn:oasis:names:tc:SAML:2.0:assertion">
      @NOT_USED@
  </NameID>
  <SessionIndex>
      ST-42-abc
  </SessionIndex>
</LogoutRequest>`;
    assert.deepEqual(parseLogoutRequest(xml), {
      id: '_1',
      issueInstant: '2024-01-01T00:00:00Z',
      nameId: '@NOT_USED@',
      sessionIndex: 'ST-42-abc',
    });
    assert.deepEqual(
      parseLogoutRequest(
        '<p:LogoutRequest xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol"><p:SessionIndex>ST-9</p:SessionIndex></p:LogoutRequest>',
      ),
      {
        sessionIndex: 'ST-9',
      },
    );
  });

  test('refuses documents without a session index, other documents and oversized ones', () => {
    const bad = [
      '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:NameID xmlns:saml="x">u</saml:NameID></samlp:LogoutRequest>',
      '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex> </samlp:SessionIndex></samlp:LogoutRequest>',
      '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>ST-1</samlp:SessionIndex></samlp:LogoutResponse>',
      'ST-1',
    ];
    for (const body of bad) assert.throws(() => parseLogoutRequest(body), ProtocolParseError, body);
    const xml = renderLogoutRequest({ id: '_1', issueInstant: new Date(0), sessionIndex: 'ST-1' });
    assert.throws(() => parseLogoutRequest(xml, { maxBytes: 64 }), /exceeds 64 bytes/);
  });
});
