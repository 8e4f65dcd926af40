import { ConfigError } from '../config/config-error.ts';
import type { UsherConfig } from '../config/load-config.ts';
import type { Logger } from '../logging/logger.ts';
import type { UsherServer } from '../server.ts';

/**
 * On SIGHUP, reopens the log file (`reopenLog`, for log rotation), reads the configuration again and
 * applies its services (`services.registry` and `services.openMode`, attribute callbacks included) without
 * a restart. An invalid file is logged and changes nothing. Other settings apply at the next restart; the
 * log says so when the file changed them.
 */
export function reloadServicesOnHangup(
  server: Pick<UsherServer, 'reloadServices'>,
  running: UsherConfig,
  readConfig: () => UsherConfig,
  logger: Logger,
  reopenLog: () => void,
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
    reopenLog();
    reloading = reloading.then(reload);
  });
}

/**
 * A process without a SIGHUP listener is ended by SIGHUP, so a reload asked for while `serve` is still
 * starting (opening storage, forking workers) would kill the server. Called first thing by `serve`: from
 * here on a SIGHUP is held, and the returned `release`, called once the real handler is installed, replays
 * one held SIGHUP to it (the configuration may have changed after start-up read it).
 */
export function holdHangupsUntilReady(): () => void {
  let held = false;
  const hold = () => {
    held = true;
  };
  process.on('SIGHUP', hold);
  return () => {
    process.off('SIGHUP', hold);
    if (held) process.emit('SIGHUP', 'SIGHUP');
  };
}
