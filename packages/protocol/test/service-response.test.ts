import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  escapeXml,
  isValidXmlName,
  parseServiceResponse,
  renderProxyJson,
  renderProxyXml,
  renderValidationJson,
  renderValidationXml,
} from '../src/index.ts';

describe('escapeXml', () => {
  test('escapes the five markup characters', () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
  test('returns clean text unchanged', () => {
    const text = 'plain text, accents é, emoji 😀, CJK 漢字';
    assert.equal(escapeXml(text), text);
  });
  test('keeps whitespace meaningful in attributes as character references', () => {
    assert.equal(escapeXml('a\tb\nc\r'), 'a&#9;b&#10;c&#13;');
  });
  test('drops characters XML 1.0 cannot carry', () => {
    assert.equal(escapeXml('a\u0000b\u0008c\u001Fd\uFFFEe\uFFFF'), 'abcde');
    assert.equal(escapeXml('lone \uD800 high, lone \uDC00 low'), 'lone  high, lone  low');
    assert.equal(escapeXml('pair \uD83D\uDE00'), 'pair \uD83D\uDE00');
  });
  test('is stable across calls (no regex state leaks between calls)', () => {
    for (let i = 0; i < 3; i++) assert.equal(escapeXml('<'), '&lt;');
  });
});

describe('isValidXmlName', () => {
  test('accepts NCNames', () => {
    for (const name of [
      'uid',
      'givenName',
      'eduPersonAffiliation',
      '_x',
      'a-b.c_d9',
      'ümlaut',
      '名前',
      'x·y',
    ]) {
      assert.ok(isValidXmlName(name), name);
    }
  });
  test('refuses anything that is not a plain element name', () => {
    for (const name of [
      '',
      'bad name',
      '1abc',
      '-x',
      '.x',
      'a:b',
      'a>b',
      'x><cas:user>admin</cas:user><x',
      'a/b',
      'a"b',
      'a=b',
      'tab\t',
    ]) {
      assert.ok(!isValidXmlName(name), JSON.stringify(name));
    }
  });
});

describe('renderValidationXml', () => {
  test('minimal success matches the specification layout', () => {
    assert.equal(
      renderValidationXml({ user: 'username' }),
      '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n' +
        '  <cas:authenticationSuccess>\n' +
        '    <cas:user>username</cas:user>\n' +
        '  </cas:authenticationSuccess>\n' +
        '</cas:serviceResponse>\n',
    );
  });

  test('empty attributes and empty proxies render no wrapper elements', () => {
    const xml = renderValidationXml({ user: 'u', attributes: { none: [] }, proxies: [] });
    assert.doesNotMatch(xml, /cas:attributes|cas:proxies/);
  });

  test('attribute names that are not XML names are skipped, never injected', () => {
    const xml = renderValidationXml({
      user: 'victim',
      attributes: {
        ok: ['1'],
        'user>admin</cas:user><cas:user': ['x'],
        'a b': ['x'],
        '': ['x'],
        'cas:user': ['x'],
      },
    });
    assert.equal((xml.match(/<cas:user>/g) ?? []).length, 1);
    const parsed = parseServiceResponse(xml);
    assert.deepEqual(parsed, { kind: 'success', user: 'victim', attributes: { ok: ['1'] }, proxies: [] });
  });

  test('markup in every user-controlled value is escaped', () => {
    const evil = `</cas:user><cas:user>admin</cas:user>]]><!--`;
    const xml = renderValidationXml({
      user: evil,
      attributes: { a: [evil] },
      proxyGrantingTicket: evil,
      proxies: [evil],
    });
    assert.doesNotMatch(xml, /<cas:user>admin/);
    assert.deepEqual(parseServiceResponse(xml), {
      kind: 'success',
      user: evil,
      attributes: { a: [evil] },
      proxyGrantingTicket: evil,
      proxies: [evil],
    });
    const failure = renderValidationXml({
      code: 'INVALID_TICKET',
      description: `"/><cas:authenticationSuccess>`,
    });
    assert.deepEqual(parseServiceResponse(failure), {
      kind: 'failure',
      code: 'INVALID_TICKET',
      description: `"/><cas:authenticationSuccess>`,
    });
  });

  test('__proto__ as an attribute name stays data', () => {
    const attributes = JSON.parse('{"__proto__":["x"],"constructor":["y"]}') as Record<string, string[]>;
    const parsed = parseServiceResponse(renderValidationXml({ user: 'u', attributes }));
    assert.equal(parsed.kind, 'success');
    if (parsed.kind !== 'success') return;
    assert.deepEqual(Object.getOwnPropertyDescriptor(parsed.attributes, '__proto__')?.value, ['x']);
    assert.deepEqual(parsed.attributes['constructor'], ['y']);
    assert.equal(Object.getPrototypeOf(parsed.attributes), Object.prototype);
  });

  test('refuses to render a success without a user', () => {
    assert.throws(() => renderValidationXml({ user: '' }), TypeError);
    assert.throws(() => renderValidationJson({ user: '' }), TypeError);
  });
});

describe('renderValidationJson', () => {
  test('attributes are always arrays, same names as the XML form', () => {
    const json = renderValidationJson({
      user: 'u',
      attributes: { a: ['1'], 'bad name': ['2'], b: ['x', 'y'] },
    });
    assert.equal(
      json,
      '{"serviceResponse":{"authenticationSuccess":{"user":"u","attributes":{"a":["1"],"b":["x","y"]}}}}',
    );
  });
  test('markup characters are \\u escapes and the JSON still means the same', () => {
    const value = `</script><script>alert(1)</script>&\u2028`;
    const json = renderValidationJson({ user: value });
    assert.doesNotMatch(json, /[<>&\u2028]/);
    assert.equal(JSON.parse(json).serviceResponse.authenticationSuccess.user, value);
  });
  test('failure', () => {
    assert.equal(
      renderValidationJson({ code: 'INVALID_REQUEST', description: 'missing ticket' }),
      '{"serviceResponse":{"authenticationFailure":{"code":"INVALID_REQUEST","description":"missing ticket"}}}',
    );
  });
});

describe('/proxy responses', () => {
  test('XML and JSON, success and failure, round trip', () => {
    const success = { proxyTicket: 'PT-<x>' };
    const failure = { code: 'UNAUTHORIZED_SERVICE' as const, description: 'no & no' };
    assert.deepEqual(parseServiceResponse(renderProxyXml(success)), {
      kind: 'proxySuccess',
      proxyTicket: 'PT-<x>',
    });
    assert.deepEqual(parseServiceResponse(renderProxyJson(success)), {
      kind: 'proxySuccess',
      proxyTicket: 'PT-<x>',
    });
    const expected = { kind: 'proxyFailure', code: 'UNAUTHORIZED_SERVICE', description: 'no & no' };
    assert.deepEqual(parseServiceResponse(renderProxyXml(failure)), expected);
    assert.deepEqual(parseServiceResponse(renderProxyJson(failure)), expected);
  });
});
