import { Registry } from 'prom-client';
import { systemClock } from '../clock.ts';
import type { UsherConfig } from '../config/load-config.ts';
import type { UsherContext } from '../context.ts';
import { createContext } from '../create-context.ts';
import { createLogger } from '../logging/logger.ts';
import { registryFromConfig } from '../services/registry-from-config.ts';
import { SingleLogout } from '../slo/single-logout.ts';
import { withStorage } from './with-storage.ts';

/**
 * Runs `action` with a server context over the configured storage, so that sessions it ends get single
 * logout as on the server; then waits for those deliveries (failures stay in the outbox for the server to
 * retry) and prints their count. Log lines go to stderr so that stdout stays the command's answer.
 */
export async function withSingleLogout<T>(
  config: UsherConfig,
  action: (ctx: UsherContext) => Promise<T>,
): Promise<T> {
  return withStorage(config, async (storage) => {
    const logger = createLogger('warn', process.stderr);
    const deps = { config, storage, clock: systemClock, logger, registry: registryFromConfig(config) };
    const singleLogout = new SingleLogout({ ...deps, metrics: new Registry() });
    const result = await action(createContext({ ...deps, singleLogout: singleLogout.notifier }));
    await singleLogout.idle();
    const { delivered, retry, failed } = await singleLogout.metrics.deliveryCounts();
    if (delivered + retry + failed > 0) {
      console.log(
        `logout requests: ${delivered} delivered, ${retry} left for the server to retry, ${failed} failed`,
      );
    }
    return result;
  });
}
