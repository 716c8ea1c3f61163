import type { Knex } from 'knex';

/**
 * 修改痕迹: the declaration as it stood when it was last returned to the applicant, so that after
 * the resubmission the reviewers see what changed since the return.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.jsonb('returned_data');
    t.timestamp('returned_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropColumn('returned_at');
    t.dropColumn('returned_data');
  });
}
