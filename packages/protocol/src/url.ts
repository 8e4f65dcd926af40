export type QueryParams = Record<string, string | undefined> | Iterable<readonly [string, string]>;

/**
 * `url` with `params` appended (percent-encoded; undefined values skipped), keeping its existing
 * query and placing the new parameters before any `#fragment`. The rest of `url` is left byte for
 * byte as given, since CAS compares service URLs as strings.
 */
export function withQuery(url: string, params: QueryParams): string {
  const entries: (readonly [string, string | undefined])[] =
    Symbol.iterator in params ? [...(params as Iterable<readonly [string, string]>)] : Object.entries(params);
  const query = entries
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  if (query === '') return url;
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${query}${fragment}`;
}
