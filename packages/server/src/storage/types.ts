/**
 * Storage contracts. Every backend (memory, SQLite, Redis, PostgreSQL) implements these and must pass
 * `test/storage/conformance.ts`. Times are epoch milliseconds read from the injected clock, so tests can
 * move time without sleeping: an item whose `expiresAt <= clock()` is invisible to every read even if the
 * backend has not physically removed it yet.
 */

export type Clock = () => number;

/** Names of the expiring models kept in a {@link ModelStore}. */
export type ModelName =
  | 'loginToken' // one-time token bound to the login form (CSRF + replay)
  | 'ticket' // ST, PT (single use) and PGT (reusable until expiry); id is the ticket id
  | 'pgtIou' // reserved for clients/tests; the server keeps IOU inside the PGT record
  | 'session' // SSO session keyed by the TGT id carried in the ticket-granting cookie
  | 'serviceAccess'; // one per service ticket issued in a session, grouped by session id, for single logout

export interface StoredItem<T> {
  id: string;
  payload: T;
  expiresAt: number;
  groupId?: string;
}

/**
 * A tiny adapter per model, after node-oidc-provider's: everything expires, `consume` is atomic
 * (of N concurrent callers across processes and nodes exactly one gets the payload).
 */
export interface ModelStore<T> {
  /** Creates or replaces the item. `groupId` ties items to an SSO session for bulk revocation. */
  upsert(id: string, payload: T, options: { expiresAt: number; groupId?: string }): Promise<void>;
  /** The payload of a live item, or undefined when missing or expired. */
  find(id: string): Promise<T | undefined>;
  /**
   * Atomically removes a live item and returns its payload; undefined when missing, expired or already taken.
   * An expired item is left in place for {@link ModelStore.takeExpired}.
   */
  consume(id: string): Promise<T | undefined>;
  destroy(id: string): Promise<void>;
  /** Live items of a group, any order. */
  findByGroup(groupId: string): Promise<StoredItem<T>[]>;
  /** Removes every item of a group, live or not; returns how many were removed. */
  destroyByGroup(groupId: string): Promise<number>;
  /**
   * Atomically removes up to `limit` expired items and returns them, so that exactly one node acts on
   * each expiry (single logout when an SSO session times out).
   */
  takeExpired(limit: number): Promise<StoredItem<T>[]>;
}

export interface UserRecord {
  username: string;
  /** argon2id PHC string; never logged. */
  passwordHash: string;
  attributes: Record<string, string[]>;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface UserStore {
  find(username: string): Promise<UserRecord | undefined>;
  /** Inserts; returns false (and changes nothing) when the username exists. */
  create(user: UserRecord): Promise<boolean>;
  /** Replaces an existing user; returns false when it does not exist. */
  update(user: UserRecord): Promise<boolean>;
  remove(username: string): Promise<boolean>;
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** A single-logout message waiting for (or done with) delivery. */
export interface OutboxMessage {
  id: string;
  /** URL the logoutRequest is POSTed to. */
  url: string;
  /** Form-encoded body or raw body to send. */
  body: string;
  /** The service ticket used as SessionIndex (kept to report, never logged in full). */
  sessionIndex: string;
  service: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError?: string;
}

export interface OutboxStore {
  /** Stores the messages; one whose id is already stored is ignored. */
  enqueue(messages: OutboxMessage[]): Promise<void>;
  /**
   * Atomically leases up to `limit` pending messages due at `clock()`: their nextAttemptAt moves to
   * `clock() + leaseMs` so no other node claims them meanwhile. Returns the leased messages.
   */
  claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  /** Marks a pending message delivered, counting the attempt. Messages no longer pending are left alone. */
  markDelivered(id: string): Promise<void>;
  /**
   * Records a failed attempt: either reschedules (`nextAttemptAt`) or, with `final`, marks it failed.
   * Messages no longer pending are left alone.
   */
  markFailed(id: string, error: string, next: { nextAttemptAt: number } | { final: true }): Promise<void>;
  list(status?: OutboxStatus): Promise<OutboxMessage[]>;
  /** Removes delivered/failed messages older than `before` (by `createdAt`); returns how many. */
  purge(before: number): Promise<number>;
}

/** Fixed-window counters for throttling login attempts and REST ticket requests. */
export interface RateLimitStore {
  /** Increments the counter of `key` in the current window and returns the new count. */
  hit(key: string, windowMs: number): Promise<number>;
  reset(key: string): Promise<void>;
}

export interface Storage {
  readonly kind: 'memory' | 'sqlite' | 'redis' | 'postgres';
  model<T>(name: ModelName): ModelStore<T>;
  readonly users: UserStore;
  readonly outbox: OutboxStore;
  readonly rateLimits: RateLimitStore;
  /** Physically deletes expired items of every model; returns how many. */
  sweep(): Promise<number>;
  /** Throws a StorageUnavailableError when the backend cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
