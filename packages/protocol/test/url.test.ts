import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withQuery } from '../src/index.ts';

describe('withQuery', () => {
  test('adds a query, encoding keys and values', () => {
    assert.equal(
      withQuery('https://cas.example.org/cas/login', { service: 'https://app.example.org/a?b=1&c=2#d' }),
      'https://cas.example.org/cas/login?service=https%3A%2F%2Fapp.example.org%2Fa%3Fb%3D1%26c%3D2%23d',
    );
    assert.equal(
      withQuery('https://x/', { 'a b': 'c&d=e', é: '💡' }),
      'https://x/?a%20b=c%26d%3De&%C3%A9=%F0%9F%92%A1',
    );
  });
  test('keeps the existing query and puts parameters before the fragment', () => {
    assert.equal(withQuery('https://app/p?x=1#top', { ticket: 'ST-1' }), 'https://app/p?x=1&ticket=ST-1#top');
    assert.equal(withQuery('https://app/p#a?b', { ticket: 'ST-1' }), 'https://app/p?ticket=ST-1#a?b');
    assert.equal(withQuery('https://app/p?', { ticket: 'ST-1' }), 'https://app/p?ticket=ST-1');
    assert.equal(withQuery('https://app/p?x=1&', { ticket: 'ST-1' }), 'https://app/p?x=1&ticket=ST-1');
  });
  test('leaves the rest of the URL untouched', () => {
    assert.equal(
      withQuery('https://APP:443/a/../b?q=%7e+x', { t: '1' }),
      'https://APP:443/a/../b?q=%7e+x&t=1',
    );
  });
  test('skips undefined values and returns the URL as is without parameters', () => {
    assert.equal(withQuery('https://app/p#f', { renew: undefined }), 'https://app/p#f');
    assert.equal(withQuery('https://app/p', { a: '', b: undefined }), 'https://app/p?a=');
  });
  test('accepts entries, including repeated keys', () => {
    assert.equal(
      withQuery('https://app/', [
        ['a', '1'],
        ['a', '2'],
      ]),
      'https://app/?a=1&a=2',
    );
    assert.equal(withQuery('https://app/', new URLSearchParams({ x: 'y z' })), 'https://app/?x=y%20z');
  });
});
