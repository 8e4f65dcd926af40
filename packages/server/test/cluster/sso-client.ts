import { formField, type TestBrowser } from '../helpers/browser.ts';

/** A service ticket from the redirect, or undefined when `/login` answered otherwise (form, error page). */
function ticketIn(location: string | undefined): string | undefined {
  return location ? (new URL(location).searchParams.get('ticket') ?? undefined) : undefined;
}

/** Signs in through the login form of `nodeUrl`; returns the service ticket, throws when none is issued. */
export async function signIn(
  browser: TestBrowser,
  nodeUrl: string,
  service: string,
  credentials: { username: string; password: string },
): Promise<string> {
  const form = await browser.get(`${nodeUrl}/login?service=${encodeURIComponent(service)}`);
  const lt = formField(form.text, 'lt');
  if (!lt) throw new Error(`no login form from ${nodeUrl} (${form.status})`);
  const done = await browser.post(`${nodeUrl}/login`, { lt, service, ...credentials });
  const ticket = ticketIn(done.location);
  if (!ticket) throw new Error(`no ticket from ${nodeUrl} (${done.status}: ${done.text.slice(0, 200)})`);
  return ticket;
}

/** Asks `nodeUrl` for a service ticket on the strength of the SSO session alone (gateway: never a form). */
export async function ssoTicket(
  browser: TestBrowser,
  nodeUrl: string,
  service: string,
): Promise<string | undefined> {
  const response = await browser.get(`${nodeUrl}/login?gateway=true&service=${encodeURIComponent(service)}`);
  return ticketIn(response.location);
}

/** Lets `browser` present to `to` the cookies it got from `from` (two nodes of one public URL). */
export function shareCookies(browser: TestBrowser, from: string, to: string, name = 'TGC'): void {
  const value = browser.cookie(new URL(from).host, name);
  if (value) browser.setCookie(new URL(to).host, name, value);
}

/** `/p3/serviceValidate` on a connection of its own, so that a cluster's primary hands it to any worker. */
export async function validate(
  nodeUrl: string,
  ticket: string,
  service: string,
): Promise<{ status: number; body: string }> {
  const query = new URLSearchParams({ ticket, service });
  const response = await fetch(`${nodeUrl}/p3/serviceValidate?${query}`, {
    headers: { connection: 'close' },
  });
  return { status: response.status, body: await response.text() };
}
