/** A tiny browser for tests: real HTTP, cookies kept per host, redirects followed only when asked. */
export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  location?: string;
  url: string;
}

export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  /** `headers` go with every request, as a browser's `accept-language` does. */
  constructor(private readonly headers: Record<string, string> = {}) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    cookies.set(name, value);
    this.jar.set(host, cookies);
  }

  get(url: string): Promise<PageResponse> {
    return this.request(url, { method: 'GET' });
  }

  post(url: string, form: Record<string, string>): Promise<PageResponse> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  async request(url: string, init: RequestInit): Promise<PageResponse> {
    const target = new URL(url);
    const cookies = this.jar.get(target.host);
    const headers = new Headers({ ...this.headers, ...Object.fromEntries(new Headers(init.headers)) });
    if (cookies && cookies.size > 0) {
      headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(target.host, line);
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
      location: location && new URL(location, target).toString(),
      url: target.toString(),
    };
  }

  private store(host: string, line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=.*1970/i.test(a));
    if (expired || value === '') cookies.delete(name);
    else cookies.set(name, value);
    this.jar.set(host, cookies);
  }
}

/** The value of a hidden form field in a rendered page. */
export function formField(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}
