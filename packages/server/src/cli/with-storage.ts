import { systemClock } from '../clock.ts';
import type { UsherConfig } from '../config/load-config.ts';
import { createLogger } from '../logging/logger.ts';
import { createStorage } from '../storage/create-storage.ts';
import type { Storage } from '../storage/types.ts';

/** Opens the configured storage for one CLI command and always closes it. */
export async function withStorage<T>(
  config: UsherConfig,
  action: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await createStorage(config.storage, { clock: systemClock, logger: createLogger('warn') });
  try {
    return await action(storage);
  } finally {
    await storage.close();
  }
}
