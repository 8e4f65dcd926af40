import { createDemoUserIfEmpty } from '../bootstrap/first-run.ts';
import { WorkerPool, WorkerStartError } from '../cluster/worker-pool.ts';
import type { UsherConfig } from '../config/load-config.ts';
import { loadTlsCredentials } from '../http/tls-credentials.ts';
import { CliError } from './cli-error.ts';
import { exitOnSignals } from './exit-on-signals.ts';
import { openServerLog } from './open-server-log.ts';
import { withStorage } from './with-storage.ts';

/**
 * The cluster primary: opens the storage once (migrations, first-run demo user, and a clear failure when
 * it is unreachable) before forking `count` workers, then supervises them until SIGINT/SIGTERM. Returns the
 * demo user's one-time password when it created that user. SIGHUP is passed on to every worker.
 */
export async function serveWithWorkers(config: UsherConfig, count: number): Promise<string | undefined> {
  const kind = config.storage.kind;
  if (kind === 'memory' || (kind === 'sqlite' && config.storage.path === ':memory:'))
    throw new CliError(
      `${count} workers cannot share in-process ${kind} storage; use sqlite, redis or postgres`,
      2,
    );
  // Checked here once, rather than failing in every worker.
  loadTlsCredentials(config.server.tls);
  const demoPassword = await withStorage(config, async (storage) =>
    config.demo.enabled ? createDemoUserIfEmpty(storage, Date.now()) : undefined,
  );
  const { logger, reopen } = openServerLog(config.logging);
  const pool = new WorkerPool({ count, logger });
  try {
    await pool.start();
  } catch (error) {
    if (error instanceof WorkerStartError) throw new CliError(error.message, error.exitCode);
    throw error;
  }
  logger.info({ workers: count }, 'workers listening');
  exitOnSignals(logger, () => pool.stop());
  // Each worker reads the configuration again itself (see reloadServicesOnHangup).
  process.on('SIGHUP', () => {
    reopen();
    logger.info({}, 'reloading the services in every worker');
    pool.signal('SIGHUP');
  });
  return demoPassword;
}
