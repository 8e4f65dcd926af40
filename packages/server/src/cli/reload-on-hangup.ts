import { ConfigError } from '../config/config-error.ts';
import type { UsherConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import type { UsherServer } from '../server.ts';

/**
 * On SIGHUP, reads the configuration again and applies its services (`services.registry` and
 * `services.openMode`, attribute callbacks included) without a restart. An invalid file is logged and
 * changes nothing. Other settings apply at the next restart; the log says so when the file changed them.
 */
export function reloadServicesOnHangup(
  server: Pick<UsherServer, 'reloadServices'>,
  running: UsherConfig,
  readConfig: () => UsherConfig,
  logger: Logger,
): void {
  let reloading = Promise.resolve();
  const reload = async () => {
    try {
      const next = readConfig();
      const services = await server.reloadServices(next);
      logger.info({ services, openMode: next.services.openMode }, 'services reloaded');
      if (JSON.stringify({ ...running, services: null }) !== JSON.stringify({ ...next, services: null }))
        logger.warn({}, 'settings other than the services changed; they apply at the next restart');
    } catch (error) {
      if (error instanceof ConfigError)
        logger.warn(
          { problems: error.problems },
          'services not reloaded: invalid configuration, the running services stay',
        );
      else logger.error({ err: error }, 'services not reloaded');
    }
  };
  process.on('SIGHUP', () => {
    reloading = reloading.then(reload);
  });
}
