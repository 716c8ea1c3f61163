import type { Knex } from 'knex';

/**
 * An exact lookup by ID number reads the keyed hash, or the plain column of a row the sweep has
 * not reached yet (api/src/pii.ts `whereSealedIs`: `id_number_hash = ? or id_number in (…)`). The
 * plain columns had no index once the sweep emptied them, so the `or` made PostgreSQL read the
 * whole table: 专技人才's name search (which also matches a whole ID number) took 160 ms a
 * statement over 1,000,000 registrations, and every save's one-registration-per-person check as
 * much. A partial index over the rows still plain is empty after the sweep and costs nothing,
 * and lets each side of the `or` be an index scan.
 */
// (certificates, history_records and initial_persons have had theirs since 20261207040000)
const TABLES = ['talents', 'title_recognitions', 'experts'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`create index if not exists ${table}_id_number_plain_idx on ${table} (id_number) where id_number is not null`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`drop index if exists ${table}_id_number_plain_idx`);
}
