import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUILT_IN_TEMPLATES, Views } from '../src/views/views.ts';
import { TestBrowser } from './helpers/browser.ts';
import { startTestServer } from './helpers/test-server.ts';

const root = mkdtempSync(join(tmpdir(), 'usher-views-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fresh `ui.templatesDir` holding exactly `files` (name → Eta source). */
function templatesDir(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), source);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const CUSTOM_LOGIN = `<% layout('./layout') %>
<h1>Welcome to Example U</h1>
<form method="post" action="<%= it.action %>"><input type="hidden" name="lt" value="<%= it.loginToken %>"></form>
`;

const CUSTOM_LAYOUT = `<!doctype html>
<html lang="en"><head><title><%= it.pageTitle %> | <%= it.siteTitle %> (Example U)</title></head>
<body class="example-u"><%~ it.body %></body></html>
`;

describe('ui.templatesDir', () => {
  it('with only login.eta, renders the custom login page inside the built-in layout; other pages stay built in', async () => {
    const dir = templatesDir('login-only', { 'login.eta': CUSTOM_LOGIN });
    const t = await startTestServer({ settings: { ui: { templatesDir: dir } } });
    try {
      const browser = new TestBrowser();
      const login = await browser.get(`${t.baseUrl}/login`);
      assert.equal(login.status, 200);
      assert.match(login.text, /<h1>Welcome to Example U<\/h1>/);
      assert.doesNotMatch(login.text, /<h1>Sign in<\/h1>/);
      // The built-in layout around it.
      assert.match(login.text, /^<!doctype html>/);
      assert.match(login.text, /<title>Sign in · Usher<\/title>/);
      assert.match(login.text, /<main class="card">/);

      // The form still works, and the next pages are the built-in ones.
      const signedIn = await t.login({ browser });
      assert.equal(signedIn.status, 200);
      assert.match(signedIn.text, /<h1>You are signed in<\/h1>/);
      assert.match(signedIn.text, /<main class="card">/);
      const missing = await browser.get(`${t.baseUrl}/no-such-page`);
      assert.equal(missing.status, 404);
      assert.match(missing.text, /<h1>Not found<\/h1>/);
      assert.match(missing.text, /<main class="card">/);
    } finally {
      await t.close();
    }
  });

  it('with only layout.eta, changes the frame of every page and keeps the built-in pages inside it', async () => {
    const dir = templatesDir('layout-only', { 'layout.eta': CUSTOM_LAYOUT });
    const t = await startTestServer({ settings: { ui: { templatesDir: dir } } });
    try {
      const browser = new TestBrowser();
      const login = await browser.get(`${t.baseUrl}/login`);
      const signedIn = await t.login({ browser });
      const missing = await browser.get(`${t.baseUrl}/no-such-page`);
      const loggedOut = await browser.get(`${t.baseUrl}/logout`);
      const pages = [
        { page: login, title: 'Sign in', heading: 'Sign in' },
        { page: signedIn, title: 'Signed in', heading: 'You are signed in' },
        { page: missing, title: 'Not found', heading: 'Not found' },
        { page: loggedOut, title: 'Signed out', heading: '' },
      ];
      for (const { page, title, heading } of pages) {
        assert.match(page.text, new RegExp(`<title>${title} \\| Usher \\(Example U\\)</title>`), title);
        assert.match(page.text, /<body class="example-u">/, title);
        assert.doesNotMatch(page.text, /<main class="card">/, title);
        if (heading) assert.match(page.text, new RegExp(`<h1>${heading}</h1>`), title);
      }
      assert.match(login.text, /<input id="username"/);
    } finally {
      await t.close();
    }
  });

  it('uses the custom layout for a custom page too, and still escapes every <%= %> value', () => {
    const dir = templatesDir('both', {
      'layout.eta': CUSTOM_LAYOUT,
      'error.eta': `<% layout('./layout') %><p id="custom"><%= it.message %></p>`,
    });
    const views = new Views({ siteTitle: 'Usher <&> "co"', staticBase: '/static' }, dir);
    const html = views.render('error', 'Oops', { heading: 'x', message: '<script>alert(1)</script>' });
    assert.match(html, /<title>Oops \| Usher &lt;&amp;&gt; &quot;co&quot; \(Example U\)<\/title>/);
    assert.match(html, /<p id="custom">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/p>/);
    assert.doesNotMatch(html, /<script>/);
  });

  it('resolves partials the same way: relative to the including template, custom folder first', () => {
    const dir = templatesDir('partials', {
      'login.eta': `<% layout('./layout') %><%~ include('./parts/header', { who: '<b>' }) %>`,
      'parts/header.eta': `<header id="h"><%= it.who %><%~ include('./note') %><%~ include('/parts/note') %></header>`,
      'parts/note.eta': `<i>note</i>`,
    });
    const html = new Views({ siteTitle: 'Usher', staticBase: '/static' }, dir).render('login', 'Sign in', {});
    assert.match(html, /<header id="h">&lt;b&gt;<i>note<\/i><i>note<\/i><\/header>/);
    assert.match(html, /<main class="card">/);
  });

  it('renders the built-in pages when no folder is set', () => {
    const html = new Views({ siteTitle: 'Usher', staticBase: '/static' }).render('error', 'Oops', {
      heading: 'Oops',
      message: 'm',
    });
    assert.match(html, /<title>Oops · Usher<\/title>/);
    assert.match(html, /<h1>Oops<\/h1>/);
  });

  it('names a missing template and both folders it looked in', async () => {
    const dir = templatesDir('missing-partial', {
      'login.eta': `<% layout('./layout') %><%~ include('./footer') %>`,
    });
    const views = new Views({ siteTitle: 'Usher', staticBase: '/static' }, dir);
    assert.throws(
      () => views.render('login', 'Sign in', {}),
      (error: Error) => {
        assert.equal(error.name, 'EtaFileResolution Error');
        assert.equal(
          error.message,
          `Could not find template 'footer.eta' in ${dir} or ${BUILT_IN_TEMPLATES}`,
        );
        return true;
      },
    );

    // Through the server: the built-in error page, and the reason in the log.
    const t = await startTestServer({ settings: { ui: { templatesDir: dir } } });
    try {
      const page = await new TestBrowser().get(`${t.baseUrl}/login`);
      assert.equal(page.status, 500);
      assert.match(page.text, /<h1>Something went wrong<\/h1>/);
      assert.match(t.logs.join(''), /Could not find template 'footer\.eta' in /);
    } finally {
      await t.close();
    }
  });

  it('refuses template names leaving the folders', () => {
    // A template next to the custom folder, so only the check keeps it out.
    writeFileSync(join(root, 'secret.eta'), 'SECRET');
    const dir = templatesDir('escape', {});
    for (const name of ['../secret', '/../secret', './../secret', 'parts/../../secret', '../../secret']) {
      writeFileSync(join(dir, 'login.eta'), `<%~ include(${JSON.stringify(name)}) %>`);
      const views = new Views({ siteTitle: 'Usher', staticBase: '/static' }, dir);
      assert.throws(
        () => views.render('login', 'Sign in', {}),
        (error: Error) => {
          assert.equal(error.name, 'EtaFileResolution Error', name);
          assert.equal(error.message, `Template '${name}' is not in the templates folder`);
          return true;
        },
      );
    }
    // The built-in folder's parent cannot be reached either, even by a name that would exist there.
    writeFileSync(join(dir, 'login.eta'), `<%~ include('../views.ts') %>`);
    assert.throws(
      () => new Views({ siteTitle: 'Usher', staticBase: '/static' }, dir).render('login', 'Sign in', {}),
      /is not in the templates folder/,
    );
  });
});
