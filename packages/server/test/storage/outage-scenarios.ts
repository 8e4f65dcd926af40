import assert from 'node:assert/strict';
import type { Storage } from '../../src/storage/types.ts';
import { StorageUnavailableError } from '../../src/storage/types.ts';
import { noUnhandledRejections, type recordingLogger } from './recording-logger.ts';
import { eventually } from './server-under-test.ts';
import type { TcpProxy } from './tcp-proxy.ts';

/** How long a rejected storage call took; it must reject with StorageUnavailableError. */
export async function elapsed(work: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await assert.rejects(work, StorageUnavailableError);
  return Date.now() - started;
}

/**
 * The backend behind `proxy` goes away and comes back: calls fail fast meanwhile, nothing leaks as an
 * unhandled rejection, the data is there again afterwards, and the outage is logged once each way.
 */
export async function failsFastAndRecovers(
  backend: string,
  proxy: TcpProxy,
  storage: Storage,
  logger: ReturnType<typeof recordingLogger>,
): Promise<void> {
  const tickets = storage.model('ticket');
  const leaked = await noUnhandledRejections(async () => {
    await tickets.upsert('ST-outage', 'payload', { expiresAt: Date.now() + 60_000 });
    await proxy.down();
    assert.ok((await elapsed(tickets.find('ST-outage'))) < 4000);
    assert.ok((await elapsed(storage.ping())) < 4000);
    await proxy.up();
    assert.equal(await eventually(() => tickets.find('ST-outage'), 10_000), 'payload');
  });
  assert.deepEqual(leaked, []);
  assert.deepEqual(logger.messages, [
    `warn: ${backend} unavailable; storage calls fail until it is back`,
    `info: ${backend} connection restored`,
  ]);
}
