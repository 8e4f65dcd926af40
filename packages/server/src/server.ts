import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { buildApp } from './app.ts';
import { type AttributeCallbacks, loadAttributeCallbacks } from './attributes/attribute-callbacks.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { systemClock } from './clock.ts';
import type { UsherConfig } from './config/load-config.ts';
import type { UsherContext } from './context.ts';
import { createContext } from './create-context.ts';
import { loadTlsCredentials } from './http/tls-credentials.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import type { SingleLogoutNotifier } from './logout/session-termination.ts';
import { registryFromConfig } from './services/registry-from-config.ts';
import { ExpirySweeper } from './sessions/expiry-sweeper.ts';
import { SingleLogout } from './slo/single-logout.ts';
import { createStorage } from './storage/create-storage.ts';
import type { Clock, Storage } from './storage/types.ts';

export interface UsherServerOptions {
  config: UsherConfig;
  /** Defaults to the storage described by `config.storage`. */
  storage?: Storage;
  clock?: Clock;
  logger?: Logger;
  authenticator?: Authenticator;
  /** Replaces the outbox-backed single logout (the outbox worker still runs). */
  singleLogout?: SingleLogoutNotifier;
  /** Sweep expired sessions and tickets in the background (default true; tests call `sweep()` instead). */
  backgroundSweep?: boolean;
  /** Retry due single-logout deliveries in the background (default true; tests call `singleLogout.deliverDue()`). */
  backgroundSingleLogout?: boolean;
}

export interface UsherServer {
  app: FastifyInstance;
  context: UsherContext;
  storage: Storage;
  /** Ends expired SSO sessions (with single logout) and deletes expired items once. */
  sweep(): Promise<void>;
  /** Back-channel single logout: delivery of due messages, waiting for sends in flight, counters. */
  singleLogout: Pick<SingleLogout, 'deliverDue' | 'idle' | 'metrics'>;
  /**
   * Replaces the registered services (and their attribute callbacks) with those of `next`, in place, for
   * requests from now on; every other setting stays as the server started. Resolves with the names of
   * the services now registered; rejects with ConfigError, changing nothing, when a callback of `next`
   * cannot be loaded.
   */
  reloadServices(next: UsherConfig): Promise<string[]>;
  /** Starts listening on `server.host:server.port` (port 0 picks a free one); returns the bound URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createUsherServer(options: UsherServerOptions): Promise<UsherServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logging.level);
  const https = loadTlsCredentials(config.server.tls);
  const attributeCallbacks = await loadAttributeCallbacks(config.services, logger);
  const storage = options.storage ?? (await createStorage(config.storage, { clock, logger }));
  try {
    return await assemble(options, { storage, logger, clock, https, attributeCallbacks });
  } catch (error) {
    // A server that failed to start must not keep its storage (connections, a checkpoint thread) open.
    if (!options.storage) await storage.close().catch(() => {});
    throw error;
  }
}

/** Everything that runs on the opened storage: services, single logout, the app and the background tasks. */
async function assemble(
  options: UsherServerOptions,
  parts: {
    storage: Storage;
    logger: Logger;
    clock: Clock;
    https: ReturnType<typeof loadTlsCredentials>;
    attributeCallbacks: AttributeCallbacks;
  },
): Promise<UsherServer> {
  const { config } = options;
  const { storage, logger, clock, https, attributeCallbacks } = parts;
  const metrics = new Registry();
  const registry = registryFromConfig(config);
  warnIfOpenMode(config, logger);
  const singleLogout = new SingleLogout({ config, storage, clock, logger, metrics, registry });
  const context = createContext({
    config,
    storage,
    logger,
    clock,
    authenticator: options.authenticator,
    singleLogout: options.singleLogout ?? singleLogout.notifier,
    metrics,
    attributeCallbacks,
    registry,
  });
  const app = await buildApp(context, { https });
  const sweeper = new ExpirySweeper(context);
  if (options.backgroundSweep ?? true) sweeper.start();
  if (options.backgroundSingleLogout ?? true) singleLogout.start();

  return {
    app,
    context,
    storage,
    sweep: () => sweeper.runOnce(),
    singleLogout,
    async reloadServices(next) {
      const callbacks = await loadAttributeCallbacks(next.services, logger);
      registry.replaceWith(registryFromConfig({ ...config, services: next.services }));
      context.attributeCallbacks = callbacks;
      warnIfOpenMode(next, logger);
      return registry.list().map((service) => service.name);
    },
    async listen() {
      return app.listen({ host: config.server.host, port: config.server.port });
    },
    async close() {
      await app.close();
      await Promise.all([sweeper.stop(), singleLogout.stop()]);
      if (!options.authenticator) await context.authenticator.close?.();
      if (!options.storage) await storage.close();
    },
  };
}

function warnIfOpenMode(config: UsherConfig, logger: Logger): void {
  if (config.services.openMode)
    logger.warn({}, 'services.openMode is on: any http(s) URL may receive tickets (development only)');
}
