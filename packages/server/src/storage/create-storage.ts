import { type StorageConfig, storageConfigSchema } from './config.ts';
import { type StorageLogger, silentLogger } from './storage-logger.ts';
import type { Clock, Storage } from './types.ts';

export interface StorageContext {
  clock: Clock;
  /** Told when a network backend loses or regains its connection. */
  logger?: StorageLogger;
}

/**
 * Opens the configured backend, ready to use (schema migrated). Network backends reject with
 * StorageUnavailableError when the server cannot be reached. Backends are imported on demand so that a
 * deployment loads only the driver it uses.
 */
export async function createStorage(config: StorageConfig, context: StorageContext): Promise<Storage> {
  const resolved = storageConfigSchema.parse(config);
  switch (resolved.kind) {
    case 'memory': {
      const { createMemoryStorage } = await import('./memory/memory-storage.ts');
      return createMemoryStorage(context.clock);
    }
    case 'sqlite': {
      const { openSqliteStorage } = await import('./sqlite/sqlite-storage.ts');
      return openSqliteStorage(resolved.path, context.clock, context.logger ?? silentLogger);
    }
    case 'redis': {
      const { openRedisStorage } = await import('./redis/redis-storage.ts');
      return openRedisStorage(resolved, context.clock, context.logger ?? silentLogger);
    }
    case 'postgres': {
      const { openPostgresStorage } = await import('./postgres/postgres-storage.ts');
      return openPostgresStorage(resolved, context.clock, context.logger ?? silentLogger);
    }
  }
}
