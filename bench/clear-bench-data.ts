// Every run starts from empty storage, as SQLite does with its fresh file, and leaves none behind:
// service-access records live a day past their session, so runs used to pile up gigabytes.
import { Redis } from 'ioredis';
import pg from 'pg';

export async function clearBenchData(storage: Record<string, unknown>): Promise<void> {
  if (storage.kind === 'redis') {
    const redis = new Redis(String(storage.url));
    try {
      const stream = redis.scanStream({ match: `${String(storage.keyPrefix)}*`, count: 1000 });
      for await (const keys of stream as AsyncIterable<string[]>)
        if (keys.length > 0) await redis.unlink(...keys);
    } finally {
      redis.disconnect();
    }
  } else if (storage.kind === 'postgres') {
    const client = new pg.Client({ connectionString: String(storage.url) });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(String(storage.schema))} CASCADE`);
    } finally {
      await client.end();
    }
  }
}
