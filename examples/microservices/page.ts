import type { CasPrincipal } from '@usher/client';
import type { DemoUrls } from './demo-urls.ts';
import { type Html, html } from './html.ts';

export type ServiceKey = 'shop' | 'billing';

const SERVICES = {
  shop: { name: 'Shop', framework: 'Express', accent: '#0b7a53', afterLogout: '/' },
  billing: { name: 'Billing', framework: 'Fastify', accent: '#6a3fc8', afterLogout: '/signed-out' },
} as const;

/** The page frame both services share: who is signed in, links to each service, log in or log out. */
export function page(
  service: ServiceKey,
  urls: DemoUrls,
  user: CasPrincipal | undefined,
  title: string,
  body: Html,
): string {
  const look = SERVICES[service];
  const account = user
    ? html`<span>${displayName(user)}</span>
        <a id="logout" href="/cas/logout?next=${look.afterLogout}">Log out</a>`
    : html`<a id="login" href="/cas/login?next=/">Log in</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${look.name}</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1b1f29; background: #f4f6fb; }
  header { display: flex; gap: 1.5rem; align-items: center; padding: 0.8rem 1.5rem; background: ${look.accent}; color: #fff; }
  header a, header span { color: #fff; }
  header .brand { font-weight: 700; font-size: 1.15rem; }
  header nav { display: flex; gap: 1rem; flex: 1; }
  main { max-width: 46rem; margin: 1.5rem auto; padding: 0 1.5rem; }
  section { background: #fff; border: 1px solid #d5dae5; border-radius: 10px; padding: 1rem 1.5rem; margin-bottom: 1rem; }
  h1 { margin: 0 0 1rem; font-size: 1.6rem; }
  h2 { margin: 0 0 0.5rem; font-size: 1.15rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.3rem 0.6rem 0.3rem 0; border-bottom: 1px solid #e6e9f0; vertical-align: top; }
  th { color: #5b6475; font-weight: 500; width: 40%; }
  .button { display: inline-block; padding: 0.5rem 1rem; border-radius: 8px; background: ${look.accent}; color: #fff; text-decoration: none; }
  .notice { border-left: 4px solid ${look.accent}; }
  footer { max-width: 46rem; margin: 0 auto 2rem; padding: 0 1.5rem; color: #5b6475; font-size: 0.85rem; }
</style>
</head>
<body>
<header>
  <span class="brand">${look.name}</span>
  <nav><a href="${urls.shop}/">Shop</a><a href="${urls.billing}/">Billing</a></nav>
  ${account}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>${look.name} (${look.framework}) at ${urls[service]} · single sign-on by Usher at ${urls.auth}</footer>
</body>
</html>
`.text;
}

/** Who is signed in and every attribute the CAS server released to this service. */
export function userCard(user: CasPrincipal): Html {
  const rows = Object.entries(user.attributes).map(
    ([name, values]) => html`<tr><th>${name}</th><td>${values.join(', ')}</td></tr>`,
  );
  return html`<section id="user">
  <h2>Signed in as ${displayName(user)} <small>(${user.user})</small></h2>
  <table>${rows}</table>
</section>`;
}

function displayName(user: CasPrincipal): string {
  return user.attributes['displayName']?.[0] ?? user.user;
}
