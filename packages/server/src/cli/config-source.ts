import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeInitialConfig } from '../bootstrap/first-run.ts';
import { loadConfig, type UsherConfig } from '../config/load-config.ts';

export interface ConfigChoice {
  config: UsherConfig;
  file: string;
  /** The file was just written (first run). */
  created: boolean;
}

/**
 * Which configuration file to use: `--config`, else `USHER_CONFIG`, else `./usher.yaml`, else
 * `<data dir>/usher.yaml`, written with the starter settings when missing (first run).
 */
export function chooseConfig(flag: string | undefined, options: { createIfMissing: boolean }): ConfigChoice {
  const explicit = flag ?? process.env.USHER_CONFIG;
  if (explicit) return { config: loadConfig({ file: explicit }), file: explicit, created: false };
  if (existsSync('usher.yaml'))
    return { config: loadConfig({ file: 'usher.yaml' }), file: 'usher.yaml', created: false };
  const file = join(process.env.USHER_DATA_DIR ?? 'data', 'usher.yaml');
  const created = options.createIfMissing ? writeInitialConfig(file) : false;
  return { config: loadConfig(existsSync(file) ? { file } : {}), file, created };
}
