import type { Command } from 'commander';
import { loadAttributeCallbacks } from '../attributes/attribute-callbacks.ts';
import { ConfigError } from '../config/config-error.ts';
import { blameSettings } from '../config/load-config.ts';
import { readCaBundle } from '../http/outbound-request.ts';
import { loadTlsCredentials } from '../http/tls-credentials.ts';
import { createLogger } from '../logging/logger.ts';
import { sweepExpired } from '../sessions/expiry-sweeper.ts';
import { chooseConfig } from './config-source.ts';
import { withSingleLogout } from './with-single-logout.ts';

export function registerMaintenanceCommands(program: Command): void {
  program
    .command('tickets')
    .description('ticket maintenance')
    .command('cleanup')
    .description(
      'end expired SSO sessions, sending single logout to their services, and delete expired tickets, ' +
        'sessions and login forms (the server also does this every 30 s)',
    )
    .action(async () => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withSingleLogout(config, async (ctx) => {
        const { sessionsEnded, removed } = await sweepExpired(ctx);
        console.log(`${sessionsEnded} expired SSO session(s) ended`);
        console.log(`${removed} expired item(s) deleted`);
      });
    });

  program
    .command('config')
    .description('configuration')
    .command('check')
    .description(
      'validate the configuration file and environment overrides, and the files they name (TLS, CA bundles, attribute callbacks)',
    )
    .action(async () => {
      const { config, file } = chooseConfig(program.opts().config, { createIfMissing: false });
      try {
        // What `serve` reads before it opens the storage.
        loadTlsCredentials(config.server.tls);
        readCaBundle('proxy.caBundle', config.proxy.caBundle);
        readCaBundle('singleLogout.caBundle', config.singleLogout.caBundle);
        await loadAttributeCallbacks(config.services, createLogger('silent'));
      } catch (error) {
        throw error instanceof ConfigError ? blameSettings(error, file) : error;
      }
      console.log(`${file}: OK`);
      console.log(`public URL: ${config.server.publicUrl}`);
      console.log(`storage: ${config.storage.kind}`);
      console.log(
        `services: ${config.services.registry.length}${config.demo.enabled ? ' (and the demo service)' : ''}${config.services.openMode ? ' (open mode ON)' : ''}`,
      );
      if (config.server.tls) console.log(`TLS: ${config.server.tls.certFile} with its key`);
    });
}
