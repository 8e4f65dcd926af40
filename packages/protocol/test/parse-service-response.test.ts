import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProtocolParseError, parseServiceResponse } from '../src/index.ts';

const wrap = (inner: string, prefix = 'cas') =>
  `<${prefix}:serviceResponse xmlns:${prefix}="http://www.yale.edu/tp/cas">${inner}</${prefix}:serviceResponse>`;

describe('parseServiceResponse: tolerant of form', () => {
  test('format is sniffed: JSON when the body starts with {', () => {
    const json = '  \n{"serviceResponse":{"authenticationSuccess":{"user":"u"}}}';
    assert.deepEqual(parseServiceResponse(json), { kind: 'success', user: 'u', attributes: {}, proxies: [] });
  });

  test('name-value attributes inside cas:attributes, mixed with element attributes', () => {
    const xml = wrap(
      '<cas:authenticationSuccess><cas:user>u</cas:user><cas:attributes>' +
        '<cas:attribute name="a" value="1"/><cas:b>2</cas:b><cas:attribute name="a" value="3"/>' +
        '</cas:attributes></cas:authenticationSuccess>',
    );
    assert.deepEqual(parseServiceResponse(xml), {
      kind: 'success',
      user: 'u',
      attributes: { a: ['1', '3'], b: ['2'] },
      proxies: [],
    });
  });

  test('an element called attribute without name/value is an ordinary attribute', () => {
    const xml = wrap(
      '<cas:authenticationSuccess><cas:user>u</cas:user><cas:attributes><cas:attribute>x</cas:attribute></cas:attributes></cas:authenticationSuccess>',
    );
    const parsed = parseServiceResponse(xml);
    assert.equal(parsed.kind, 'success');
    if (parsed.kind === 'success') assert.deepEqual(parsed.attributes, { attribute: ['x'] });
  });

  test('nested markup in an attribute value gives its text', () => {
    const xml = wrap(
      '<cas:authenticationSuccess><cas:user>u</cas:user><cas:attributes><cas:a>x<b>y</b>z</cas:a></cas:attributes></cas:authenticationSuccess>',
    );
    const parsed = parseServiceResponse(xml);
    if (parsed.kind === 'success') assert.deepEqual(parsed.attributes, { a: ['xyz'] });
  });

  test('several prefixes in one document', () => {
    const xml =
      '<a:serviceResponse xmlns:a="http://www.yale.edu/tp/cas" xmlns:b="http://www.yale.edu/tp/cas">' +
      '<b:authenticationSuccess><a:user> u </a:user></b:authenticationSuccess></a:serviceResponse>';
    assert.deepEqual(parseServiceResponse(xml), { kind: 'success', user: 'u', attributes: {}, proxies: [] });
  });

  test('JSON: numeric user, nested objects kept as JSON text, empty PGT ignored', () => {
    const json = JSON.stringify({
      serviceResponse: {
        authenticationSuccess: {
          user: 42,
          proxyGrantingTicket: '',
          attributes: { o: { k: 1 }, n: [null, 'x'] },
        },
      },
    });
    assert.deepEqual(parseServiceResponse(json), {
      kind: 'success',
      user: '42',
      attributes: { o: ['{"k":1}'], n: ['x'] },
      proxies: [],
    });
  });

  test('JSON failure without description', () => {
    assert.deepEqual(
      parseServiceResponse('{"serviceResponse":{"authenticationFailure":{"code":"INVALID_TICKET"}}}'),
      {
        kind: 'failure',
        code: 'INVALID_TICKET',
        description: '',
      },
    );
  });

  test('unknown failure codes are passed through', () => {
    const xml = wrap('<cas:authenticationFailure code="SOMETHING_NEW">why</cas:authenticationFailure>');
    assert.deepEqual(parseServiceResponse(xml), {
      kind: 'failure',
      code: 'SOMETHING_NEW',
      description: 'why',
    });
  });

  test('blank lines before the XML declaration', () => {
    const xml = `\r\n\n<?xml version="1.0" encoding="UTF-8"?>\n${wrap('<cas:authenticationFailure code="INVALID_TICKET"/>')}\n`;
    assert.deepEqual(parseServiceResponse(xml), { kind: 'failure', code: 'INVALID_TICKET', description: '' });
  });

  test('Uint8Array bodies', () => {
    const bytes = new TextEncoder().encode(
      wrap('<cas:authenticationSuccess><cas:user>zoë</cas:user></cas:authenticationSuccess>'),
    );
    assert.deepEqual(parseServiceResponse(bytes), {
      kind: 'success',
      user: 'zoë',
      attributes: {},
      proxies: [],
    });
  });
});

