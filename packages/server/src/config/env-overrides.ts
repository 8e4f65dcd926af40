import { parse as parseYaml } from 'yaml';
import { ConfigError, formatKeyPath } from './config-error.ts';

const PREFIX = 'USHER_';
/** Variables that configure the CLI itself rather than a setting. */
const RESERVED = new Set(['USHER_CONFIG', 'USHER_DATA_DIR']);
/** A path segment that addresses an entry of a list (counted from 0). */
const INDEX = /^\d+$/;

/** The variables that reach one key of a mapping built from variable names. */
interface Origin {
  variables: string[];
  /** One of them ends at this key: it gives the whole value, not a part of it. */
  whole: boolean;
}

/**
 * The mappings built from the levels of variable names (`USHER_AUTH__SOURCES__0__NAME` builds four), with
 * the origin of each key. Only in these does a number key address an entry of a list; a mapping given as
 * a variable's value (`USHER_SERVER='{port: 9090}'`) is not here, and its keys are plain keys.
 */
const pathNodes = new WeakMap<object, Map<string, Origin>>();

interface MergeContext {
  /** Merging variables with one another (true), or onto the configuration file (false). */
  environment: boolean;
  problems: string[];
}

function toCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The key path a variable sets (`USHER_AUTH__SOURCES__1__URL` → auth, sources, 1, url), or undefined. */
function settingPath(name: string): string[] | undefined {
  if (!name.startsWith(PREFIX) || RESERVED.has(name)) return undefined;
  return name.slice(PREFIX.length).split('__').map(toCamel);
}

/**
 * Turns `USHER_SERVER__PORT=9090` into `{ server: { port: 9090 } }`: double underscore separates levels,
 * single underscores become camelCase, and values are read as YAML so numbers and booleans keep their
 * type (`USHER_SSO__ALLOW_WARN=false`) and a whole list or mapping can be one value.
 *
 * A level that is a number addresses an entry of a list, counted from 0, when `deepMerge` lays the result
 * on the file: `USHER_AUTH__SOURCES__1__BIND_PASSWORD=s3cret` changes that key of the second source and
 * keeps the other sources and keys. The entry must exist, except that an entry can be added right after
 * the last one when a variable gives it whole (`USHER_SERVICES__REGISTRY__2='{name: Wiki, pattern: …}'`
 * with two services in the file); in a mapping the file has, a number is an ordinary key. A variable for a
 * deeper level applies on top of one for the level above (`USHER_AUTH__SOURCES='[…]'` with
 * `USHER_AUTH__SOURCES__0__NAME=ldap` changes the list from the environment).
 *
 * @throws ConfigError naming the variables that address a missing entry of a list set in the environment.
 */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const variables: { name: string; path: string[]; value: unknown }[] = [];
  for (const [name, raw] of Object.entries(env)) {
    const path = settingPath(name);
    if (path !== undefined && raw !== undefined) variables.push({ name, path, value: parseValue(raw) });
  }
  // The level above first, so that a deeper variable changes what it set, whatever the order of `env`.
  variables.sort((a, b) => a.path.length - b.path.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const context: MergeContext = { environment: true, problems: [] };
  let result: unknown = {};
  for (const { name, path, value } of variables)
    result = merge(result, pathTree(name, path, value), [], context);
  if (context.problems.length > 0) throw new ConfigError('environment', context.problems);
  return result as Record<string, unknown>;
}

/**
 * The variables of `env` that set one of `keys` (`server.port`, `auth.sources[1].bindPassword`, as
 * problems name keys), what holds it, or something inside it, so that a problem can name its cause.
 */
export function variablesSetting(keys: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return Object.keys(env).filter((name) => {
    const path = settingPath(name);
    if (path === undefined) return false;
    const set = formatKeyPath(path.map((segment) => (INDEX.test(segment) ? Number(segment) : segment)));
    return keys.some((key) => within(key, set) || within(set, key));
  });
}

/**
 * `override` laid on `base`: mappings merge key by key, anything else (a list, a scalar) replaces what is
 * there. The entries of a list are changed one by one where `override` comes from `envOverrides`.
 *
 * @throws ConfigError naming each variable that addresses an entry the list in `base` does not have, or an
 * entry where `base` has no list.
 */
export function deepMerge(base: unknown, override: unknown): unknown {
  const context: MergeContext = { environment: false, problems: [] };
  const merged = merge(base, override, [], context);
  if (context.problems.length > 0) throw new ConfigError('environment', context.problems);
  return merged;
}

function parseValue(raw: string): unknown {
  let value: unknown;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  return value ?? raw;
}

