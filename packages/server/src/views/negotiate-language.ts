import Negotiator from 'negotiator';

/** Longest Accept-Language header read; the rest is ignored. */
const MAX_HEADER_LENGTH = 1024;

/**
 * The language of a page from an Accept-Language header (RFC 9110 §12.5.4), by `negotiator` (Express's):
 * the offered language with the highest quality, a regional range standing for its language (`fr-CA`
 * asks for `fr`), `q=0` excluding. When nothing offered is acceptable, or the header is absent, the answer
 * is the first offered language.
 */
export function negotiateLanguage<L extends string>(header: string | undefined, offered: readonly L[]): L {
  const fallback = offered[0]!;
  if (!header) return fallback;
  const negotiator = new Negotiator({ headers: { 'accept-language': header.slice(0, MAX_HEADER_LENGTH) } });
  return (negotiator.languages([...offered])[0] as L | undefined) ?? fallback;
}
