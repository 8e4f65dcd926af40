import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { hashPassword } from '../../src/auth/password-hash.ts';
import { SqlAuthenticator } from '../../src/auth/sql/sql-authenticator.ts';
import { sqlitePath } from '../../src/auth/sql/user-query.ts';
import { authSourceSchema, type SqlSourceConfig } from '../../src/config/auth-schema.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { APP_URL, freePort, startTestServer, ticketFrom } from '../helpers/test-server.ts';
import { postgresUrl } from '../storage/postgres-server.ts';
import { serverUnderTest } from '../storage/server-under-test.ts';
import { DJANGO_HASHES, DJANGO_PASSWORD, DJANGO_UNUSABLE_HASH } from './django-hashes.ts';
import { opensslPasswd } from './openssl-passwd.ts';

const mysqlUrl = process.env.USHER_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const PASSWORD = 'open sesame 42';
const run = `usher_auth_${randomBytes(5).toString('hex')}`;

interface Backend {
  name: string;
  url: string;
  /** The username parameter in this dialect. */
  param: string;
  users: string;
  memberships: string;
  /** Django's user table, as django-cas-server and django-mama-cas leave it. */
  authUser: string;
  quote(identifier: string): string;
  exec(statement: string, values?: unknown[]): Promise<void>;
  end(): Promise<void>;
}

async function postgresBackend(): Promise<Backend> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA ${run}`);
  return {
    name: 'PostgreSQL',
    url: postgresUrl,
    param: '$1',
    users: `${run}.users`,
    memberships: `${run}.memberships`,
    authUser: `${run}.auth_user`,
    quote: (identifier) => `"${identifier}"`,
    exec: async (statement, values) => void (await client.query(statement, values)),
    async end() {
      await client.query(`DROP SCHEMA ${run} CASCADE`);
      await client.end();
    },
  };
}

async function mysqlBackend(): Promise<Backend> {
  const connection = await mysql.createConnection({ uri: mysqlUrl, connectTimeout: 3000 });
  const backend: Backend = {
    name: 'MariaDB',
    url: mysqlUrl,
    param: '?',
    users: `${run}_users`,
    memberships: `${run}_memberships`,
    authUser: `${run}_auth_user`,
    quote: (identifier) => `\`${identifier}\``,
    exec: async (statement, values) => void (await connection.query(statement, values)),
    async end() {
      await connection.query(
        `DROP TABLE IF EXISTS ${backend.users}, ${backend.memberships}, ${backend.authUser}`,
      );
      await connection.end();
    },
  };
  return backend;
}