/** `{ auth: { sources: { 0: { bindPassword: value } } } }` for one variable, every level a path node. */
function pathTree(name: string, path: string[], value: unknown): Record<string, unknown> {
  let node: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i]!;
    const level: Record<string, unknown> = { [key]: node };
    pathNodes.set(level, new Map([[key, { variables: [name], whole: i === path.length - 1 }]]));
    node = level;
  }
  return node as Record<string, unknown>;
}

function merge(base: unknown, override: unknown, at: Array<string | number>, context: MergeContext): unknown {
  if (!isPlainObject(override)) return override;
  const origins = pathNodes.get(override);
  if (origins === undefined && !isPlainObject(base) && !holdsPathNodes(override)) return override;
  if (origins !== undefined && Array.isArray(base)) return mergeEntries(base, override, origins, at, context);
  // Numbers of a path node that meets no mapping have no list to address: the file decides about what the
  // environment does not set; elsewhere it is an error.
  const unmatched = origins !== undefined && !isPlainObject(base);
  if (unmatched && context.environment && base === undefined) return override;
  const into = isPlainObject(base) ? base : {};
  const out: Record<string, unknown> = { ...into };
  for (const [key, value] of Object.entries(override)) {
    if (unmatched && INDEX.test(key)) {
      context.problems.push(noList(base, origins.get(key)!, at, key, context));
      continue;
    }
    out[key] = merge(into[key], value, [...at, key], context);
  }
  // Between variables, a path node stays one until it meets a value given by a variable.
  if (context.environment && origins !== undefined) {
    const baseOrigins = isPlainObject(base) ? pathNodes.get(base) : undefined;
    if (baseOrigins !== undefined) pathNodes.set(out, joinOrigins(baseOrigins, origins));
    else if (!isPlainObject(base)) pathNodes.set(out, origins);
  }
  return out;
}

function mergeEntries(
  list: unknown[],
  override: Record<string, unknown>,
  origins: Map<string, Origin>,
  at: Array<string | number>,
  context: MergeContext,
): unknown[] {
  const out = [...list];
  const where = context.environment ? 'the list set in the environment' : 'the configuration file';
  for (const [key, value] of Object.entries(override)) {
    const origin = origins.get(key)!;
    const names = origin.variables.join(', ');
    if (!INDEX.test(key)) {
      const example = origin.variables[0]!.split('__');
      example.splice(at.length, 0, '0');
      context.problems.push(
        `${names}: ${formatKeyPath(at)} is a list (in ${where}): address an entry by its number, ` +
          `counted from 0, e.g. ${example.join('__')}`,
      );
      continue;
    }
    const index = Number(key);
    if (index < list.length) {
      out[index] = merge(list[index], value, [...at, index], context);
    } else if (index === list.length && origin.whole) {
      out.push(merge(undefined, value, [...at, index], context));
    } else {
      const entries = `${list.length} ${list.length === 1 ? 'entry' : 'entries'}`;
      const whole = origin.variables[0]!.split('__')
        .slice(0, at.length + 1)
        .join('__');
      context.problems.push(
        `${names}: ${formatKeyPath(at)} has no entry ${index} (${where} has ${entries}, counted from 0)` +
          (index === list.length ? `; a new entry must be given whole, as one value: ${whole}='{…}'` : ''),
      );
    }
  }
  return out;
}

function noList(
  base: unknown,
  origin: Origin,
  at: Array<string | number>,
  key: string,
  context: MergeContext,
): string {
  const names = origin.variables.join(', ');
  const path = formatKeyPath(at);
  if (base === undefined) {
    const whole = origin.variables[0]!.split('__').slice(0, at.length).join('__');
    return (
      `${names}: ${path} is not in the configuration file, so it has no entry ${key} to change; ` +
      `give the whole list as one value instead: ${whole}='[…]'`
    );
  }
  const what = base === null ? 'empty' : `a ${typeof base}`;
  const where = context.environment ? 'in the environment' : 'in the configuration file';
  return `${names}: ${path} is ${what} ${where}, not a list, so it has no entry ${key}`;
}

function joinOrigins(a: Map<string, Origin>, b: Map<string, Origin>): Map<string, Origin> {
  const out = new Map(a);
  for (const [key, origin] of b) {
    const before = out.get(key);
    out.set(
      key,
      before === undefined
        ? origin
        : {
            variables: [...new Set([...before.variables, ...origin.variables])],
            whole: before.whole || origin.whole,
          },
    );
  }
  return out;
}

function holdsPathNodes(value: Record<string, unknown>): boolean {
  return Object.values(value).some((v) => isPlainObject(v) && (pathNodes.has(v) || holdsPathNodes(v)));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
