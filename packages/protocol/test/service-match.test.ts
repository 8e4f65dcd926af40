import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileServicePattern, matchesService, normalizeServiceUrl, sameService } from '../src/index.ts';

describe('normalizeServiceUrl', () => {
  test('lower-cases scheme and host, drops default ports, resolves dot segments', () => {
    assert.equal(
      normalizeServiceUrl('HTTPS://App.Example.ORG:443/Path/./x/../y?Q=1#F'),
      'https://app.example.org/Path/y?Q=1#F',
    );
    assert.equal(normalizeServiceUrl('http://app.example.org:80'), 'http://app.example.org/');
    assert.equal(normalizeServiceUrl('https://app.example.org:8443/'), 'https://app.example.org:8443/');
    assert.equal(normalizeServiceUrl('  https://app.example.org/\n'), 'https://app.example.org/');
  });

  test('decodes a doubly-encoded URL once, and only once', () => {
    assert.equal(
      normalizeServiceUrl('https%3A%2F%2Fapp.example.org%2Fcb%3Fx%3D1'),
      'https://app.example.org/cb?x=1',
    );
    assert.equal(normalizeServiceUrl('HTTP%3a%2f%2fapp.example.org%2F'), 'http://app.example.org/');
    assert.equal(normalizeServiceUrl('https%253A%252F%252Fapp.example.org%252F'), undefined);
    assert.equal(normalizeServiceUrl('https%3A%2F%2Fapp%ZZ'), undefined);
  });

  test('is idempotent', () => {
    for (const url of ['HTTPS://A.com:443/x/../y?b=2&a=1', 'https%3A%2F%2Fa.com%2F', 'http://[::1]:8080/p']) {
      const once = normalizeServiceUrl(url);
      assert.ok(once !== undefined, url);
      assert.equal(normalizeServiceUrl(once), once);
    }
  });

  test('refuses what is not an absolute http(s) URL without credentials', () => {
    const refused = [
      '',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.org/',
      '//evil.com',
      '/relative/path',
      'evil.com',
      'https://good.com@evil.com',
      'https://user:pass@good.com/',
      'https://@evil.com/',
      'https://good.com\\@evil.com',
      'https:\\\\evil.com',
      'https://good.com\\.evil.com/',
      'https://good.com/\tx',
      'https://goo\ngle.com/',
      'https://good.com /x',
      'https://good.com/\u0000',
      'https%3A%2F%2Fgood.com%40evil.com',
      'https%3A%2F%2Fgood.com%5C%40evil.com',
      'https://',
    ];
    for (const url of refused) assert.equal(normalizeServiceUrl(url), undefined, JSON.stringify(url));
  });
});

