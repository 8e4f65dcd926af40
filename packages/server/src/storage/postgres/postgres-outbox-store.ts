import { byCreation } from '../ordering.ts';
import { type OutboxRow, outboxFromRow } from '../sql-rows.ts';
import type { Clock, OutboxMessage, OutboxStatus, OutboxStore } from '../types.ts';
import type { PgRunner } from './pg-runner.ts';

export class PostgresOutboxStore implements OutboxStore {
  constructor(
    private readonly db: PgRunner,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async enqueue(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // One statement for the whole batch: a parameter per column, each an array.
    await this.db.query(
      `INSERT INTO ${this.table}
         (id, url, body, session_index, service, status, attempts, next_attempt_at, created_at, last_error)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::integer[], $8::bigint[], $9::bigint[], $10::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.url),
        messages.map((m) => m.body),
        messages.map((m) => m.sessionIndex),
        messages.map((m) => m.service),
        messages.map((m) => m.status),
        messages.map((m) => m.attempts),
        messages.map((m) => m.nextAttemptAt),
        messages.map((m) => m.createdAt),
        messages.map((m) => m.lastError ?? null),
      ],
    );
  }

  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    const now = this.clock();
    // SKIP LOCKED: nodes claiming at the same moment lease disjoint messages.
    const { rows } = await this.db.query<OutboxRow>(
      `UPDATE ${this.table} SET next_attempt_at = $1 WHERE id IN (
         SELECT id FROM ${this.table} WHERE status = 'pending' AND next_attempt_at <= $2
         ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
       ) RETURNING *`,
      [now + leaseMs, now, limit],
    );
    return rows.map(outboxFromRow);
  }

  async markDelivered(id: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.table} SET status = 'delivered', attempts = attempts + 1 WHERE id = $1 AND status = 'pending'`,
      [id],
    );
  }

  async markFailed(
    id: string,
    error: string,
    next: { nextAttemptAt: number } | { final: true },
  ): Promise<void> {
    if ('final' in next) {
      await this.db.query(
        `UPDATE ${this.table} SET status = 'failed', attempts = attempts + 1, last_error = $2
         WHERE id = $1 AND status = 'pending'`,
        [id, error],
      );
    } else {
      await this.db.query(
        `UPDATE ${this.table} SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3
         WHERE id = $1 AND status = 'pending'`,
        [id, error, next.nextAttemptAt],
      );
    }
  }

  async list(status?: OutboxStatus): Promise<OutboxMessage[]> {
    const { rows } = status
      ? await this.db.query<OutboxRow>(`SELECT * FROM ${this.table} WHERE status = $1`, [status])
      : await this.db.query<OutboxRow>(`SELECT * FROM ${this.table}`);
    return rows.map(outboxFromRow).sort(byCreation);
  }

  async purge(before: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM ${this.table} WHERE status <> 'pending' AND created_at < $1`,
      [before],
    );
    return result.rowCount ?? 0;
  }
}
