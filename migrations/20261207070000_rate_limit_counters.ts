import type { Knex } from 'knex';

/**
 * The public pages' and registration's request limits, counted in the database so that every API
 * process (WORKERS=2, several servers) shares one count per address. One row per (route, address):
 * the current window's start and its count, bumped by one upsert. UNLOGGED: a counter lost in a
 * crash only gives an address a fresh minute, and it spares the WAL a write per public request.
 * Rows of past windows are deleted by the rate-limit job.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create unlogged table rate_limit_counters (
      key text primary key,
      window_start timestamptz not null,
      count integer not null
    )`);
  await knex.raw('create index rate_limit_counters_window_idx on rate_limit_counters (window_start)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists rate_limit_counters');
}
