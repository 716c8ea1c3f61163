import type { Knex } from 'knex';

/**
 * 评审结果确认: one row per candidate handed over by publicity (the confirming unit, direct or
 * 委托, and where the candidate stands), the files the step collects (任职资格文件 per confirming
 * unit, 评审工作报告 per meeting), the meeting's 办结, and the candidates handed to certificate
 * issuance (提交发证信息), which issue 19 reads.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('result_confirmations', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    // the confirming unit: the committee's 授权管理单位, or the dossier's 委托单位
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.boolean('delegated').notNullable().defaultTo(false);
    // confirming 确认中 | supplement 补充材料 | passed 确认通过 | failed 不通过
    t.text('state').notNullable().defaultTo('confirming');
    t.text('return_reason');
    t.timestamp('returned_at', { useTz: true });
    t.integer('return_count').notNullable().defaultTo(0);
    t.text('reason');
    t.timestamp('decided_at', { useTz: true });
    t.date('approval_date');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'dossier_id']);
    t.index(['unit_id', 'state']);
    t.unique(['dossier_id']);
  });
  await knex.raw("alter table result_confirmations add constraint result_confirmations_state_check check (state in ('confirming', 'supplement', 'passed', 'failed'))");

  await knex.schema.createTable('confirmation_files', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    // qualification 任职资格文件 (the confirming unit's) | report 评审工作报告 (the organiser's)
    t.text('kind').notNullable();
    t.uuid('file_id').notNullable();
    t.bigInteger('uploaded_by').references('id').inTable('users');
    t.timestamp('uploaded_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'unit_id', 'kind']);
  });
  await knex.raw("alter table confirmation_files add constraint confirmation_files_kind_check check (kind in ('qualification', 'report'))");

  await knex.schema.createTable('certificate_handovers', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    t.text('document_no').notNullable();
    t.date('approval_date').notNullable();
    t.bigInteger('handed_by').references('id').inTable('users');
    t.timestamp('handed_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'dossier_id']);
  });

  await knex.schema.createTable('confirmation_closures', (t) => {
    t.bigInteger('meeting_id').primary().references('id').inTable('review_meetings');
    t.bigInteger('closed_by').references('id').inTable('users');
    t.timestamp('closed_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['confirmation_closures', 'certificate_handovers', 'confirmation_files', 'result_confirmations']) await knex.schema.dropTableIfExists(table);
}
