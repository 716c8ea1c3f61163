import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import type { Database, DatabaseKind } from '../db.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
    dbKind: DatabaseKind;
  }
}

/** Exposes the opened database; whoever opened it closes it. */
export default fp<{ database: Database }>(
  async (fastify, { database }) => {
    fastify.decorate('db', database.knex);
    fastify.decorate('dbKind', database.kind);
  },
  { name: 'db' },
);
