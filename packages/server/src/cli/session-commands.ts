import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { systemClock } from '../clock.ts';
import { createContext } from '../create-context.ts';
import { createLogger } from '../logging/logger.ts';
import { registryFromConfig } from '../services/registry-from-config.ts';
import { SingleLogout } from '../slo/single-logout.ts';
import { chooseConfig } from './config-source.ts';
import { withStorage } from './with-storage.ts';

export function registerSessionCommands(program: Command): void {
  program
    .command('session')
    .description('SSO sessions')
    .command('revoke <user>')
    .description('end every SSO session of a user, sending single logout to the services they used')
    .action(async (user: string) => {
      const { config } = chooseConfig(program.opts().config, { createIfMissing: false });
      await withStorage(config, async (storage) => {
        // Log lines go to stderr so that stdout stays the command's answer.
        const logger = createLogger('warn', process.stderr);
        const deps = { config, storage, clock: systemClock, logger, registry: registryFromConfig(config) };
        const singleLogout = new SingleLogout({ ...deps, metrics: new Registry() });
        const { termination } = createContext({ ...deps, singleLogout: singleLogout.notifier });
        const ended = await termination.endAllOf(user);
        await singleLogout.idle();
        const { delivered, retry, failed } = await singleLogout.metrics.deliveryCounts();
        console.log(`${ended} session(s) of "${user}" ended`);
        if (delivered + retry + failed > 0) {
          console.log(
            `logout requests: ${delivered} delivered, ${retry} left for the server to retry, ${failed} failed`,
          );
        }
      });
    });
}
