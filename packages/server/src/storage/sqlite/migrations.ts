import type { Database } from 'better-sqlite3';

/**
 * Schema changes in order; `PRAGMA user_version` records the last one applied. Append, never edit: a
 * database created by an older Usher is brought up to date by replaying what it lacks.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE items (
     model TEXT NOT NULL,
     id TEXT NOT NULL,
     payload TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     group_id TEXT,
     PRIMARY KEY (model, id)
   );
   CREATE INDEX items_expiry ON items (model, expires_at);
   CREATE INDEX items_group ON items (model, group_id) WHERE group_id IS NOT NULL;

   CREATE TABLE users (
     username TEXT PRIMARY KEY,
     password_hash TEXT NOT NULL,
     attributes TEXT NOT NULL,
     disabled INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );

   CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     url TEXT NOT NULL,
     body TEXT NOT NULL,
     session_index TEXT NOT NULL,
     service TEXT NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     last_error TEXT
   );
   CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
   CREATE INDEX outbox_done ON outbox (created_at) WHERE status <> 'pending';

   CREATE TABLE rate_limits (
     key TEXT PRIMARY KEY,
     window_start INTEGER NOT NULL,
     count INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
  // Items keyed by their primary key alone (WITHOUT ROWID); undone by the next migration.
  `CREATE TABLE items_by_key (
     model TEXT NOT NULL,
     id TEXT NOT NULL,
     payload TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     group_id TEXT,
     PRIMARY KEY (model, id)
   ) WITHOUT ROWID;
   INSERT INTO items_by_key SELECT model, id, payload, expires_at, group_id FROM items;
   DROP TABLE items;
   ALTER TABLE items_by_key RENAME TO items;
   CREATE INDEX items_expiry ON items (model, expires_at);
   CREATE INDEX items_group ON items (model, group_id) WHERE group_id IS NOT NULL;`,
  // Back to a rowid table: new rows append to its last page, and only the small (model, id) key lands at a
  // random place. WITHOUT ROWID put every whole payload (tickets carry the attributes) at the random
  // position of its id: two to three times the pages written per ticket.
  `CREATE TABLE items_by_rowid (
     model TEXT NOT NULL,
     id TEXT NOT NULL,
     payload TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     group_id TEXT,
     PRIMARY KEY (model, id)
   );
   INSERT INTO items_by_rowid SELECT model, id, payload, expires_at, group_id FROM items;
   DROP TABLE items;
   ALTER TABLE items_by_rowid RENAME TO items;
   CREATE INDEX items_expiry ON items (model, expires_at);
   CREATE INDEX items_group ON items (model, group_id) WHERE group_id IS NOT NULL;`,
];

/**
 * Applies missing migrations (up to `target`, for tests of upgrades); the IMMEDIATE transaction makes
 * processes opening the file together take turns.
 */
export function migrate(db: Database, target = MIGRATIONS.length): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `SQLite schema version ${current} is newer than this Usher knows (${MIGRATIONS.length})`,
      );
    }
    for (const sql of MIGRATIONS.slice(current, target)) db.exec(sql);
    db.pragma(`user_version = ${Math.max(current, target)}`);
  }).immediate();
}
