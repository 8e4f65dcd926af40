import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium } from './support/chromium.ts';
import { type RunningDemo, startDemo } from './support/running-demo.ts';
import { Tour } from './support/tour.ts';

describe('microservices demo in chromium: billing on front-channel logout', {
  skip: browserSkipReason(),
  timeout: 120_000,
}, () => {
  let demo: RunningDemo;
  let browser: Browser;
  before(async () => {
    demo = await startDemo({ billingLogout: 'front-channel' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test("logging out at the shop signs billing out through the browser, from Usher's logout page", () =>
    Tour.run(browser, demo.urls, 'front-channel', async (t) => {
      const { auth, shop, billing } = demo.urls;
      await t.open(`${billing}/`);
      await t.signIn(`${billing}/`);
      await t.open(`${shop}/account`);
      assert.equal(t.passwordPrompts, 1);

      // Usher's page stays, to load the front-channel logout; `follow` waits for its load event.
      await t.follow('#logout', (url) => url.href.startsWith(`${auth}/logout`));
      assert.match(await t.text('h1'), /You are signed out/);
      const beacons = await t.page.$$eval('img.beacon', (images) =>
        images.map((image) => (image as { src: string }).src),
      );
      assert.equal(beacons.length, 1);
      // Billing's service URL, where the client SDK's callback route takes the logoutRequest.
      const beacon = new URL(beacons[0]!);
      assert.equal(`${beacon.origin}${beacon.pathname}`, `${billing}/cas/callback`);
      assert.ok(beacon.searchParams.get('SAMLRequest'));
      await t.shot('usher-signed-out');

      await t.open(`${billing}/`);
      assert.equal(t.passwordPrompts, 2, 'the billing session ended too: Usher asks again');
      await t.shot('billing-asks-again');
      assert.ok(
        !demo.output.some((line) => /logout request delivered .*service=Billing/.test(line)),
        'nothing was POSTed to billing',
      );
    }));

  test('billing answers 400 to a front-channel request that is not a logoutRequest', async () => {
    const url = `${demo.urls.billing}/cas/callback`;
    for (const samlRequest of ['', 'not base64 deflate', deflateSync('<a/>').toString('base64')]) {
      const response = await fetch(`${url}?SAMLRequest=${encodeURIComponent(samlRequest)}`);
      assert.equal(response.status, 400, samlRequest);
    }
  });
});
