import { createSecureContext } from 'node:tls';
import { ConfigError, problemAt } from '../config/config-error.ts';
import type { UsherConfig } from '../config/load-config.ts';
import { readSettingFile } from '../config/read-setting-file.ts';

/**
 * The key and certificate of `server.tls`, checked as a pair before anything else starts: a missing file,
 * a file that is not PEM, or a key that does not belong to the certificate is a configuration error.
 */
export function loadTlsCredentials(
  tls: UsherConfig['server']['tls'],
): { key: Buffer; cert: Buffer } | undefined {
  if (!tls) return undefined;
  const key = readSettingFile('server.tls.keyFile', tls.keyFile);
  const cert = readSettingFile('server.tls.certFile', tls.certFile);
  try {
    createSecureContext({ key, cert });
  } catch (error) {
    throw new ConfigError('configuration', [
      problemAt(
        'server.tls',
        `keyFile and certFile are not a usable key and certificate (${(error as Error).message})`,
      ),
    ]);
  }
  return { key, cert };
}
