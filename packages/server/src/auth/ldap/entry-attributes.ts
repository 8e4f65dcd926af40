import type { Entry } from 'ldapts';
import type { Attributes } from '../authenticator.ts';

/**
 * The configured attributes of an entry, every value, under the configured names: servers may answer
 * with another letter case (`memberof` for `memberOf`).
 */
export function entryAttributes(entry: Entry, names: readonly string[]): Attributes {
  const attributes: Attributes = {};
  for (const name of names) {
    const values = valuesOf(entry, name);
    if (values.length > 0) attributes[name] = values;
  }
  return attributes;
}

export function firstValue(entry: Entry, name: string): string | undefined {
  return valuesOf(entry, name)[0];
}

function valuesOf(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k !== 'dn' && k.toLowerCase() === name.toLowerCase());
  const raw = key === undefined ? [] : entry[key];
  return (Array.isArray(raw) ? raw : [raw]).map((value) =>
    Buffer.isBuffer(value) ? value.toString('utf8') : String(value),
  );
}