describe('compileServicePattern / matchesService', () => {
  test('exact compares normalised URLs strictly', () => {
    const p = compileServicePattern({ kind: 'exact', value: 'https://app.example.org/cb?x=1' });
    assert.ok(matchesService(p, 'https://app.example.org/cb?x=1'));
    assert.ok(matchesService(p, 'HTTPS://APP.example.org:443/cb?x=1'));
    assert.ok(!matchesService(p, 'https://app.example.org/cb?x=1&y=2'));
    assert.ok(!matchesService(p, 'https://app.example.org/cb?x=2'));
    assert.ok(!matchesService(p, 'https://app.example.org/cb'));
    assert.ok(!matchesService(p, 'https://app.example.org/cb/?x=1'));
    assert.ok(!matchesService(p, 'http://app.example.org/cb?x=1'));
  });

  test('prefix must end at a path boundary', () => {
    const p = compileServicePattern({ kind: 'prefix', value: 'https://a.com/app' });
    for (const url of [
      'https://a.com/app',
      'https://a.com/app/',
      'https://a.com/app/x/y',
      'https://a.com/app?x=1',
      'https://a.com/app#f',
    ]) {
      assert.ok(matchesService(p, url), url);
    }
    for (const url of [
      'https://a.com/application',
      'https://a.com/app.evil',
      'https://a.com/ap',
      'https://a.com.evil.com/app',
      'https://a.com/app/../admin',
      'https://a.com/app/%2e%2e/admin',
      'http://a.com/app',
      'https://a.com:8443/app',
      'https://evil.com/https://a.com/app',
    ]) {
      assert.ok(!matchesService(p, url), url);
    }
  });

  test('a bare origin prefix covers the host and nothing else', () => {
    const p = compileServicePattern({ kind: 'prefix', value: 'https://a.com' });
    assert.ok(matchesService(p, 'https://a.com'));
    assert.ok(matchesService(p, 'https://a.com/anything?x'));
    for (const url of [
      'https://a.com.evil.com/',
      'https://a.com@evil.com/',
      'https://a.comevil.com/',
      'https://a.com:444/',
    ]) {
      assert.ok(!matchesService(p, url), url);
    }
  });

  test('prefix ending with a slash, and prefix with a query', () => {
    const slash = compileServicePattern({ kind: 'prefix', value: 'https://a.com/app/' });
    assert.ok(matchesService(slash, 'https://a.com/app/x'));
    assert.ok(!matchesService(slash, 'https://a.com/app'));
    const query = compileServicePattern({ kind: 'prefix', value: 'https://a.com/app?tenant=1' });
    assert.ok(matchesService(query, 'https://a.com/app?tenant=1&x=2'));
    assert.ok(!matchesService(query, 'https://a.com/app?tenant=12'));
  });

  test('regex is used as written, against the normalised URL', () => {
    const anchored = compileServicePattern({ kind: 'regex', value: '^https://app\\.example\\.com(:443)?/' });
    assert.ok(matchesService(anchored, 'https://app.example.com/x'));
    assert.ok(matchesService(anchored, 'HTTPS://APP.EXAMPLE.COM:443/x'), 'normalised before testing');
    for (const url of [
      'https://app.example.com.evil.com/',
      'https://app.example.com@evil.com/',
      'https://evil.com/?https://app.example.com/',
      'https://app.example.com\\@evil.com/',
      'javascript://app.example.com/%0Aalert(1)',
      '//app.example.com/',
    ]) {
      assert.ok(!matchesService(anchored, url), url);
    }
    // What an unanchored pattern allows: the operator's responsibility, documented.
    const loose = compileServicePattern({ kind: 'regex', value: 'https://app\\.example\\.com' });
    assert.ok(matchesService(loose, 'https://app.example.com.evil.com/'));
  });

  test('configuration errors are reported at compile time', () => {
    assert.throws(() => compileServicePattern({ kind: 'regex', value: '(' }), /invalid service regex/);
    assert.throws(
      () => compileServicePattern({ kind: 'exact', value: 'not a url' }),
      /invalid exact service pattern/,
    );
    assert.throws(() => compileServicePattern({ kind: 'prefix', value: 'javascript:' }), TypeError);
    assert.throws(
      () => compileServicePattern({ kind: 'glob' as 'exact', value: 'https://a.com/' }),
      /unknown/,
    );
  });

  test('unacceptable URLs never match, whatever the pattern', () => {
    const all = compileServicePattern({ kind: 'regex', value: '.*' });
    assert.ok(matchesService(all, 'https://anything.example/'));
    for (const url of [
      'javascript:alert(1)',
      '//evil.com',
      'https://u:p@evil.com/',
      'https://a.com\\@evil.com',
    ]) {
      assert.ok(!matchesService(all, url), url);
    }
  });
});

describe('sameService', () => {
  test('equal after normalisation', () => {
    assert.ok(sameService('https://app.example.org/cb?x=1', 'HTTPS://APP.EXAMPLE.ORG:443/cb?x=1'));
    assert.ok(sameService('https://app.example.org/', 'https%3A%2F%2Fapp.example.org%2F'));
  });

  test('tolerates a trailing slash and a leftover ticket parameter', () => {
    assert.ok(sameService('https://app.example.org/cb', 'https://app.example.org/cb/'));
    assert.ok(sameService('https://app.example.org/cb/', 'https://app.example.org/cb'));
    assert.ok(
      sameService('https://app.example.org/cb?x=1', 'https://app.example.org/cb?x=1&ticket=ST-1-abc'),
    );
    assert.ok(
      sameService('https://app.example.org/cb?x=1', 'https://app.example.org/cb?ticket=ST-1-abc&x=1'),
    );
    assert.ok(sameService('https://app.example.org/cb', 'https://app.example.org/cb/?ticket=ST-1'));
    assert.ok(sameService('https://app.example.org', 'https://app.example.org/?ticket=ST-1'));
  });

  test('anything else differs', () => {
    const issued = 'https://app.example.org/cb?x=1';
    for (const presented of [
      'https://app.example.org/cb?x=2',
      'https://app.example.org/cb?x=1&y=2',
      'https://app.example.org/cb?y=2&x=1',
      'https://app.example.org/cb2?x=1',
      'https://app.example.org/c?x=1',
      'https://app.example.org//cb?x=1',
      'http://app.example.org/cb?x=1',
      'https://app.example.org:8443/cb?x=1',
      'https://app.example.org.evil.com/cb?x=1',
      'https://app.example.org@evil.com/cb?x=1',
      'https://evil.com/cb?x=1',
      'https://app.example.org/cb?x=1#frag',
      'https://app.example.org/cb?x=1&tickets=1',
      'https://app.example.org/cb?x=%31',
      'javascript:alert(1)',
      '',
    ]) {
      assert.ok(!sameService(issued, presented), presented);
    }
    assert.ok(!sameService('not a url', 'not a url'));
  });
});
