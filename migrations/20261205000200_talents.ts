import type { Knex } from 'knex';

/**
 * 专技人才 (manual §1.2.13): one registration per person, reviewed up the unit chain, and a
 * per-unit, per-category summary of the approved ones that the approval step keeps in the same
 * transaction — 专技人才统计 sums the summary rows of the caller's subtree (a few thousand rows)
 * instead of aggregating a million registrations on every view (docs/talents.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('talents', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().unique().references('id').inTable('users');
    // the person's unit when registering: the first level of the review and where the statistics count them
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('person_name').notNullable();
    // male | female
    t.text('gender').notNullable();
    t.date('birth_date').notNullable();
    t.text('id_number').notNullable();
    t.text('ethnicity').notNullable();
    // party_member | probationary_member | league_member | democratic_party | masses
    t.text('political_status').notNullable();
    // mainland | hk_mo_tw | foreign
    t.text('origin').notNullable();
    // doctorate | master | bachelor | associate | secondary | high_school (forms/catalog.ts EDUCATION)
    t.text('education').notNullable();
    // forms/talent.ts TALENT_CATEGORIES
    t.text('category').notNullable();
    // title | certificate | none
    t.text('title_kind').notNullable();
    t.text('level');
    t.text('series');
    t.text('title_name');
    t.text('certificate_name');
    // draft | reviewing | returned | approved | rejected
    t.text('status').notNullable().defaultTo('draft');
    t.specificType('audit_path', 'bigint[]').notNullable().defaultTo('{}');
    t.bigInteger('current_unit_id').references('id').inTable('units');
    t.text('return_reason');
    t.integer('return_count').notNullable().defaultTo(0);
    t.text('reject_reason');
    t.uuid('instance_id');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
  });
  await knex.raw("alter table talents add constraint talents_status_check check (status in ('draft', 'reviewing', 'returned', 'approved', 'rejected'))");
  await knex.raw("alter table talents add constraint talents_title_check check (title_kind in ('title', 'certificate', 'none') and (title_kind <> 'title' or level is not null))");
  // 专技人才审核: what waits at my unit
  await knex.raw("create index talents_pending_idx on talents (current_unit_id) where status = 'reviewing'");
  await knex.raw('create index talents_unit_idx on talents (unit_id, status)');

  await knex.schema.createTable('talent_unit_stats', (t) => {
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('category').notNullable();
    for (const column of STAT_COLUMNS) t.integer(column).notNullable().defaultTo(0);
    t.primary(['unit_id', 'category']);
  });
}

/** The counters of one (unit, category): the columns of 专技人才统计. */
const STAT_COLUMNS = [
  'total',
  'senior_full',
  'senior_deputy',
  'intermediate',
  'junior',
  'certificate_only',
  'other',
  'female',
  'minority',
  'party',
  'overseas',
  'doctorate',
  'master',
  'bachelor',
  'associate',
  'secondary_below',
] as const;

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('talent_unit_stats');
  await knex.schema.dropTable('talents');
}
