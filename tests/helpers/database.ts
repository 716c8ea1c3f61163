import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { inject } from 'vitest';
import { migrateLatest } from '../../migrations/index.ts';
import { openDatabase, type Database } from '../../api/src/db.ts';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase extends Database {
  url: string;
  name: string;
}

/** A fresh, migrated database on the test server, dropped by `drop()`. */
export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = inject('pgUrl');
  const name = `zcps_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = withDatabase(adminUrl, name);
  const db = await openDatabase({ DATABASE_URL: url, DATA_DIR: '/tmp', DB_POOL_MAX: options.poolMax ?? 10 });
  await migrateLatest(db.knex);
  let closed = false;
  return {
    ...db,
    url,
    name,
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
    async drop() {
      if (!closed) {
        closed = true;
        await db.close();
      }
      const again = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      await again.raw(`drop database if exists ${name} with (force)`);
      await again.destroy();
    },
  };
}

/** Opens another connection pool to the same database (a second "API process"). */
export async function reopen(db: TestDatabase, poolMax = 10): Promise<Database> {
  return openDatabase({ DATABASE_URL: db.url, DATA_DIR: '/tmp', DB_POOL_MAX: poolMax });
}

/**
 * Waits until another connection's statement (`statementLike`, a LIKE pattern on its text) waits
 * for a lock: the moment a test commits the change that statement must then see.
 */
export async function lockWaitOf(knex: Knex, statementLike: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await knex.raw(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like ?",
      [statementLike],
    );
    if (Number(rows[0]?.n) > 0) return;
    if (Date.now() > until) throw new Error(`no statement like ${statementLike} waited for a lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The statements a piece of work sends through `knex`, by their SQL text. */
export async function statementsOf(knex: Knex, work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const listener = (query: { sql: string }) => sent.push(query.sql);
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.removeListener('query', listener);
  }
  return sent;
}
