const BASE = 'http://next.invalid';

/**
 * `next` as a same-origin path, or undefined (`CAS_CHECK_NEXT`, always on). Only `/path?query#hash` in
 * printable ASCII passes: `//host` and `/\host` are other hosts to a browser, which also strips tabs and
 * newlines (`/\t/host`) before parsing, so any control character, space or backslash is refused outright.
 */
export function safeNextPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 2048) return undefined;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(next) || next.includes('\\')) return undefined;
  // Whatever the checks above missed, the URL parser must agree the target stays on our origin.
  const resolved = new URL(next, BASE);
  return resolved.origin === BASE ? next : undefined;
}
