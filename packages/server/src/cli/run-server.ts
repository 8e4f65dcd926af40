import cluster from 'node:cluster';
import type { UsherConfig } from '../config/load-config.ts';
import { createUsherServer, type UsherServer } from '../server.ts';
import { exitOnSignals } from './exit-on-signals.ts';
import { openServerLog } from './open-server-log.ts';
import { reloadServicesOnHangup } from './reload-on-hangup.ts';

/**
 * Starts one server process listening until a signal; in a cluster worker its log lines carry the worker
 * id, and it also stops when the primary goes away (a killed primary leaves no worker behind). SIGHUP
 * reopens the log file and reloads the services from `readConfig()`.
 */
export async function runServer(config: UsherConfig, readConfig: () => UsherConfig): Promise<UsherServer> {
  const log = openServerLog(config.logging);
  const logger = cluster.worker ? log.logger.child({ worker: cluster.worker.id }) : log.logger;
  const server = await createUsherServer({ config, logger });
  await server.listen();
  logger.info(
    {
      publicUrl: config.server.publicUrl,
      host: config.server.host,
      port: config.server.port,
      pid: process.pid,
    },
    'listening',
  );
  exitOnSignals(logger, () => server.close(), cluster.isWorker);
  reloadServicesOnHangup(server, config, readConfig, logger, log.reopen);
  return server;
}
