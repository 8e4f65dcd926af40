import type { CasPrincipal } from '@usher/client';
import type { DemoUrls } from './demo-urls.ts';
import { html } from './html.ts';
import { page, userCard } from './page.ts';

const OPEN_INVOICE = { id: 'INV-1002', amount: '€33.50' };

export function billingHome(urls: DemoUrls, user: CasPrincipal): string {
  return page(
    'billing',
    urls,
    user,
    'Invoices',
    html`${userCard(user)}
<section><h2>Your invoices</h2><table>
  <tr><td>INV-1001</td><td>€24.00</td><td>paid</td></tr>
  <tr><td>${OPEN_INVOICE.id}</td><td>${OPEN_INVOICE.amount}</td><td><a id="pay" href="/pay">pay now</a></td></tr>
</table></section>
<section>Keep shopping: <a id="to-shop" href="${urls.shop}/account">back to the Shop</a>.</section>`,
  );
}

/** Paying asks for the password again (CAS `renew`), whatever the single sign-on session says. */
export function billingPay(urls: DemoUrls, user: CasPrincipal): string {
  return page(
    'billing',
    urls,
    user,
    `Pay ${OPEN_INVOICE.id}`,
    html`<section><p>Paying ${OPEN_INVOICE.amount} needs your password again, even though you are signed in.</p>
<p><a class="button" id="confirm" href="/pay/confirmed">Confirm with your password</a></p></section>`,
  );
}

export function billingPaid(urls: DemoUrls, user: CasPrincipal): string {
  const at = user.attributes['authenticationDate']?.[0];
  return page(
    'billing',
    urls,
    user,
    'Payment confirmed',
    html`<section class="notice" id="paid">${OPEN_INVOICE.id} is paid: you entered your password
  again at ${at}.</section><p><a href="/">Back to your invoices</a></p>`,
  );
}

export function billingSignedOut(urls: DemoUrls): string {
  return page(
    'billing',
    urls,
    undefined,
    'You are signed out',
    html`<section class="notice" id="signed-out">Usher ended your single sign-on session and told
  every service you used, so the Shop has signed you out too.</section>
<p><a href="${urls.shop}/account">Shop account</a> · <a href="/">Invoices</a> (both ask you to log in again)</p>`,
  );
}
