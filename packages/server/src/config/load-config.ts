import { readFileSync } from 'node:fs';
import { type Document, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type StorageConfig, storageConfigSchema } from '../storage/config.ts';
import { ConfigError, type ConfigProblem, formatKeyPath, problemAt } from './config-error.ts';
import { deepMerge, envOverrides, variablesSetting } from './env-overrides.ts';
import { configSchema, type ParsedConfig, type UsherConfigInput } from './schema.ts';

export interface UsherConfig extends Omit<ParsedConfig, 'storage' | 'server'> {
  server: ParsedConfig['server'] & { publicUrl: string };
  storage: StorageConfig;
}

/** Reads a YAML configuration file; YAML syntax errors are reported with their line. */
export function readConfigFile(path: string): unknown {
  return readConfigDocument(path).toJS() ?? {};
}

/** The parsed YAML document of a configuration file, comments included (see editConfigFile). */
export function readConfigDocument(path: string): Document {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? error}`]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      path,
      doc.errors.map((e) => e.message),
    );
  return doc;
}

/** Validates raw settings (file contents merged with environment overrides) and fills every default. */
export function resolveConfig(raw: unknown, source = 'configuration'): UsherConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error.issues));
  const config = parsed.data;
  const problems: ConfigProblem[] = [];

  const storage = storageConfigSchema.safeParse(config.storage);
  if (!storage.success) problems.push(...describeIssues(storage.error.issues, ['storage']));

  config.services.registry.forEach((service, index) => {
    const at = `services.registry[${index}]`;
    for (const [key, pattern] of regexSettings(service)) {
      try {
        new RegExp(pattern);
      } catch (error) {
        problems.push(
          problemAt(`${at}.${key}`, `not a valid regular expression (${(error as Error).message})`),
        );
      }
    }
    if (service.match !== 'regex') {
      try {
        new URL(service.pattern);
      } catch {
        problems.push(
          problemAt(`${at}.pattern`, `must be an absolute http(s) URL when match is "${service.match}"`),
        );
      }
    }
  });
  const names = config.services.registry.map((s) => s.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index)
      problems.push(problemAt(`services.registry[${index}].name`, `"${name}" is used twice`));
  });
  if (problems.length > 0 || !storage.success) throw new ConfigError(source, problems);

  const { host, port } = config.server;
  const scheme = config.server.tls ? 'https' : 'http';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const publicUrl = (config.server.publicUrl ?? `${scheme}://${hostPart}:${port}`).replace(/\/+$/, '');
  return { ...config, server: { ...config.server, publicUrl }, storage: storage.data };
}

function* regexSettings(service: ParsedConfig['services']['registry'][number]): Generator<[string, string]> {
  if (service.match === 'regex') yield ['pattern', service.pattern];
  if (service.proxy.callbackPattern) yield ['proxy.callbackPattern', service.proxy.callbackPattern];
  for (const [i, target] of service.proxy.targets.entries()) yield [`proxy.targets[${i}]`, target];
  for (const [name, rule] of Object.entries(service.attributes.rewrite))
    yield [`attributes.rewrite.${name}.pattern`, rule.pattern];
}

function describeIssues(issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []): ConfigProblem[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    const key = formatKeyPath(path);
    if (issue.code !== 'unrecognized_keys') return problemAt(key, issue.message);
    return {
      keys: issue.keys.map((name) => formatKeyPath([...path, name])),
      message: `${key}: unknown setting(s) ${issue.keys.join(', ')}`,
    };
  });
}

export interface LoadConfigOptions {
  /** YAML file; omitted means defaults plus environment. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Applied last, e.g. by tests or CLI flags. */
  overrides?: UsherConfigInput | Record<string, unknown>;
}

export function loadConfig(options: LoadConfigOptions = {}): UsherConfig {
  const env = options.env ?? process.env;
  const fromFile = options.file ? readConfigFile(options.file) : {};
  const merged = deepMerge(deepMerge(fromFile, envOverrides(env)), options.overrides ?? {});
  try {
    return resolveConfig(merged, options.file ?? 'environment');
  } catch (error) {
    if (!(error instanceof ConfigError) || !options.file) throw error;
    throw blameSettings(error, options.file, env);
  }
}

/**
 * `error` said of the configuration `file`, each problem naming the environment variables behind its keys:
 * a key a variable set is not in the file. For problems found while loading (the schema) and while starting
 * (files the settings name, such as `server.tls.keyFile`).
 */
export function blameSettings(
  error: ConfigError,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): ConfigError {
  let fromEnvironment = false;
  const problems = error.problems.map((message, i): ConfigProblem => {
    const keys = error.problemKeys[i]!;
    const variables = variablesSetting(keys, env);
    if (variables.length === 0) return { keys, message };
    fromEnvironment = true;
    return { keys, message: `${message} (set by ${variables.join(', ')})` };
  });
  return new ConfigError(fromEnvironment ? `${file} and the environment` : file, problems);
}
