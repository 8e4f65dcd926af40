import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../src/config/load-config.ts';
import { withTotpSecret } from '../src/mfa/totp-enrolment.ts';
import { LANGUAGES, MESSAGES } from '../src/views/messages/index.ts';
import { negotiateLanguage } from '../src/views/negotiate-language.ts';
import { RFC_KEY_BASE32 } from './auth/totp-reference.ts';
import { formField, TestBrowser } from './helpers/browser.ts';
import { APP_URL, PASSWORD, startTestServer, type TestServer, ticketFrom } from './helpers/test-server.ts';

const FRENCH_BROWSER = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' };
const HOSTILE_NAME = '<script>alert(1)</script> & "Co"';
const HOSTILE_URL = 'http://127.0.0.6:3000/';
const LOCKED_URL = 'http://127.0.0.7:3000/';

describe('negotiateLanguage', () => {
  const offered = ['en', 'fr'] as const;
  const cases: [string | undefined, string][] = [
    [undefined, 'en'],
    ['', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['fr-CA', 'fr'],
    ['FR', 'fr'],
    ['de, fr;q=0.5', 'fr'],
    ['de', 'en'],
    ['*', 'en'],
    ['de, *;q=0.1', 'en'],
    ['en;q=0.5, fr;q=0.8', 'fr'],
    // A tie goes to the exact match over a regional one (negotiator, as in Express).
    ['en-GB;q=0.9, fr;q=0.9', 'fr'],
    ['fr;q=0.9, en-GB;q=0.9', 'fr'],
    ['fr, en', 'fr'],
    ['en;q=0, *', 'fr'],
    ['fr;q=0, *', 'en'],
    ['fr;q=0', 'en'],
    ['fr;q=0.000, de', 'en'],
    ['fr-FR;q=0.2, fr;q=0.8, en;q=0.5', 'fr'],
    ['fr;q=abc', 'en'],
    ['fr ; q = 0.7 , en ; q = 0.6', 'fr'],
    ['français, fr_FR, <script>', 'en'],
    [`${'x-'.repeat(600)}, fr`, 'en'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header?.slice(0, 40))} → ${expected}`, () => {
      assert.equal(negotiateLanguage(header, offered), expected);
    });
  }

  it('falls back to the first offered language', () => {
    assert.equal(negotiateLanguage('de', ['fr', 'en']), 'fr');
    assert.equal(negotiateLanguage(undefined, ['fr', 'en']), 'fr');
    assert.equal(negotiateLanguage('en', ['fr']), 'fr');
  });
});

describe('message catalogues', () => {
  it('every language has every English key, of the same kind', () => {
    for (const language of LANGUAGES) {
      assert.deepEqual(Object.keys(MESSAGES[language]).sort(), Object.keys(MESSAGES.en).sort(), language);
      for (const [key, value] of Object.entries(MESSAGES.en)) {
        const translated = MESSAGES[language][key as keyof typeof MESSAGES.en];
        assert.equal(typeof translated, typeof value, `${language}.${key}`);
        if (typeof value === 'function') assert.equal(translated.length, value.length, `${language}.${key}`);
      }
    }
  });

  it('ui.language and ui.languages accept only the languages there are', () => {
    assert.deepEqual(resolveConfig({}, 'test').ui.languages, ['en', 'fr']);
    assert.equal(resolveConfig({}, 'test').ui.language, 'auto');
    assert.throws(() => resolveConfig({ ui: { language: 'de' } }, 'test'), /ui\.language/);
    assert.throws(() => resolveConfig({ ui: { languages: ['en', 'de'] } }, 'test'), /ui\.languages/);
    assert.throws(() => resolveConfig({ ui: { languages: [] } }, 'test'), /ui\.languages/);
    assert.throws(() => resolveConfig({ ui: { languages: ['fr', 'fr'] } }, 'test'), /ui\.languages/);
  });
});

describe('page language (ui.language: auto)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({
      settings: {
        services: {
          registry: [
            { name: 'App', match: 'prefix', pattern: APP_URL },
            { name: HOSTILE_NAME, match: 'prefix', pattern: HOSTILE_URL },
            { name: 'Disabled', match: 'prefix', pattern: 'http://127.0.0.4:3000/', enabled: false },
            {
              name: 'Locked',
              match: 'prefix',
              pattern: LOCKED_URL,
              attributes: { require: { memberOf: ['nobody'] } },
            },
          ],
        },
      },
    });
  });
  after(() => t.close());

  const loginPage = (headers: Record<string, string>, query = '') =>
    new TestBrowser(headers).get(`${t.baseUrl}/login${query}`);

  it('serves the French login page to a French browser, with lang, Content-Language and Vary', async () => {
    const page = await loginPage(FRENCH_BROWSER, `?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<html lang="fr">/);
    assert.match(page.text, /<title>Connexion · Usher<\/title>/);
    assert.match(page.text, /<h1>Connexion<\/h1>/);
    assert.match(page.text, /pour accéder à <strong>App<\/strong>/);
    assert.match(page.text, /<label for="username">Identifiant<\/label>/);
    assert.match(page.text, /<label for="password">Mot de passe<\/label>/);
    assert.match(page.text, /<button type="submit">Se connecter<\/button>/);
    assert.doesNotMatch(page.text, /Sign in|Username|Password/);
    assert.equal(page.headers.get('content-language'), 'fr');
    assert.match(page.headers.get('vary') ?? '', /accept-language/i);
    // The look and the policy are the same in every language.
    const english = await loginPage({}, `?service=${encodeURIComponent(APP_URL)}`);
    assert.equal(page.headers.get('content-security-policy'), english.headers.get('content-security-policy'));
    assert.match(page.text, /<link rel="stylesheet" href="\/static\/usher.css">/);
  });

  it('picks French for "de, fr;q=0.5" and English for "de", "*" or no header', async () => {
    const german = await loginPage({ 'accept-language': 'de, fr;q=0.5' });
    assert.match(german.text, /<h1>Connexion<\/h1>/);
    assert.equal(german.headers.get('content-language'), 'fr');
    const others: Record<string, string>[] = [{ 'accept-language': 'de' }, { 'accept-language': '*' }, {}];
    for (const headers of others) {
      const page = await loginPage(headers);
      assert.match(page.text, /<html lang="en">/, JSON.stringify(headers));
      assert.match(page.text, /<h1>Sign in<\/h1>/, JSON.stringify(headers));
      assert.equal(page.headers.get('content-language'), 'en');
      assert.match(page.headers.get('vary') ?? '', /accept-language/i);
    }
  });

  it('keeps markup in a service name escaped in French', async () => {
    const browser = new TestBrowser(FRENCH_BROWSER);
    const page = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(HOSTILE_URL)}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /<script>alert/);
    assert.match(
      page.text,
      /pour accéder à <strong>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;Co&quot;<\/strong>/,
    );
    // And on the warn page, where the name is also in the button.
    await t.login({ browser, extra: { warn: 'true' } });
    const warn = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(HOSTILE_URL)}`);
    assert.equal(warn.status, 200);
    assert.doesNotMatch(warn.text, /<script>alert/);
    assert.match(warn.text, /<h1>Continuer\u00a0\?<\/h1>/);
    assert.match(
      warn.text,
      /<button type="submit">Continuer vers &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;Co&quot;<\/button>/,
    );
    assert.match(warn.text, /\(session ouverte au nom de <strong>alice<\/strong>\)/);
  });

  it('shows the French error pages: unknown and disabled service, bad parameter, not found', async () => {
    const browser = new TestBrowser(FRENCH_BROWSER);
    const unknown = await browser.get(
      `${t.baseUrl}/login?service=${encodeURIComponent('https://evil.example/')}`,
    );
    assert.equal(unknown.status, 403);
    assert.match(unknown.text, /<html lang="fr">/);
    assert.match(unknown.text, /<title>Application non autorisée · Usher<\/title>/);
    assert.match(unknown.text, /<h1>Application non autorisée<\/h1>/);
    assert.match(unknown.text, /n’est pas enregistrée auprès de ce service d’authentification unique/);
    assert.match(unknown.text, /Aucune information ne lui a été transmise/);
    assert.equal(unknown.headers.get('content-language'), 'fr');

    const disabled = await browser.get(
      `${t.baseUrl}/login?service=${encodeURIComponent('http://127.0.0.4:3000/')}`,
    );
    assert.equal(disabled.status, 403);
    assert.match(disabled.text, /<h1>Application désactivée<\/h1>/);

    const tooLong = await browser.get(`${t.baseUrl}/login?service=${'a'.repeat(5000)}`);
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.text, /<h1>Requête invalide<\/h1>/);
    assert.match(tooLong.text, /Le paramètre «\u00a0service\u00a0» dépasse 4096\u00a0caractères/);

    const repeated = await browser.get(`${t.baseUrl}/logout?service=a&service=b`);
    assert.equal(repeated.status, 400);
    assert.match(repeated.text, /Le paramètre «\u00a0service\u00a0» figure plusieurs fois/);

    await t.login({ browser });
    const denied = await browser.get(`${t.baseUrl}/login?service=${encodeURIComponent(LOCKED_URL)}`);
    assert.equal(denied.status, 403);
    assert.match(denied.text, /<h1>Accès refusé<\/h1>/);
    assert.match(denied.text, /Votre compte n’est pas autorisé à accéder à Locked\./);
    assert.match(denied.text, /Aucun ticket n’a été émis\./);

    const missing = await browser.get(`${t.baseUrl}/no-such-page`);
    assert.equal(missing.status, 404);
    assert.match(missing.text, /<h1>Page introuvable<\/h1>/);
    assert.equal(missing.headers.get('content-language'), 'fr');
  });

  it('signs in and out in French, and leaves the CAS protocol answers as they are', async () => {
    const browser = new TestBrowser(FRENCH_BROWSER);
    const wrong = await t.login({ browser, service: APP_URL, password: 'wrong' });
    assert.equal(wrong.status, 401);
    assert.match(
      wrong.text,
      /<p class="alert error" role="alert">Identifiant ou mot de passe incorrect\.<\/p>/,
    );

    const empty = await t.login({ browser, password: '' });
    assert.equal(empty.status, 400);
    assert.match(empty.text, /Saisissez votre identifiant et votre mot de passe\./);

    const form = await browser.get(`${t.baseUrl}/login`);
    const fields = { lt: formField(form.text, 'lt')!, username: 'alice', password: PASSWORD };
    await browser.post(`${t.baseUrl}/login`, fields);
    const replayed = await new TestBrowser(FRENCH_BROWSER).post(`${t.baseUrl}/login`, fields);
    assert.equal(replayed.status, 400);
    assert.match(replayed.text, /Le formulaire de connexion a expiré\. Veuillez réessayer\./);

    const signedIn = await t.login({ browser: new TestBrowser(FRENCH_BROWSER) });
    assert.equal(signedIn.status, 200);
    assert.match(signedIn.text, /<title>Session ouverte · Usher<\/title>/);
    assert.match(signedIn.text, /<h1>Connexion réussie<\/h1>/);
    assert.match(signedIn.text, /Session ouverte au nom de <strong>alice<\/strong>\. Les applications/);
    assert.match(signedIn.text, />Se déconnecter<\/a>/);

    const redirect = await t.login({ browser, service: APP_URL });
    assert.equal(redirect.status, 302);
    const ticket = ticketFrom(redirect.location);
    const response = await fetch(
      `${t.baseUrl}/p3/serviceValidate?${new URLSearchParams({ service: APP_URL, ticket })}`,
      { headers: FRENCH_BROWSER },
    );
    assert.match(await response.text(), /<cas:user>alice<\/cas:user>/);
    assert.equal(response.headers.get('content-language'), null);
    const replay = await fetch(
      `${t.baseUrl}/p3/serviceValidate?${new URLSearchParams({ service: APP_URL, ticket })}`,
      { headers: FRENCH_BROWSER },
    );
    assert.match(await replay.text(), /<cas:authenticationFailure code="INVALID_TICKET">/);

    const loggedOut = await browser.get(`${t.baseUrl}/logout`);
    assert.equal(loggedOut.status, 200);
    assert.match(loggedOut.text, /<html lang="fr">/);
    assert.match(loggedOut.text, /<h1>Déconnexion réussie<\/h1>/);
    assert.match(loggedOut.text, /Votre session d’authentification unique est terminée\./);
    assert.match(loggedOut.text, />Se reconnecter<\/a>/);
    assert.equal(loggedOut.headers.get('content-language'), 'fr');
  });

  it('asks for the second factor in French', async () => {
    const user = await t.storage.users.find('alice');
    assert.ok(user);
    await t.storage.users.update(withTotpSecret(user, RFC_KEY_BASE32, t.clock()));
    try {
      const browser = new TestBrowser(FRENCH_BROWSER);
      const codeForm = await t.login({ browser, service: APP_URL });
      assert.equal(codeForm.status, 200);
      assert.match(codeForm.text, /<title>Vérification en deux étapes · Usher<\/title>/);
      assert.match(codeForm.text, /Saisissez le code à 6 chiffres/);
      assert.match(codeForm.text, /<button type="submit">Valider<\/button>/);
      const wrong = await browser.post(`${t.baseUrl}/login`, {
        lt: formField(codeForm.text, 'lt')!,
        code: '000000',
        service: APP_URL,
      });
      assert.equal(wrong.status, 401);
      assert.match(wrong.text, /Le code est incorrect ou a déjà été utilisé\./);
    } finally {
      await t.storage.users.update({
        ...(await t.storage.users.find('alice'))!,
        attributes: user.attributes,
      });
    }
  });
});

describe('page language (fixed and restricted)', () => {
  it('ui.language: fr serves French whatever the browser asks, without Vary', async () => {
    const t = await startTestServer({ settings: { ui: { language: 'fr' }, demo: { enabled: true } } });
    try {
      const browser = new TestBrowser({ 'accept-language': 'en-US,en;q=0.9' });
      const demo = await browser.get(`${t.baseUrl}/demo/`);
      assert.equal(demo.status, 200);
      assert.match(demo.text, /<h1>Service de démonstration<\/h1>/);
      assert.match(demo.text, />Se connecter à cette application<\/a>\./);
      const page = await browser.get(`${t.baseUrl}/login`);
      assert.match(page.text, /<html lang="fr">/);
      assert.match(page.text, /<h1>Connexion<\/h1>/);
      assert.equal(page.headers.get('content-language'), 'fr');
      assert.doesNotMatch(page.headers.get('vary') ?? '', /accept-language/i);
    } finally {
      await t.close();
    }
  });

  it('ui.languages: [fr, en] falls back to French, and a single language never varies', async () => {
    const t = await startTestServer({ settings: { ui: { languages: ['fr', 'en'] } } });
    const only = await startTestServer({ settings: { ui: { languages: ['en'] } } });
    try {
      const german = await new TestBrowser({ 'accept-language': 'de' }).get(`${t.baseUrl}/login`);
      assert.match(german.text, /<h1>Connexion<\/h1>/);
      const english = await new TestBrowser({ 'accept-language': 'de, en;q=0.1' }).get(`${t.baseUrl}/login`);
      assert.match(english.text, /<h1>Sign in<\/h1>/);
      const french = await new TestBrowser(FRENCH_BROWSER).get(`${only.baseUrl}/login`);
      assert.match(french.text, /<h1>Sign in<\/h1>/);
      assert.equal(french.headers.get('content-language'), 'en');
      assert.doesNotMatch(french.headers.get('vary') ?? '', /accept-language/i);
    } finally {
      await t.close();
      await only.close();
    }
  });

  it('gives custom templates the messages and the language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-language-'));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'login.eta'),
        `<% layout('./layout') %><h1 id="custom" data-lang="<%= it.lang %>"><%= it.t.signIn %> · <%= it.t.continueTo('<b>') %></h1>`,
      );
      const t = await startTestServer({ settings: { ui: { templatesDir: dir } } });
      try {
        const french = await new TestBrowser(FRENCH_BROWSER).get(`${t.baseUrl}/login`);
        assert.match(
          french.text,
          /<h1 id="custom" data-lang="fr">Connexion · Continuer vers &lt;b&gt;<\/h1>/,
        );
        assert.match(french.text, /<html lang="fr">/, 'the built-in layout around it');
        const english = await new TestBrowser().get(`${t.baseUrl}/login`);
        assert.match(english.text, /<h1 id="custom" data-lang="en">Sign in · Continue to &lt;b&gt;<\/h1>/);
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
