import type { CasPrincipal } from '@usher/client';
import type { DemoUrls } from './demo-urls.ts';
import { html } from './html.ts';
import { page, userCard } from './page.ts';

const PRODUCTS = [
  { name: 'Teapot, stoneware, 1 l', price: '€24.00' },
  { name: 'Loose-leaf Darjeeling, 250 g', price: '€9.50' },
  { name: 'Set of four cups', price: '€18.00' },
];

/** The public catalogue: anyone may look, and a visitor already signed in elsewhere is recognised. */
export function shopHome(urls: DemoUrls, user: CasPrincipal | undefined): string {
  const greeting = user
    ? html`<section class="notice" id="greeting">Welcome back, <strong>${user.user}</strong>: you were
        recognised through single sign-on. <a href="/account">Your account</a></section>`
    : html`<section class="notice" id="greeting">You are browsing <strong>anonymously</strong>.
        <a href="/cas/login?next=/account">Log in</a> to see your account.</section>`;
  const rows = PRODUCTS.map((p) => html`<tr><td>${p.name}</td><td>${p.price}</td></tr>`);
  return page(
    'shop',
    urls,
    user,
    'Tea shop',
    html`${greeting}<section><h2>Catalogue</h2><table>${rows}</table></section>`,
  );
}

export function shopAccount(urls: DemoUrls, user: CasPrincipal): string {
  return page(
    'shop',
    urls,
    user,
    'Your account',
    html`${userCard(user)}
<section>Your invoices are kept by the billing service:
  <a id="to-billing" href="${urls.billing}/">open Billing</a>. It will not ask for your password again.</section>`,
  );
}
