import type { Command } from 'commander';
import { chooseConfig } from './config-source.ts';
import { withSingleLogout } from './with-single-logout.ts';

export function registerSessionCommands(program: Command): void {
  program
    .command('session')
    .description('SSO sessions')
    .command('revoke <user>')
    .description('end every SSO session of a user, sending single logout to the services they used')
    .action(async (user: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withSingleLogout(config, async ({ termination }) => {
        const ended = await termination.endAllOf(user);
        console.log(`${ended} session(s) of "${user}" ended`);
      });
    });
}
