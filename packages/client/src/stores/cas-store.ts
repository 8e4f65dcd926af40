/**
 * The one storage contract of the client: short string values that expire. Proxy granting tickets
 * (pgtIou → PGT) and single logout (service ticket → session id) both live in it, under their own key
 * prefixes, so one backend serves both.
 */
export interface CasStore {
  /** Stores `value` under `key` for `ttlMs`, replacing any previous value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores only if `key` holds no live value; returns whether it stored. */
  add(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** The live value, or undefined when missing or expired. */
  get(key: string): Promise<string | undefined>;
  /** Atomically reads and removes: of concurrent callers, one gets the value. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
}
