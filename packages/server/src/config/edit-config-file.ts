import { realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type Document, parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import { readConfigDocument, resolveConfig } from './load-config.ts';

/**
 * Changes a YAML configuration file, keeping its comments and layout: `edit` works on the parsed document,
 * and the result must be a valid configuration before it replaces the file. The new file is renamed over
 * the old one (same permissions), so a server reading it on SIGHUP never sees half a file; nothing is
 * written when `edit` throws or the result is invalid.
 *
 * @throws ConfigError when the file cannot be read or written, is not valid YAML, or the edited settings
 * are invalid.
 */
export function editConfigFile(file: string, edit: (doc: Document) => void): void {
  const doc = readConfigDocument(file);
  if (doc.contents === null) doc.contents = doc.createNode({});
  edit(doc);
  const next = doc.toString();
  resolveConfig(parseDocument(next).toJS() ?? {}, `${file} as changed; nothing written`);
  // Beside the real file: renaming over a symbolic link would replace the link, not the file it names.
  const target = realpathSync(file);
  const temporary = `${target}.${process.pid}.new`;
  try {
    writeFileSync(temporary, next, { mode: statSync(target).mode & 0o777 });
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new ConfigError(file, [`cannot write the file: ${(error as NodeJS.ErrnoException).code ?? error}`]);
  }
}
