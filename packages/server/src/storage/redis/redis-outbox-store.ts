import { byCreation } from '../ordering.ts';
import type { Clock, OutboxMessage, OutboxStatus, OutboxStore } from '../types.ts';
import {
  claimScript,
  deliveredScript,
  enqueueScript,
  failedScript,
  listScript,
  purgeScript,
} from './outbox-scripts.ts';
import { redisCall } from './redis-errors.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { RedisClient } from './redis-script.ts';

const STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'failed'];
const FIELDS = [
  'id',
  'url',
  'body',
  'sessionIndex',
  'service',
  'status',
  'attempts',
  'nextAttemptAt',
  'createdAt',
  'lastError',
] as const satisfies readonly (keyof OutboxMessage)[];
const PURGE_BATCH = 1000;

export class RedisOutboxStore implements OutboxStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async enqueue(messages: OutboxMessage[]): Promise<void> {
    await Promise.all(
      messages.map((m) => {
        const score = m.status === 'pending' ? m.nextAttemptAt : m.createdAt;
        const fields = FIELDS.flatMap((field) => (m[field] === undefined ? [] : [field, m[field]]));
        const keys = [this.#message(m.id), this.keys.outboxStatus(m.status)];
        return redisCall(() => enqueueScript.run(this.client, keys, [m.id, score, ...fields]));
      }),
    );
  }

  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const now = this.clock();
    const args = [now, limit, now + leaseMs, this.keys.outboxMessage()];
    const rows = await redisCall(() =>
      claimScript.run(this.client, [this.keys.outboxStatus('pending')], args),
    );
    return (rows as string[][]).map(fromFields);
  }

  async markDelivered(id: string): Promise<void> {
    const keys = [this.#message(id), this.keys.outboxStatus('pending'), this.keys.outboxStatus('delivered')];
    await redisCall(() => deliveredScript.run(this.client, keys, [id]));
  }

  async markFailed(
    id: string,
    error: string,
    next: { nextAttemptAt: number } | { final: true },
  ): Promise<void> {
    const keys = [this.#message(id), this.keys.outboxStatus('pending'), this.keys.outboxStatus('failed')];
    const nextAttemptAt = 'final' in next ? '' : next.nextAttemptAt;
    await redisCall(() => failedScript.run(this.client, keys, [id, error, nextAttemptAt]));
  }

  async list(status?: OutboxStatus): Promise<OutboxMessage[]> {
    const keys = (status ? [status] : STATUSES).map((s) => this.keys.outboxStatus(s));
    const rows = await redisCall(() => listScript.run(this.client, keys, [this.keys.outboxMessage()]));
    return (rows as string[][]).map(fromFields).sort(byCreation);
  }

  async purge(before: number): Promise<number> {
    let removed = 0;
    for (const status of ['delivered', 'failed'] as const) {
      const args = [before, PURGE_BATCH, this.keys.outboxMessage()];
      let batch: number;
      do {
        batch = (await redisCall(() =>
          purgeScript.run(this.client, [this.keys.outboxStatus(status)], args),
        )) as number;
        removed += batch;
      } while (batch === PURGE_BATCH);
    }
    return removed;
  }

  #message(id: string): string {
    return this.keys.outboxMessage() + id;
  }
}

/** An HGETALL reply ([field, value, ...]) back to a message. */
function fromFields(flat: string[]): OutboxMessage {
  const f: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  const message: OutboxMessage = {
    id: f['id']!,
    url: f['url']!,
    body: f['body']!,
    sessionIndex: f['sessionIndex']!,
    service: f['service']!,
    status: f['status'] as OutboxStatus,
    attempts: Number(f['attempts']),
    nextAttemptAt: Number(f['nextAttemptAt']),
    createdAt: Number(f['createdAt']),
  };
  if (f['lastError'] !== undefined) message.lastError = f['lastError'];
  return message;
}
