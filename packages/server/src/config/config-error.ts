/** A problem with known keys: `keys` are what it is about (`server.port`), as {@link formatKeyPath} writes them. */
export interface ConfigProblem {
  keys: string[];
  message: string;
}

/** `key: reason`, about `key`. */
export function problemAt(key: string, reason: string): ConfigProblem {
  return { keys: [key], message: `${key}: ${reason}` };
}

/** A configuration problem; `problems` name the exact key (`services.registry[0].pattern: ...`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];
  /** For each of `problems`, the keys it is about; empty where it is about none (a YAML syntax error). */
  readonly problemKeys: string[][];

  constructor(
    readonly source: string,
    problems: (string | ConfigProblem)[],
  ) {
    const messages = problems.map((p) => (typeof p === 'string' ? p : p.message));
    super(`Invalid configuration (${source}):\n${messages.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = messages;
    this.problemKeys = problems.map((p) => (typeof p === 'string' ? [] : p.keys));
  }
}

export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
