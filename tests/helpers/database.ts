import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
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
