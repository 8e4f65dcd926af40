import cluster from 'node:cluster';
import type { UsherConfig } from '../config/load-config.ts';
import { createLogger } from '../logging/logger.ts';
import { createUsherServer, type UsherServer } from '../server.ts';
import { exitOnSignals } from './exit-on-signals.ts';
import { reloadServicesOnHangup } from './reload-on-hangup.ts';

/**
 * Starts one server process listening until a signal; in a cluster worker its log lines carry the worker
 * id, and it also stops when the primary goes away (a killed primary leaves no worker behind). SIGHUP
 * reloads the services from `readConfig()`.
 */
export async function runServer(config: UsherConfig, readConfig: () => UsherConfig): Promise<UsherServer> {
  const base = createLogger(config.logging.level);
  const logger = cluster.worker ? base.child({ worker: cluster.worker.id }) : base;
  const server = await createUsherServer({ config, logger });
  await server.listen();
  exitOnSignals(logger, () => server.close(), cluster.isWorker);
  reloadServicesOnHangup(server, config, readConfig, logger);
  return server;
}
