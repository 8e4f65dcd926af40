/** Just enough of a browser for the tests: cookies per host name (as browsers keep them), manual redirects. */
export interface Page {
  url: string;
  status: number;
  location: string | undefined;
  body: string;
  headers: Headers;
}

export class Browser {
  readonly #jar = new Map<string, Map<string, string>>();

  cookies(url: string): Map<string, string> {
    const host = new URL(url).hostname;
    const cookies = this.#jar.get(host) ?? new Map<string, string>();
    this.#jar.set(host, cookies);
    return cookies;
  }

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    const headers = new Headers(init.headers);
    const cookies = this.cookies(url);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.#store(cookies, line);
    const location = response.headers.get('location') ?? undefined;
    return {
      url,
      status: response.status,
      location: location === undefined ? undefined : new URL(location, url).href,
      body: await response.text(),
      headers: response.headers,
    };
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  /** GETs `url` and follows redirects; returns every page on the way, the last one last. */
  async follow(url: string, maxHops = 10): Promise<Page[]> {
    const pages: Page[] = [];
    let next: string | undefined = url;
    while (next !== undefined) {
      if (pages.length > maxHops) throw new Error(`more than ${maxHops} redirects from ${url}`);
      const page = await this.get(next);
      pages.push(page);
      next = page.status >= 300 && page.status < 400 ? page.location : undefined;
    }
    return pages;
  }

  #store(cookies: Map<string, string>, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [key = '', val = ''] = a.trim().split('=');
      if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
      return false;
    });
    if (expired || value === '') cookies.delete(name);
    else cookies.set(name, value);
  }
}

export function last<T>(items: T[]): T {
  const item = items.at(-1);
  if (item === undefined) throw new Error('empty list');
  return item;
}
