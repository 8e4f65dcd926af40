import { hashPassword } from '../../src/auth/password-hash.ts';
import type { StorageConfig } from '../../src/storage/config.ts';
import { createStorage } from '../../src/storage/create-storage.ts';
import { dropSchema, postgresAvailable, postgresUrl, testSchema } from '../storage/postgres-server.ts';
import { dropTestKeys, redisAvailable, redisUrl, testPrefix } from '../storage/redis-server.ts';
import { withPort } from '../storage/server-under-test.ts';

/** A store several Usher processes share, on the real server the storage tests use. */
export interface SharedBackend {
  name: string;
  /** Settings for this run's key prefix or schema, optionally reached through `port` on 127.0.0.1. */
  storage(port?: number): StorageConfig;
  /** The real server, for a TcpProxy in front of it. */
  target: { host: string; port: number };
  /** False (a skipped test locally, a failed one in CI) when the server does not answer. */
  available(): Promise<boolean>;
  /** Removes this run's data. */
  cleanup(): Promise<void>;
}

function target(url: string, defaultPort: number) {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

const via = (url: string, port?: number) => (port === undefined ? url : withPort(url, port));

export const sharedBackends: SharedBackend[] = [
  {
    name: 'Redis',
    storage: (port) => ({ kind: 'redis', url: via(redisUrl, port), keyPrefix: testPrefix }),
    target: target(redisUrl, 6379),
    available: redisAvailable,
    cleanup: dropTestKeys,
  },
  {
    name: 'PostgreSQL',
    storage: (port) => ({ kind: 'postgres', url: via(postgresUrl, port), schema: testSchema, poolSize: 4 }),
    target: target(postgresUrl, 5432),
    available: postgresAvailable,
    cleanup: () => dropSchema(testSchema),
  },
];

/** Creates local users straight in the shared store (every node sees them). */
export async function seedUsers(
  storage: StorageConfig,
  usernames: string[],
  password: string,
): Promise<void> {
  const store = await createStorage(storage, { clock: Date.now });
  try {
    const passwordHash = await hashPassword(password);
    const now = Date.now();
    for (const username of usernames) {
      await store.users.create({
        username,
        passwordHash,
        attributes: { mail: [`${username}@example.org`] },
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
    }
  } finally {
    await store.close();
  }
}