describe('parseServiceResponse: strict about meaning', () => {
  const refused: [string, string][] = [
    ['an HTML error page', '<html><body>Service unavailable</body></html>'],
    ['an empty body', ''],
    ['plain text', 'yes\njdoe\n'],
    ['a truncated document', wrap('<cas:authenticationSuccess><cas:user>u</cas:user>').slice(0, -30)],
    ['no outcome', wrap('')],
    ['an unknown outcome', wrap('<cas:somethingElse/>')],
    [
      'two outcomes',
      wrap(
        '<cas:authenticationFailure code="INVALID_TICKET">x</cas:authenticationFailure>' +
          '<cas:authenticationSuccess><cas:user>u</cas:user></cas:authenticationSuccess>',
      ),
    ],
    ['no user', wrap('<cas:authenticationSuccess><cas:attributes/></cas:authenticationSuccess>')],
    ['an empty user', wrap('<cas:authenticationSuccess><cas:user>  </cas:user></cas:authenticationSuccess>')],
    [
      'two users (what an injection into a naive renderer produces)',
      wrap(
        '<cas:authenticationSuccess><cas:user>victim</cas:user><cas:user>admin</cas:user></cas:authenticationSuccess>',
      ),
    ],
    [
      'two PGT IOUs',
      wrap(
        '<cas:authenticationSuccess><cas:user>u</cas:user><cas:proxyGrantingTicket>a</cas:proxyGrantingTicket><cas:proxyGrantingTicket>b</cas:proxyGrantingTicket></cas:authenticationSuccess>',
      ),
    ],
    [
      'two proxies lists',
      wrap(
        '<cas:authenticationSuccess><cas:user>u</cas:user><cas:proxies><cas:proxy>a</cas:proxy></cas:proxies><cas:proxies><cas:proxy>b</cas:proxy></cas:proxies></cas:authenticationSuccess>',
      ),
    ],
    ['a failure without code', wrap('<cas:authenticationFailure>x</cas:authenticationFailure>')],
    ['an empty proxy ticket', wrap('<cas:proxySuccess><cas:proxyTicket/></cas:proxySuccess>')],
    ['another root element', '<cas:response xmlns:cas="http://www.yale.edu/tp/cas"/>'],
    ['malformed JSON', '{"serviceResponse":'],
    ['JSON without serviceResponse', '{"authenticationSuccess":{"user":"u"}}'],
    ['JSON array', '[]'],
    [
      'JSON with two outcomes',
      '{"serviceResponse":{"authenticationSuccess":{"user":"u"},"authenticationFailure":{"code":"X"}}}',
    ],
    ['JSON user as object', '{"serviceResponse":{"authenticationSuccess":{"user":{"name":"u"}}}}'],
    ['JSON user missing', '{"serviceResponse":{"authenticationSuccess":{}}}'],
    [
      'JSON attributes as array',
      '{"serviceResponse":{"authenticationSuccess":{"user":"u","attributes":["a"]}}}',
    ],
    ['JSON proxies as string', '{"serviceResponse":{"authenticationSuccess":{"user":"u","proxies":"p"}}}'],
    ['JSON failure without code', '{"serviceResponse":{"authenticationFailure":{"description":"x"}}}'],
    ['JSON proxySuccess without ticket', '{"serviceResponse":{"proxySuccess":{}}}'],
  ];
  for (const [what, body] of refused) {
    test(`refuses ${what}`, () => {
      assert.throws(() => parseServiceResponse(body), ProtocolParseError);
    });
  }

  test('an explicit format is not second-guessed', () => {
    assert.throws(() => parseServiceResponse('{"serviceResponse":{}}', 'xml'), ProtocolParseError);
    assert.throws(() => parseServiceResponse(wrap(''), 'json'), ProtocolParseError);
  });
});
