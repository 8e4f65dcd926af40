import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNextPath } from '../src/index.ts';

test('same-origin paths pass as they are', () => {
  for (const path of ['/', '/profile', '/a/b?c=d&e=%2F%2Fx#frag', '/%2F%2Fevil.example', '/..', '/a//b']) {
    assert.equal(safeNextPath(path), path);
  }
});

test('anything that could leave the origin is refused', () => {
  const attempts = [
    'https://evil.example/',
    'http:evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    ' /profile',
    '/pro file',
    '/\u0000',
    '/caf\u00e9',
    'javascript:alert(1)',
    'profile',
    '',
    `/${'a'.repeat(3000)}`,
    undefined,
    null,
    ['/'],
  ];
  for (const next of attempts) assert.equal(safeNextPath(next), undefined, JSON.stringify(next));
});
