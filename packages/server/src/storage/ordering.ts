import type { OutboxMessage, UserRecord } from './types.ts';

// Sorted in JavaScript rather than SQL: database collations order text differently from one another.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order every backend lists outbox messages in: oldest first, ties by id. */
export function byCreation(a: OutboxMessage, b: OutboxMessage): number {
  return a.createdAt - b.createdAt || compareText(a.id, b.id);
}

/** The order every backend lists users in. */
export function byUsername(a: UserRecord, b: UserRecord): number {
  return compareText(a.username, b.username);
}
