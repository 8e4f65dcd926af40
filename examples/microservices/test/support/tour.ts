import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DemoUrls } from '../../demo-urls.ts';
import { DEMO_USER } from '../../demo-user.ts';

/** A URL, or a pattern or test of one, as `page.waitForURL` takes it. */
type Destination = Parameters<Page['waitForURL']>[0];

/** Kept by CI as test artifacts; `screenshots.ts` copies the README's from here. */
export const SHOTS_DIR = fileURLToPath(new URL('../../../../test-artifacts/microservices/', import.meta.url));

/**
 * One visitor in a fresh browser context (no cookies anywhere), with a screenshot of each step in
 * `SHOTS_DIR/<name>/`, and a count of the password forms Usher has shown.
 */
export class Tour {
  /** Usher login pages shown to this visitor, wrong password included (a redirect through /login does not count). */
  passwordPrompts = 0;
  /** Every URL of Usher's the browser navigated to, redirects included. */
  readonly authVisits: URL[] = [];
  readonly #context: BrowserContext;
  readonly #dir: string;
  #shots = 0;

  private constructor(
    readonly page: Page,
    readonly urls: DemoUrls,
    dir: string,
  ) {
    this.#context = page.context();
    this.#dir = dir;
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.url().startsWith(`${urls.auth}/`))
        this.authVisits.push(new URL(request.url()));
    });
    page.on('response', (response) => {
      const request = response.request();
      const isLoginPage = request.isNavigationRequest() && response.url().startsWith(`${urls.auth}/login`);
      const redirected = response.status() >= 300 && response.status() < 400;
      if (isLoginPage && !redirected) this.passwordPrompts += 1;
    });
  }

  static async start(browser: Browser, urls: DemoUrls, name: string): Promise<Tour> {
    const dir = join(SHOTS_DIR, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
    return new Tour(await context.newPage(), urls, dir);
  }

  /** Goes to `url` and waits until the page it ends on, after any redirects, has loaded. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
  }

  /** Clicks a link or button and waits for the page it leads to (`destination`, after redirects). */
  async follow(selector: string, destination: Destination): Promise<void> {
    await Promise.all([this.page.waitForURL(destination), this.page.click(selector)]);
  }

  /** Fills Usher's login form and submits it; `destination` is where the browser should end up. */
  async signIn(destination: Destination, password = DEMO_USER.password): Promise<void> {
    await this.page.fill('#username', DEMO_USER.username);
    await this.page.fill('#password', password);
    await this.follow('button[type=submit]', destination);
  }

  async text(selector: string): Promise<string> {
    return (await this.page.textContent(selector)) ?? '';
  }

  /** Runs `steps` in a fresh tour, closed afterwards whatever happens. */
  static async run(
    browser: Browser,
    urls: DemoUrls,
    name: string,
    steps: (tour: Tour) => Promise<void>,
  ): Promise<void> {
    const tour = await Tour.start(browser, urls, name);
    try {
      await steps(tour);
    } finally {
      await tour.close();
    }
  }

  async shot(step: string): Promise<void> {
    this.#shots += 1;
    const file = `${String(this.#shots).padStart(2, '0')}-${step}.png`;
    await this.page.screenshot({ path: join(this.#dir, file) });
  }

  close(): Promise<void> {
    return this.#context.close();
  }
}
