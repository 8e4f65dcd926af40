import { statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta, EtaFileResolutionError } from 'eta';
import { type Language, MESSAGES } from './messages/index.ts';

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

/**
 * Server-rendered pages; Eta escapes every `<%= %>` value, so user input never becomes markup.
 *
 * Every template gets `it.lang` (the page's language code) and `it.t` (the messages in that language,
 * `messages/en.ts` and its translations) besides its own data.
 *
 * Every template — page, layout or partial — is looked up in `ui.templatesDir` first, then in the
 * built-in folder, so an operator can override one file (say `login.eta` or `layout.eta`) and keep
 * the rest built in.
 */
export class Views {
  private readonly eta: Eta;

  constructor(
    private readonly common: PageCommon,
    templatesDir?: string,
  ) {
    const folders = templatesDir ? [resolve(templatesDir), BUILT_IN_TEMPLATES] : [BUILT_IN_TEMPLATES];
    this.eta = new Eta({ views: folders[0], autoEscape: true, cache: true, autoTrim: false });
    // Eta's hook for file lookup: its `Eta` class is the engine core plus the public `readFile` and `resolvePath`.
    this.eta.resolvePath = layeredResolvePath(folders);
  }

  render(page: PageName, pageTitle: string, data: Record<string, unknown>, lang: Language = 'en'): string {
    return this.eta.render(`./${page}`, { ...this.common, lang, t: MESSAGES[lang], pageTitle, ...data });
  }
}

/**
 * A `resolvePath` searching `folders` in order. Names follow Eta's rules — `/x` is from the top of
 * the folder, anything else is relative to the including template — but are resolved to a name
 * inside the folders first (so a built-in page's `layout('./layout')` finds a custom `layout.eta`),
 * and a name leaving the folders (`../x`) is refused. Lookups are cached like Eta's own
 * (`cacheFilepaths`), as compiled templates are (`cache`).
 */
function layeredResolvePath(folders: readonly string[]): NonNullable<Eta['resolvePath']> {
  /** Resolved file → its name inside its folder, to resolve the relative names it includes. */
  const nameOf = new Map<string, string>();
  /** Name inside the folders → resolved file. */
  const found = new Map<string, string>();

  return function resolvePath(template, options) {
    const extension = this.config.defaultExtension ?? '.eta';
    const withExtension = extname(template) ? template : template + extension;
    const includer = options?.filepath === undefined ? undefined : nameOf.get(options.filepath);
    const name =
      includer === undefined || /^[/\\]/.test(withExtension)
        ? normalize(withExtension.replace(/^[/\\]+/, ''))
        : normalize(join(dirname(includer), withExtension));
    if (leaves(name))
      throw new EtaFileResolutionError(`Template '${template}' is not in the templates folder`);

    const cached = this.config.cacheFilepaths ? found.get(name) : undefined;
    if (cached) return cached;
    for (const folder of folders) {
      const file = join(folder, name);
      if (leaves(relative(folder, file))) continue;
      if (statSync(file, { throwIfNoEntry: false })?.isFile()) {
        nameOf.set(file, name);
        if (this.config.cacheFilepaths) found.set(name, file);
        return file;
      }
    }
    throw new EtaFileResolutionError(`Could not find template '${name}' in ${folders.join(' or ')}`);
  };
}

/** Whether a path relative to a folder points outside it. */
function leaves(path: string): boolean {
  return path === '' || path === '.' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path);
}
