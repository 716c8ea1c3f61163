import type { Knex } from 'knex';

/**
 * 继续教育最低学时 of an activity: the hours a declaration must reach. Activities stored before
 * it get the province's 90 hours a year (notice 004 四), which every activity asked for anyway.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activities', (t) => {
    t.integer('min_continuing_education_hours').notNullable().defaultTo(90);
  });
  await knex.raw('alter table activities add constraint activities_min_hours_check check (min_continuing_education_hours between 0 and 1000)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activities', (t) => {
    t.dropColumn('min_continuing_education_hours');
  });
}
