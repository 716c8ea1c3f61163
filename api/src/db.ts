import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from './config.ts';

export { isDatabaseUnavailable } from '../../engine/errors.ts';

/** Seconds a client is asked to wait (Retry-After) when the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  knex: Knex;
  kind: DatabaseKind;
  close(): Promise<void>;
}

// bigint ids and counts fit in a JS number; numeric stays exact as a string
pg.types.setTypeParser(20, (v) => Number(v));
// bigint[] (oid 1016; not in pg's TypeId list)
const INT8_ARRAY = 1016 as Parameters<typeof pg.types.getTypeParser>[0];
const parseBigintArray = pg.types.getTypeParser(INT8_ARRAY);
pg.types.setTypeParser(INT8_ARRAY, (v: string) => (parseBigintArray(v) as Array<string | null>).map((x) => (x == null ? null : Number(x))));

/** Passes at most one message per `intervalMs` on, saying how many were held back. */
function throttled(write: (message: string) => void, intervalMs: number): (message: string) => void {
  let last = 0;
  let held = 0;
  return (message) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      held++;
      return;
    }
    write(held ? `${message}（另有 ${held} 条同类警告未显示）` : message);
    last = now;
    held = 0;
  };
}

/** Opens PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in DATA_DIR. */
export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DB_POOL_MAX'>): Promise<Database> {
  if (config.DATABASE_URL) {
    const knex = knexFactory({
      client: 'pg',
      // a server that does not answer (network gone) fails the connect instead of hanging the request
      connection: { connectionString: config.DATABASE_URL, connectionTimeoutMillis: 5000, keepAlive: true },
      // a connection PostgreSQL dropped (restart, 57P01) is marked disposed by knex and never handed
      // out again; a refused connect fails the waiting request at once (propagateCreateError) and
      // the next request opens a fresh one, so the API reconnects by itself when the server is back
      pool: { min: 0, max: config.DB_POOL_MAX, propagateCreateError: true, acquireTimeoutMillis: 15_000, idleTimeoutMillis: 30_000 },
      // knex warns once per failed connect: during an outage that is a line per request
      log: { warn: throttled(console.warn, 10_000) },
    });
    await knex.raw('select 1');
    return { knex, kind: 'postgresql', close: () => knex.destroy() };
  }
  const dir = path.join(config.DATA_DIR, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const [{ PGlite }, { default: ClientPGLite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('knex-pglite'),
  ]);
  const pglite = await PGlite.create(dir);
  const knex = knexFactory({
    client: ClientPGLite as unknown as typeof knexFactory.Client,
    connection: () => ({ pglite }) as never,
  } as Knex.Config);
  await knex.raw('select 1');
  return {
    knex,
    kind: 'pglite',
    close: async () => {
      await knex.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
