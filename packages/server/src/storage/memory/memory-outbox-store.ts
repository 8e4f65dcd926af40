import { byCreation } from '../ordering.ts';
import type { Clock, OutboxMessage, OutboxStatus, OutboxStore } from '../types.ts';

export class MemoryOutboxStore implements OutboxStore {
  readonly #clock: Clock;
  readonly #messages = new Map<string, OutboxMessage>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async enqueue(messages: OutboxMessage[]): Promise<void> {
    for (const message of messages) {
      if (!this.#messages.has(message.id)) this.#messages.set(message.id, { ...message });
    }
  }

  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const now = this.#clock();
    const due = [...this.#messages.values()]
      .filter((m) => m.status === 'pending' && m.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
      .slice(0, limit);
    for (const message of due) message.nextAttemptAt = now + leaseMs;
    return due.map((m) => ({ ...m }));
  }

  async markDelivered(id: string): Promise<void> {
    const message = this.#pending(id);
    if (!message) return;
    message.status = 'delivered';
    message.attempts += 1;
  }

  async markFailed(
    id: string,
    error: string,
    next: { nextAttemptAt: number } | { final: true },
  ): Promise<void> {
    const message = this.#pending(id);
    if (!message) return;
    message.attempts += 1;
    message.lastError = error;
    if ('final' in next) message.status = 'failed';
    else message.nextAttemptAt = next.nextAttemptAt;
  }

  async list(status?: OutboxStatus): Promise<OutboxMessage[]> {
    return [...this.#messages.values()]
      .filter((m) => status === undefined || m.status === status)
      .sort(byCreation)
      .map((m) => ({ ...m }));
  }

  async purge(before: number): Promise<number> {
    let removed = 0;
    for (const message of [...this.#messages.values()]) {
      if (message.status !== 'pending' && message.createdAt < before) {
        this.#messages.delete(message.id);
        removed += 1;
      }
    }
    return removed;
  }

  #pending(id: string): OutboxMessage | undefined {
    const message = this.#messages.get(id);
    return message?.status === 'pending' ? message : undefined;
  }
}
