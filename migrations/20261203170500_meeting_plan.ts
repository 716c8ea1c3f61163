import type { Knex } from 'knex';

/**
 * 评审方案: the review materials the organiser uploads for a meeting (shown to its experts), and
 * when the plan (监督评委会, materials) was last changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('review_meetings', (t) => {
    t.jsonb('materials').notNullable().defaultTo('[]');
    t.timestamp('plan_updated_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('review_meetings', (t) => {
    t.dropColumn('materials');
    t.dropColumn('plan_updated_at');
  });
}
