import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

export const BUILT_IN_TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), 'templates');
export const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');

export type PageName =
  | 'login'
  | 'logged-in'
  | 'warn'
  | 'logout'
  | 'error'
  | 'post-redirect'
  | 'demo'
  | 'rest-ticket-created'
  | 'second-factor';

export interface PageCommon {
  siteTitle: string;
  staticBase: string;
}

/** Server-rendered pages; Eta escapes every `<%= %>` value, so user input never becomes markup. */
export class Views {
  private readonly builtIn = new Eta({
    views: BUILT_IN_TEMPLATES,
    autoEscape: true,
    cache: true,
    autoTrim: false,
  });
  private readonly custom: Eta | undefined;

  constructor(
    private readonly common: PageCommon,
    templatesDir?: string,
  ) {
    if (templatesDir)
      this.custom = new Eta({ views: templatesDir, autoEscape: true, cache: true, autoTrim: false });
  }

  render(page: PageName, pageTitle: string, data: Record<string, unknown>): string {
    const engine =
      this.custom && existsSync(join(this.custom.config.views!, `${page}.eta`)) ? this.custom : this.builtIn;
    return engine.render(`./${page}`, { ...this.common, pageTitle, ...data });
  }
}
