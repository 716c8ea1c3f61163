import { startPostgres, type PgServer } from './pg-server.ts';

let server: PgServer | null = null;

/** vitest global setup: one PostgreSQL server for the run unless one is given. */
export async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  if (process.env.ZCPS_TEST_DATABASE_URL) {
    provide('pgUrl', process.env.ZCPS_TEST_DATABASE_URL);
    return;
  }
  server = await startPostgres();
  provide('pgUrl', server.url);
}

export async function teardown() {
  server?.stop();
  server = null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
