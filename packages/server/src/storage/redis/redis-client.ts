import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ResolvedStorageConfig } from '../config.ts';
import type { StorageLogger } from '../storage-logger.ts';
import type { RedisClient } from './redis-script.ts';

export type RedisConfig = Extract<ResolvedStorageConfig, { kind: 'redis' }>;

/**
 * Fail fast while Redis is away and reconnect forever in the background: a command waits for at most one
 * reconnection attempt or 3 s, and reconnection retries at least every second, so service resumes soon
 * after Redis does.
 */
const resilience: RedisOptions = {
  connectTimeout: 3000,
  commandTimeout: 3000,
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
};

export function createRedisClient(config: RedisConfig, logger: StorageLogger): RedisClient {
  const options: RedisOptions = { ...resilience };
  if (config.username !== undefined) options.username = config.username;
  if (config.password !== undefined) options.password = config.password;
  if (config.tls) options.tls = (config.tls === true ? {} : config.tls) as ConnectionOptions;

  let client: RedisClient;
  if (config.cluster) {
    client = new Cluster(config.cluster, {
      redisOptions: options,
      clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
  } else if (config.sentinels) {
    client = new Redis({ ...options, sentinels: config.sentinels, name: config.name! });
  } else {
    client = config.url ? new Redis(config.url, options) : new Redis(options);
  }
  if (client instanceof Cluster) client.on('+node', coalesceWrites);
  else coalesceWrites(client);
  reportConnection(client, logger);
  return client;
}

/**
 * Write coalescing: the commands a connection sends during one turn of the event loop leave in one write.
 * The first command of a turn corks the socket and a `setImmediate` uncorks it once the requests read in
 * that turn have issued theirs (the ticket and its service access of an issue, the consumes of concurrent
 * validations), so Node makes one write syscall instead of one per command and Redis reads them at once
 * and answers them in one write. Unlike ioredis's `enableAutoPipelining`, which was measured too (more
 * CPU per command, and tail latency several times higher at moderate load), a command never waits for
 * the replies to earlier ones.
 */
function coalesceWrites(client: Redis): void {
  const send = client.sendCommand;
  let corked: Redis['stream'] | undefined;
  const flush = () => {
    const socket = corked;
    corked = undefined;
    socket?.uncork();
  };
  client.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
    // With a stream argument (a pipeline) the write goes elsewhere, as one write already.
    if (args[1] === undefined && corked === undefined && this.stream?.writable) {
      corked = this.stream;
      corked.cork();
      setImmediate(flush);
    }
    return send.apply(this, args);
  };
}

/** Logs once when the connection is lost and once when it is back; without a listener 'error' would crash. */
function reportConnection(client: RedisClient, logger: StorageLogger): void {
  let lost = false;
  client.on('error', (error: Error) => {
    if (lost) return;
    lost = true;
    logger.warn({ err: error }, 'Redis unavailable; storage calls fail until it is back');
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.info({}, 'Redis connection restored');
  });
}
