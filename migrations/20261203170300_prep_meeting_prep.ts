import type { Knex } from 'knex';

/**
 * Before the meeting (评审会议准备): the activity's 评分标准, the imported 笔试成绩 and 答辩安排 of a
 * meeting's candidates, the checks of an import kept until the clerk confirms them, the note of a
 * 公示有异议 flag, and messages addressed to one person (an applicant's 答辩通知).
 */
export async function up(knex: Knex): Promise<void> {
  // 评分标准: per activity, so both meetings of the activity and the expert portal show the same items
  await knex.schema.createTable('activity_scoring_items', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('activity_id').notNullable().references('id').inTable('activities');
    t.text('name').notNullable();
    t.decimal('max_points', 6, 1).notNullable();
    t.text('description');
    t.integer('order_no').notNullable();
    t.bigInteger('updated_by').references('id').inTable('users');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['activity_id', 'order_no']);
  });

  await knex.schema.createTable('meeting_exam_results', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    t.decimal('score', 6, 1);
    // null: exempt (免试, an activity where only some sit the exam)
    t.boolean('passed');
    t.bigInteger('imported_by').references('id').inTable('users');
    t.timestamp('imported_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'dossier_id']);
  });

  await knex.schema.createTable('meeting_defense_arrangements', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    t.date('defense_date').notNullable();
    t.text('arrival_time').notNullable();
    t.text('address').notNullable();
    t.text('sign_in_desk').notNullable();
    t.integer('order_no').notNullable();
    t.text('room').notNullable();
    // raised when an import changes the arrangement: the notices of each version are sent once
    t.integer('version').notNullable().defaultTo(1);
    t.bigInteger('imported_by').references('id').inTable('users');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'dossier_id']);
  });

  await knex.schema.createTable('meeting_prep_imports', (t) => {
    t.uuid('id').primary();
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    // exam 笔试成绩 | defense 答辩安排
    t.text('kind').notNullable();
    t.uuid('file_id').notNullable();
    t.integer('total').notNullable();
    t.jsonb('good_rows').notNullable();
    t.jsonb('problems').notNullable();
    // checked | imported
    t.text('status').notNullable();
    t.bigInteger('created_by').notNullable().references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('imported_at', { useTz: true });
    t.index(['meeting_id', 'kind']);
  });
  await knex.raw("alter table meeting_prep_imports add constraint meeting_prep_imports_kind_check check (kind in ('exam', 'defense'))");

  await knex.schema.alterTable('meeting_candidates', (t) => {
    t.text('objection_note');
    t.bigInteger('objection_by').references('id').inTable('users');
    t.timestamp('objection_at', { useTz: true });
  });

  // a message for one person of the unit (an applicant's own notice); null: as before
  await knex.schema.alterTable('messages', (t) => {
    t.bigInteger('user_id').references('id').inTable('users');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => t.dropColumn('user_id'));
  await knex.schema.alterTable('meeting_candidates', (t) => {
    t.dropColumn('objection_note');
    t.dropColumn('objection_by');
    t.dropColumn('objection_at');
  });
  for (const table of ['meeting_prep_imports', 'meeting_defense_arrangements', 'meeting_exam_results', 'activity_scoring_items']) {
    await knex.schema.dropTableIfExists(table);
  }
}
