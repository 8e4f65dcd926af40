import { readFileSync } from 'node:fs';
import { ConfigError, problemAt } from './config-error.ts';

/** The file a setting names, read at start-up; a configuration error naming the setting if it cannot be. */
export function readSettingFile(setting: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError('configuration', [problemAt(setting, `cannot read ${path} (${code})`)]);
  }
}
