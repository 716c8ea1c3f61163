import type { Knex } from 'knex';

/** The health check's one statement: whether the database answers at all. */
export function createHealthRepository(db: Knex) {
  return {
    async ping(): Promise<void> {
      await db.raw('select 1');
    },
  };
}
