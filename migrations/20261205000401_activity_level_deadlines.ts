import type { Knex } from 'knex';

/**
 * Notice 004 三: the review deadlines of the levels between the applicant and the committee —
 * 申报人所在单位初次审核截止时间, 主管部门网上审核截止时间, 主管部门修改提交截止时间. Optional: an
 * activity without them restricts the units by 评委会接收申报截止时间 only, as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activities', (t) => {
    t.timestamp('unit_review_deadline', { useTz: true });
    t.timestamp('department_review_deadline', { useTz: true });
    t.timestamp('department_revision_deadline', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activities', (t) => {
    t.dropColumn('unit_review_deadline');
    t.dropColumn('department_review_deadline');
    t.dropColumn('department_revision_deadline');
  });
}
