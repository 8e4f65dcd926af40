// Anything a URL parser may silently drop or reinterpret: whitespace and controls (WHATWG strips
// tabs and newlines anywhere) and backslashes (read as '/' by browsers, as part of the user info
// or host by other parsers). Refusing them keeps every parser's view of the URL the same.
const AMBIGUOUS = /[\u0000-\u0020\u007F\\]/;
// Some clients URL-encode the service twice: `https%3A%2F%2Fapp.example.org%2F`.
const ENCODED_SCHEME = /^https?%3A/i;

/**
 * The canonical form of a service URL, or undefined if it is not an acceptable service: parsed
 * as WHATWG URL, so the scheme and host are lower-cased, the default port and dot segments
 * removed; a doubly-encoded URL is decoded once. Only absolute http(s) URLs without credentials
 * are accepted. Normalisation never widens: it only maps spellings of one URL onto another.
 */
export function normalizeServiceUrl(url: string): string | undefined {
  let candidate = url.trim();
  if (ENCODED_SCHEME.test(candidate)) {
    try {
      candidate = decodeURIComponent(candidate);
    } catch {
      return undefined;
    }
  }
  if (candidate === '' || AMBIGUOUS.test(candidate)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return undefined;
  // `https://a.com@` has no user info after parsing but still carries the separator.
  if (/^[a-z]+:\/\/[^/?#]*@/i.test(candidate)) return undefined;
  return parsed.href;
}

/**
 * Whether the service presented at validation is the one the ticket was issued for. Equal after
 * normalisation, also tolerating what deployed clients do: a trailing slash added or removed on
 * the path, and the `ticket` parameter left in the query. Host, port, scheme, the rest of the
 * path and query must match exactly.
 */
export function sameService(issuedFor: string, presented: string): boolean {
  // The usual case, and one URL parse instead of two.
  if (issuedFor === presented) return normalizeServiceUrl(issuedFor) !== undefined;
  const a = normalizeServiceUrl(issuedFor);
  const b = normalizeServiceUrl(presented);
  if (a === undefined || b === undefined) return false;
  return a === b || comparable(a) === comparable(b);
}

function comparable(normalized: string): string {
  const url = new URL(normalized);
  const path =
    url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  // Raw segments, not URLSearchParams, so the remaining query keeps its exact encoding.
  const query = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && pair.split('=', 1)[0] !== 'ticket')
    .join('&');
  return `${url.origin}${path}${query === '' ? '' : `?${query}`}${url.hash}`;
}
