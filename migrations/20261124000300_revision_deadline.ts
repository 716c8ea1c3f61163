import type { Knex } from 'knex';

/**
 * Notice 000 (附件1 四.1): after a return, the unit that returned the dossier may set the
 * applicant's revision deadline for it, regardless of the committee's 个人修改提交截止时间.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.timestamp('revision_deadline', { useTz: true });
    t.bigInteger('revision_deadline_unit_id').references('id').inTable('units');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropColumn('revision_deadline_unit_id');
    t.dropColumn('revision_deadline');
  });
}