/** A file as Django's default database is, read by the source through `sqlite:`. */
async function sqliteBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'usher-sql-source-'));
  const db = new Database(join(dir, 'db.sqlite3'));
  return {
    name: 'SQLite',
    url: `sqlite:${join(dir, 'db.sqlite3')}`,
    param: '?',
    users: 'users',
    memberships: 'memberships',
    authUser: 'auth_user',
    quote: (identifier) => `"${identifier}"`,
    // SQLite stores booleans as integers, as Django's own SQLite backend does.
    exec: async (statement, values = []) =>
      void db.prepare(statement).run(...values.map((v) => (typeof v === 'boolean' ? Number(v) : v))),
    async end() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Hashes of PASSWORD in every supported format; the crypt(3) ones made by openssl, an independent implementation. */
async function passwordColumns(): Promise<Record<string, string>> {
  return {
    bcrypt_hash: bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2y$'),
    argon2_hash: await hashPassword(PASSWORD),
    sha512_hash: opensslPasswd('-6', PASSWORD),
    md5_crypt_hash: opensslPasswd('-1', PASSWORD),
    plain_password: PASSWORD,
  };
}

async function createTables(db: Backend): Promise<void> {
  const columns = await passwordColumns();
  await db.exec(
    `CREATE TABLE ${db.users} (login VARCHAR(64) PRIMARY KEY, mail VARCHAR(128), ${Object.keys(columns)
      .map((c) => `${c} VARCHAR(255)`)
      .join(', ')})`,
  );
  await db.exec(`CREATE TABLE ${db.memberships} (login VARCHAR(64), grp VARCHAR(64))`);
  const names = ['login', 'mail', ...Object.keys(columns)];
  const placeholders = names.map((_, i) => (db.param === '?' ? '?' : `$${i + 1}`)).join(', ');
  await db.exec(`INSERT INTO ${db.users} (${names.join(', ')}) VALUES (${placeholders})`, [
    'ann',
    'ann@example.org',
    ...Object.values(columns),
  ]);
  await db.exec(`INSERT INTO ${db.memberships} (login, grp) VALUES ('ann', 'staff'), ('ann', 'admins')`);
  await createDjangoUsers(db);
}

/** Django's auth_user (its columns that matter here, as Django creates them) with hashes Django made. */
async function createDjangoUsers(db: Backend): Promise<void> {
  await db.exec(
    `CREATE TABLE ${db.authUser} (id INTEGER PRIMARY KEY, password VARCHAR(128) NOT NULL,
      username VARCHAR(150) NOT NULL UNIQUE, first_name VARCHAR(150) NOT NULL, last_name VARCHAR(150) NOT NULL,
      email VARCHAR(254) NOT NULL, is_active BOOLEAN NOT NULL)`,
  );
  const users: [string, string, boolean][] = [
    ['marie', DJANGO_HASHES.pbkdf2_sha256, true],
    ['jean', DJANGO_HASHES.bcrypt_sha256, true],
    ['paul', DJANGO_HASHES.pbkdf2_sha256_1000, false],
    ['zoe', DJANGO_UNUSABLE_HASH, true],
  ];
  for (const [i, [username, password, active]] of users.entries()) {
    const values = [
      i + 1,
      password,
      username,
      username[0]!.toUpperCase() + username.slice(1),
      'Curie',
      `${username}@example.org`,
      active,
    ];
    const placeholders = values.map((_, n) => (db.param === '?' ? '?' : `$${n + 1}`)).join(', ');
    await db.exec(
      `INSERT INTO ${db.authUser} (id, password, username, first_name, last_name, email, is_active) VALUES (${placeholders})`,
      values,
    );
  }
}

for (const [name, url, open] of [
  ['PostgreSQL', postgresUrl, postgresBackend],
  ['MariaDB', mysqlUrl, mysqlBackend],
  ['SQLite', 'sqlite:/tmp', sqliteBackend],
] as const) {
  let db: Backend | undefined;
  const available = await serverUnderTest(name, url, async () => {
    db = await open();
  });
  if (!available) continue;

  describe(`SQL authentication source (${name})`, () => {
    const sources: SqlAuthenticator[] = [];
    const config = (
      check: SqlSourceConfig['passwordCheck'],
      column: string,
      settings: Partial<SqlSourceConfig> = {},
    ) =>
      authSourceSchema.parse({
        kind: 'sql',
        url: db!.url,
        userQuery: `SELECT u.login, u.${column} AS pw, u.mail, m.grp AS ${db!.quote('memberOf')}
          FROM ${db!.users} u LEFT JOIN ${db!.memberships} m ON m.login = u.login WHERE u.login = ${db!.param} ORDER BY m.grp DESC`,
        passwordColumn: 'pw',
        usernameColumn: 'login',
        passwordCheck: check,
        timeoutMs: 2000,
        ...settings,
      }) as SqlSourceConfig;
    const source = (...args: Parameters<typeof config>) => {
      const created = new SqlAuthenticator(config(...args), createLogger('silent'));
      sources.push(created);
      return created;
    };

    before(() => createTables(db!));
    after(async () => {
      await Promise.all(sources.map((s) => s.close()));
      await db!.end();
    });

    for (const [check, column] of [
      ['bcrypt', 'bcrypt_hash'],
      ['argon2', 'argon2_hash'],
      ['crypt', 'sha512_hash'],
      ['crypt', 'bcrypt_hash'],
      ['crypt', 'md5_crypt_hash'],
      ['plain', 'plain_password'],
    ] as const) {
      it(`checks ${check} passwords (${column}) and refuses wrong ones`, async () => {
        const checked = source(check, column);
        assert.deepEqual(await checked.authenticate('ann', PASSWORD), {
          ok: true,
          username: 'ann',
          attributes: { login: ['ann'], mail: ['ann@example.org'], memberOf: ['staff', 'admins'] },
        });
        assert.deepEqual(await checked.authenticate('ann', `${PASSWORD}!`), {
          ok: false,
          reason: 'invalid-credentials',
        });
        assert.deepEqual(await checked.authenticate('ann', PASSWORD.slice(0, -1)), {
          ok: false,
          reason: 'invalid-credentials',
        });
      });
    }

    it('never matches a hash with the wrong check', async () => {
      assert.deepEqual(await source('bcrypt', 'plain_password').authenticate('ann', PASSWORD), {
        ok: false,
        reason: 'invalid-credentials',
      });
      assert.deepEqual(await source('plain', 'bcrypt_hash').authenticate('ann', PASSWORD), {
        ok: false,
        reason: 'invalid-credentials',
      });
    });

    it('reports an unknown user so that the next source may answer', async () => {
      assert.deepEqual(await source('bcrypt', 'bcrypt_hash').authenticate('nobody', PASSWORD), {
        ok: false,
        reason: 'unknown-user',
      });
    });

    it('sends the username as a parameter: SQL in it is only text', async () => {
      const checked = source('plain', 'plain_password');
      for (const hostile of [
        "ann' OR '1'='1",
        "x' UNION SELECT 'ann', 'pw', 'pw', 'pw' --",
        `ann'; DROP TABLE ${db!.users}; --`,
      ]) {
        assert.deepEqual(
          await checked.authenticate(hostile, PASSWORD),
          { ok: false, reason: 'unknown-user' },
          hostile,
        );
      }
      assert.equal((await checked.authenticate('ann', PASSWORD)).ok, true, 'the table is still there');
    });

    it('answers "unavailable" when the database cannot be reached', async () => {
      const closed = new URL(db!.url);
      closed.port = String(await freePort());
      // For SQLite: a file that does not exist (never created: the source opens files read-only).
      const unreachable = db!.url.startsWith('sqlite:')
        ? `sqlite:${closed.pathname}-missing`
        : closed.toString();
      await assert.rejects(
        source('bcrypt', 'bcrypt_hash', { url: unreachable }).authenticate('ann', PASSWORD),
        {
          name: 'AuthSourceUnavailableError',
        },
      );
    });

    describe("Django's auth_user (passwordCheck: django)", () => {
      const django = () =>
        config('django', 'password', {
          userQuery: `SELECT username, password, email, first_name, last_name FROM ${db!.authUser}
            WHERE username = ${db!.param} AND is_active`,
          passwordColumn: 'password',
          usernameColumn: 'username',
        });

      it('checks the passwords Django hashed, and refuses inactive and unusable accounts', async () => {
        const checked = new SqlAuthenticator(django(), createLogger('silent'));
        sources.push(checked);
        assert.deepEqual(await checked.authenticate('marie', DJANGO_PASSWORD), {
          ok: true,
          username: 'marie',
          attributes: {
            username: ['marie'],
            email: ['marie@example.org'],
            first_name: ['Marie'],
            last_name: ['Curie'],
          },
        });
        assert.equal((await checked.authenticate('jean', DJANGO_PASSWORD)).ok, true);
        for (const [username, password, reason] of [
          ['marie', `${DJANGO_PASSWORD}!`, 'invalid-credentials'],
          ['jean', 'open sesame 42', 'invalid-credentials'],
          ['zoe', DJANGO_PASSWORD, 'invalid-credentials'],
          ['zoe', DJANGO_UNUSABLE_HASH, 'invalid-credentials'],
          ['paul', DJANGO_PASSWORD, 'unknown-user'],
        ] as const) {
          assert.deepEqual(await checked.authenticate(username, password), { ok: false, reason }, username);
        }
        // The README's variant that refuses an inactive user instead of passing them to the next source.
        const refusing = new SqlAuthenticator(
          config('django', 'password', {
            userQuery: `SELECT username, CASE WHEN is_active THEN password ELSE '!' END AS password
              FROM ${db!.authUser} WHERE username = ${db!.param}`,
            passwordColumn: 'password',
            usernameColumn: 'username',
          }),
          createLogger('silent'),
        );
        sources.push(refusing);
        assert.deepEqual(await refusing.authenticate('paul', DJANGO_PASSWORD), {
          ok: false,
          reason: 'invalid-credentials',
        });
        assert.equal((await refusing.authenticate('marie', DJANGO_PASSWORD)).ok, true);
      });

      it('signs a Django user in through /login', async () => {
        const t = await startTestServer({
          settings: {
            auth: { sources: [django()] },
            services: {
              registry: [{ name: 'All', match: 'prefix', pattern: APP_URL, attributes: { allow: ['*'] } }],
            },
          },
        });
        try {
          const response = await t.login({ service: APP_URL, username: 'marie', password: DJANGO_PASSWORD });
          assert.equal(response.status, 302);
          const body = (
            await t.validate('/p3/serviceValidate', {
              ticket: ticketFrom(response.location),
              service: APP_URL,
            })
          ).body;
          assert.match(body, /<cas:user>marie<\/cas:user>/);
          assert.match(body, /<cas:email>marie@example.org<\/cas:email>/);
          assert.match(body, /<cas:first_name>Marie<\/cas:first_name>/);
          assert.doesNotMatch(body, /pbkdf2_sha256/, 'the password column is never an attribute');
        } finally {
          await t.close();
        }
      });
    });

    it('signs a user in through /login and releases the joined rows as a multi-valued attribute', async () => {
      const t = await startTestServer({
        settings: { auth: { sources: [config('bcrypt', 'bcrypt_hash')] } },
      });
      try {
        const response = await t.login({ service: APP_URL, username: 'ann', password: PASSWORD });
        assert.equal(response.status, 302);
        const body = (
          await t.validate('/p3/serviceValidate', { ticket: ticketFrom(response.location), service: APP_URL })
        ).body;
        assert.match(body, /<cas:user>ann<\/cas:user>/);
        assert.match(body, /<cas:memberOf>staff<\/cas:memberOf>\s*<cas:memberOf>admins<\/cas:memberOf>/);
        assert.doesNotMatch(body, /\$2y\$/, 'the password column is never an attribute');
      } finally {
        await t.close();
      }
    });
  });
}

describe('SQL source URLs', () => {
  it('reads a SQLite file path in the forms people write it', () => {
    assert.equal(sqlitePath('sqlite:/srv/django/db.sqlite3'), '/srv/django/db.sqlite3');
    assert.equal(sqlitePath('sqlite:///srv/django/db.sqlite3'), '/srv/django/db.sqlite3');
    assert.equal(sqlitePath('sqlite:./db.sqlite3'), './db.sqlite3');
  });

  it('refuses other schemes and a SQLite URL without a path, naming the key', () => {
    for (const url of ['sqlite:', 'oracle://db/x', 'file:/srv/db.sqlite3']) {
      const parsed = authSourceSchema.safeParse({
        kind: 'sql',
        url,
        userQuery: 'SELECT * FROM auth_user WHERE username = ?',
        passwordCheck: 'django',
      });
      assert.equal(parsed.success, false, url);
      assert.deepEqual(parsed.error?.issues[0]?.path, ['url']);
    }
  });
});
