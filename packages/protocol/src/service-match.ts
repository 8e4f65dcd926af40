import { normalizeServiceUrl } from './normalize-service-url.ts';

export { normalizeServiceUrl, sameService } from './normalize-service-url.ts';

/**
 * A registered-service pattern.
 * - `exact`: the normalised URL must equal the normalised `value`.
 * - `prefix`: the normalised URL must start with the normalised `value`, ending at a path
 *   boundary: `https://a.com/app` matches `/app`, `/app/x` and `/app?x`, never `/application`;
 *   a bare origin `https://a.com` is read as `https://a.com/`, so `https://a.com.evil.com` fails.
 * - `regex`: a JavaScript regular expression tested against the normalised URL, as written.
 *   It is NOT anchored for you: write `^https://app\.example\.com/` (with `^` and a path
 *   separator), or `https://app.example.com.evil.com` will match.
 */
export interface ServicePattern {
  kind: 'regex' | 'exact' | 'prefix';
  value: string;
}

export interface CompiledServicePattern {
  readonly kind: ServicePattern['kind'];
  readonly value: string;
  /** Tests an already-normalised URL. */
  readonly test: (normalizedUrl: string) => boolean;
}

/** Compiles once (at start-up); throws a TypeError naming the pattern if it cannot be used. */
export function compileServicePattern(pattern: ServicePattern): CompiledServicePattern {
  const { kind, value } = pattern;
  if (kind === 'regex') {
    let regex: RegExp;
    try {
      regex = new RegExp(value);
    } catch (error) {
      throw new TypeError(`invalid service regex ${JSON.stringify(value)}: ${(error as Error).message}`);
    }
    return { kind, value, test: (url) => regex.test(url) };
  }
  const normalized = normalizeServiceUrl(value);
  if (normalized === undefined) {
    throw new TypeError(
      `invalid ${kind} service pattern ${JSON.stringify(value)}: not an absolute http(s) URL`,
    );
  }
  if (kind === 'exact') return { kind, value, test: (url) => url === normalized };
  if (kind === 'prefix') {
    return {
      kind,
      value,
      test: (url) => {
        if (!url.startsWith(normalized)) return false;
        if (url.length === normalized.length || normalized.endsWith('/')) return true;
        const next = url[normalized.length];
        return next === '/' || next === '?' || next === '#' || (next === '&' && normalized.includes('?'));
      },
    };
  }
  throw new TypeError(`unknown service pattern kind ${JSON.stringify(kind)}`);
}

/** Whether `url` (raw or normalised) is matched by the pattern; unacceptable URLs never match. */
export function matchesService(compiled: CompiledServicePattern, url: string): boolean {
  const normalized = normalizeServiceUrl(url);
  return normalized !== undefined && compiled.test(normalized);
}
