import { parse as parseYaml } from 'yaml';

const PREFIX = 'USHER_';
/** Variables that configure the CLI itself rather than a setting. */
const RESERVED = new Set(['USHER_CONFIG', 'USHER_DATA_DIR']);

function toCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Turns `USHER_SERVER__PORT=9090` into `{ server: { port: 9090 } }`: double underscore separates levels,
 * single underscores become camelCase, and values are read as YAML scalars so numbers and booleans keep
 * their type (`USHER_SSO__ALLOW_WARN=false`).
 */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || RESERVED.has(name) || raw === undefined) continue;
    const path = name.slice(PREFIX.length).split('__').map(toCamel);
    let target = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      target[key] = typeof next === 'object' && next !== null ? next : {};
      target = target[key] as Record<string, unknown>;
    }
    let value: unknown;
    try {
      value = parseYaml(raw);
    } catch {
      value = raw;
    }
    target[path[path.length - 1]!] = value ?? raw;
  }
  return result;
}

export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge(base[key], value);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
