import type { Knex } from 'knex';

/**
 * 专家库审核 as a flow (`expert-pool-review`): one submission (提交) of a committee's experts to its
 * registrar is one case; each expert remembers the submission it is waiting in.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('expert_submissions', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    t.bigInteger('registrar_unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('submitted_by').references('id').inTable('users');
    t.specificType('expert_ids', 'bigint[]').notNullable();
    // reviewing 审核中 | done 审核完毕 (every expert passed or returned)
    t.text('status').notNullable().defaultTo('reviewing');
    t.uuid('instance_id');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.index(['committee_id', 'status']);
  });
  await knex.raw("alter table expert_submissions add constraint expert_submissions_status_check check (status in ('reviewing', 'done'))");
  await knex.schema.alterTable('experts', (t) => {
    t.bigInteger('submission_id').references('id').inTable('expert_submissions');
    t.index(['submission_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('experts', (t) => {
    t.dropColumn('submission_id');
  });
  await knex.schema.dropTableIfExists('expert_submissions');
}
