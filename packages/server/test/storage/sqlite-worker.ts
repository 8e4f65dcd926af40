// A separate process racing others on one SQLite file (see sqlite-processes.test.ts): opens the file, says
// "ready", waits for a line on stdin so that all workers start together, then prints what it won.
import { once } from 'node:events';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';

const [path, now, count] = process.argv.slice(2) as [string, string, string];
const storage = openSqliteStorage(path, () => Number(now));
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.pause();

const ids = Array.from({ length: Number(count) }, (_, i) => `ST-${i}`).sort(() => Math.random() - 0.5);

const consumed: string[] = [];
for (const id of ids) if ((await storage.model('ticket').consume(id)) !== undefined) consumed.push(id);
const expired: string[] = [];
for (let batch = await storage.model('session').takeExpired(3); batch.length > 0; ) {
  expired.push(...batch.map((item) => item.id));
  batch = await storage.model('session').takeExpired(3);
}
const claimed: string[] = [];
for (let batch = await storage.outbox.claimDue(3, 60_000); batch.length > 0; ) {
  claimed.push(...batch.map((m) => m.id));
  batch = await storage.outbox.claimDue(3, 60_000);
}
await storage.close();
process.stdout.write(JSON.stringify({ consumed, expired, claimed }));
