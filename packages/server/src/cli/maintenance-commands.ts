import type { Command } from 'commander';
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
    .description('validate the configuration file and environment overrides')
    .action(() => {
      const { config, file } = chooseConfig(program.opts().config, { createIfMissing: false });
      console.log(`${file}: OK`);
      console.log(`public URL: ${config.server.publicUrl}`);
      console.log(`storage: ${config.storage.kind}`);
      console.log(
        `services: ${config.services.registry.length}${config.demo.enabled ? ' (and the demo service)' : ''}${config.services.openMode ? ' (open mode ON)' : ''}`,
      );
    });
}
