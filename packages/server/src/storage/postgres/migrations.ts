import type pg from 'pg';

/**
 * Schema changes in order, recorded in `usher_migrations`. Append, never edit. `s` is the quoted schema.
 * Tables carry an `usher_` prefix because the schema may be shared with other applications.
 */
const MIGRATIONS: readonly { name: string; sql: (s: string) => string }[] = [
  {
    name: 'initial',
    sql: (s) => `
      CREATE TABLE ${s}.usher_items (
        model text NOT NULL,
        id text NOT NULL,
        payload text NOT NULL,
        expires_at bigint NOT NULL,
        group_id text,
        PRIMARY KEY (model, id)
      );
      CREATE INDEX usher_items_expiry ON ${s}.usher_items (model, expires_at);
      CREATE INDEX usher_items_group ON ${s}.usher_items (model, group_id) WHERE group_id IS NOT NULL;

      CREATE TABLE ${s}.usher_users (
        username text PRIMARY KEY,
        password_hash text NOT NULL,
        attributes text NOT NULL,
        disabled boolean NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );

      CREATE TABLE ${s}.usher_outbox (
        id text PRIMARY KEY,
        url text NOT NULL,
        body text NOT NULL,
        session_index text NOT NULL,
        service text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL,
        next_attempt_at bigint NOT NULL,
        created_at bigint NOT NULL,
        last_error text
      );
      CREATE INDEX usher_outbox_due ON ${s}.usher_outbox (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX usher_outbox_done ON ${s}.usher_outbox (created_at) WHERE status <> 'pending';

      -- Counters are cheap to lose on a crash, so skip the write-ahead log.
      CREATE UNLOGGED TABLE ${s}.usher_rate_limits (
        key text PRIMARY KEY,
        window_start bigint NOT NULL,
        count integer NOT NULL,
        expires_at bigint NOT NULL
      );`,
  },
];

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Creates the schema if missing and applies pending migrations in one transaction, under an advisory lock
 * so that nodes starting together apply each migration once.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's; a dropped connection must not crash the process.
  const ignore = () => {};
  client.on('error', ignore);
  let failed = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`usher-migrations:${schema}`]);
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.usher_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.usher_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `PostgreSQL schema version ${current} is newer than this Usher knows (${MIGRATIONS.length})`,
      );
    }
    for (const [index, migration] of MIGRATIONS.entries()) {
      if (index + 1 <= current) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.usher_migrations (version, name) VALUES ($1, $2)`, [
        index + 1,
        migration.name,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.off('error', ignore);
    // After a failure the connection may be broken: discard it rather than return it to the pool.
    client.release(failed);
  }
}
