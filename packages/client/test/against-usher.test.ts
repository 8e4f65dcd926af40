import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CasClient } from '../src/index.ts';
import { APPS } from './support/apps.ts';
import { Browser, last, type Page } from './support/browser.ts';
import { freePort } from './support/free-port.ts';
import { startUsher, USHER_ATTRIBUTES, USHER_USER, type Usher } from './support/usher.ts';
import { runValidationSuite } from './support/validation-suite.ts';

// The client against the real Usher server over HTTP: the same validation suite as against the fake
// server, then each adapter through Usher's own login form, gateway and back-channel single logout.

runValidationSuite('Usher', async () => {
  const usher = await startUsher();
  const browser = new Browser();
  return {
    serverUrl: usher.url,
    service: 'http://127.0.0.2:3000/cas/callback',
    user: USHER_USER,
    attributes: USHER_ATTRIBUTES,
    async obtainTicket(service) {
      const back = await usher.signIn(browser, `${usher.url}/login?service=${encodeURIComponent(service)}`);
      const ticket = back === undefined ? null : new URL(back).searchParams.get('ticket');
      if (!ticket) throw new Error(`Usher gave no ticket: ${back}`);
      return ticket;
    },
    close: () => usher.close(),
  };
});

for (const [name, startApp] of Object.entries(APPS)) {
  describe(`${name} adapter against Usher`, () => {
    let usher: Usher;
    let app: string;
    let close: () => Promise<void>;
    before(async () => {
      usher = await startUsher();
      const port = await freePort('127.0.0.2');
      app = `http://127.0.0.2:${port}`;
      const client = new CasClient({ serverUrl: usher.url, serviceUrl: `${app}/cas/callback` });
      ({ close } = await startApp(client, {}, { host: '127.0.0.2', port }));
    });
    after(async () => {
      await close?.();
      await usher?.close();
    });

    /** Browses to `url`, signing in at Usher when sent there; returns every page on the way. */
    const browse = async (browser: Browser, url: string): Promise<Page[]> => {
      const pages: Page[] = [];
      let next: string | undefined = url;
      for (let hops = 0; next !== undefined && hops < 10; hops++) {
        if (next.startsWith(`${usher.url}/login`)) next = await usher.signIn(browser, next);
        if (next === undefined) break;
        const page = await browser.get(next);
        pages.push(page);
        next = page.status >= 300 && page.status < 400 ? page.location : undefined;
      }
      return pages;
    };

    test('login through the Usher form gives the user and the released attributes', async () => {
      const pages = await browse(new Browser(), `${app}/private`);
      const page = last(pages);
      assert.equal(page.url, `${app}/private`);
      const principal = JSON.parse(page.body);
      assert.equal(principal.user, USHER_USER);
      for (const [key, values] of Object.entries(USHER_ATTRIBUTES))
        assert.deepEqual(principal.attributes[key], values);
    });

    test('a replayed ticket is refused by Usher (401, no session)', async () => {
      const pages = await browse(new Browser(), `${app}/private`);
      const callback = pages.find((p) => p.url.includes('ticket='))!;
      const thief = new Browser();
      const replay = await thief.get(callback.url);
      assert.equal(replay.status, 401);
      assert.match(replay.body, /INVALID_TICKET/);
      assert.equal((await thief.get(`${app}/private`)).status, 302);
    });

    test('optional login: anonymous without SSO, silent login with it', async () => {
      const anonymous = last(await browse(new Browser(), `${app}/public`));
      assert.deepEqual(JSON.parse(anonymous.body), { user: null });
      const browser = new Browser();
      await usher.signIn(browser, `${usher.url}/login`);
      const silent = last(await browse(browser, `${app}/public`));
      assert.deepEqual(JSON.parse(silent.body), { user: USHER_USER });
    });

    test('logging out at Usher ends the app session by back-channel single logout', async () => {
      const browser = new Browser();
      await browse(browser, `${app}/private`);
      assert.equal((await browser.get(`${app}/private`)).status, 200);
      await browser.get(`${usher.url}/logout`);
      let status = 200;
      for (let i = 0; i < 50 && status === 200; i++) {
        await sleep(100);
        status = (await browser.get(`${app}/private`)).status;
      }
      assert.equal(status, 302, 'the app session is gone');
    });

    test('the app logout ends the SSO session at Usher and comes back to next', async () => {
      const browser = new Browser();
      await browse(browser, `${app}/private`);
      const pages = await browser.follow(`${app}/cas/logout?next=%2Fpublic`);
      assert.ok(pages.some((p) => p.url.startsWith(`${usher.url}/logout`)));
      const gateway = last(await browse(browser, `${app}/public`));
      assert.deepEqual(JSON.parse(gateway.body), { user: null });
    });
  });
}
