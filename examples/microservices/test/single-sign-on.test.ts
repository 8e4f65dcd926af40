import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium } from './support/chromium.ts';
import { type RunningDemo, startDemo } from './support/running-demo.ts';
import { Tour } from './support/tour.ts';

describe('microservices demo in chromium: one login and one logout for shop and billing', {
  skip: browserSkipReason(),
  timeout: 180_000,
}, () => {
  let demo: RunningDemo;
  let browser: Browser;
  before(async () => {
    demo = await startDemo();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });
  const tour = (name: string, steps: (tour: Tour) => Promise<void>) => () =>
    Tour.run(browser, demo.urls, name, steps);

  test(
    'log in at shop, billing without a password, log out at billing, shop asks for login again',
    tour('single-sign-on', async (t) => {
      const { shop, billing } = demo.urls;
      await t.open(`${shop}/account`);
      assert.equal(t.passwordPrompts, 1);
      assert.match(await t.text('main'), /to continue to Shop/);
      await t.shot('usher-login-for-shop');

      await t.signIn(`${shop}/account`);
      assert.match(await t.text('#user'), /Signed in as Alice Liddell \(alice\)/);
      assert.match(await t.text('#user'), /memberOf\s*customers, staff/);
      await t.shot('shop-account');

      await t.follow('#to-billing', `${billing}/`);
      assert.equal(t.passwordPrompts, 1, 'billing signs in through the SSO session, without a form');
      assert.match(await t.text('#user'), /Signed in as Alice Liddell \(alice\)/);
      assert.doesNotMatch(await t.text('#user'), /memberOf/, 'Billing is not released memberOf');
      await t.shot('billing-without-password');

      const shopNotified = demo.nextLine(/logout request delivered .*service=Shop/);
      await t.follow('#logout', `${billing}/signed-out`);
      assert.match(await t.text('#signed-out'), /the Shop has signed you out too/);
      await t.shot('signed-out-at-billing');
      await shopNotified;

      await t.open(`${shop}/account`);
      assert.equal(t.passwordPrompts, 2, 'the shop session ended too: Usher asks again');
      assert.equal(await t.page.isVisible('#password'), true);
      await t.shot('shop-asks-again');
    }),
  );

  test(
    'a wrong password is refused with a message, then the right one signs in',
    tour('wrong-password', async (t) => {
      const { auth, shop } = demo.urls;
      await t.open(`${shop}/account`);
      await t.signIn(`${auth}/login`, 'not the password');
      assert.match(await t.text('[role=alert]'), /The username or password is incorrect/);
      assert.equal(t.passwordPrompts, 2);
      await t.shot('wrong-password');

      await t.signIn(`${shop}/account`);
      assert.match(await t.text('#user'), /Signed in as Alice Liddell/);
    }),
  );

  test(
    'renew: paying at billing asks for the password despite the SSO session',
    tour('renew', async (t) => {
      const { auth, shop, billing } = demo.urls;
      await t.open(`${shop}/account`);
      await t.signIn(`${shop}/account`);
      await t.open(`${billing}/pay`);
      assert.equal(t.page.url(), `${billing}/pay`);
      assert.equal(t.passwordPrompts, 1, 'billing signed in through single sign-on');
      await t.shot('pay');

      await t.follow('#confirm', (url) => url.href.startsWith(`${auth}/login?`));
      assert.equal(new URL(t.page.url()).searchParams.get('renew'), 'true');
      assert.equal(t.passwordPrompts, 2, "renew shows the form despite the SSO and billing's own session");
      await t.shot('renew-asks-password');

      await t.signIn(`${billing}/pay/confirmed`);
      assert.match(await t.text('#paid'), /INV-1002 is paid: you entered your password/);
      await t.shot('paid');
    }),
  );

  test(
    'gateway: the public shop page shows an anonymous visitor, without any login form',
    tour('gateway-anonymous', async (t) => {
      const { shop } = demo.urls;
      await t.open(`${shop}/`);
      assert.equal(t.page.url(), `${shop}/`);
      assert.match(await t.text('#greeting'), /You are browsing anonymously/);
      assert.equal(t.passwordPrompts, 0);
      assert.ok(
        t.authVisits.some((u) => u.pathname === '/login' && u.searchParams.get('gateway') === 'true'),
        'the shop asked Usher with gateway=true',
      );
      await t.shot('shop-anonymous');
    }),
  );

  test(
    'gateway: signed in at billing, the public shop page recognises the user',
    tour('gateway-recognised', async (t) => {
      const { shop, billing } = demo.urls;
      await t.open(`${billing}/`);
      await t.signIn(`${billing}/`);
      await t.open(`${shop}/`);
      assert.equal(t.page.url(), `${shop}/`);
      assert.match(await t.text('#greeting'), /Welcome back, alice/);
      assert.equal(t.passwordPrompts, 1, 'only the login at billing');
      await t.shot('shop-recognised');
    }),
  );
});
