import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ProtocolParseError,
  parseCas1Response,
  parseCasFlag,
  renderCas1Failure,
  renderCas1Success,
} from '../src/index.ts';

describe('CAS 1 /validate', () => {
  test('renders yes/no', () => {
    assert.equal(renderCas1Success('jdoe'), 'yes\njdoe\n');
    assert.equal(renderCas1Failure(), 'no\n\n');
  });

  test('a line break in the user cannot truncate it on the client', () => {
    const body = renderCas1Success('admin\nmallory');
    assert.equal(body.split('\n').length, 3);
    assert.notEqual(parseCas1Response(body), { kind: 'success', user: 'admin' });
    assert.deepEqual(parseCas1Response(body), { kind: 'success', user: 'admin\uFFFDmallory' });
    assert.equal(renderCas1Success('a\r\u2028b'), 'yes\na\uFFFD\uFFFDb\n');
  });

  test('parses tolerantly', () => {
    assert.deepEqual(parseCas1Response('yes\r\njdoe\r\n'), { kind: 'success', user: 'jdoe' });
    assert.deepEqual(parseCas1Response('yes\n  jdoe  \n'), { kind: 'success', user: 'jdoe' });
    assert.deepEqual(parseCas1Response('no\n'), { kind: 'failure' });
    assert.deepEqual(parseCas1Response('no'), { kind: 'failure' });
  });

  test('refuses anything else', () => {
    for (const body of ['', 'yes\n', 'yes\n\n', 'YES\njdoe\n', '<html>', 'maybe\njdoe\n']) {
      assert.throws(() => parseCas1Response(body), ProtocolParseError, JSON.stringify(body));
    }
  });
});

describe('parseCasFlag', () => {
  test('false for absent, empty, false and 0 in any case', () => {
    for (const v of [undefined, null, '', ' ', 'false', 'FALSE', 'False', '0', []]) {
      assert.equal(parseCasFlag(v), false, JSON.stringify(v));
    }
  });
  test('true for anything else', () => {
    for (const v of ['true', 'TRUE', '1', 'yes', 'on', 'no', 'renew', ['false', 'true']]) {
      assert.equal(parseCasFlag(v), true, JSON.stringify(v));
    }
  });
});
