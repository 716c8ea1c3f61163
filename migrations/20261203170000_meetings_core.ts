import type { Knex } from 'knex';

/**
 * 评审会议: the committee's meetings for an activity (one 破格评审会议 and one 普通评审会议 at most),
 * their candidates, the experts drawn for them, the panels (专业组), the voting rounds and the
 * 主审/辅审 assignment. The draw, the ballots, the exam and the defense keep their own tables.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('review_meetings', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('activity_id').notNullable().references('id').inTable('activities');
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    // breakthrough 破格评审会议 | normal 普通评审会议
    t.text('kind').notNullable();
    t.text('name').notNullable();
    t.text('status').notNullable().defaultTo('preparing');
    t.uuid('instance_id');
    // 评审方案: the committee whose staff read the tally (监督)
    t.bigInteger('supervisor_committee_id').references('id').inTable('committees');
    t.timestamp('starts_at', { useTz: true });
    t.text('location');
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['activity_id', 'kind']);
    t.index(['committee_id']);
  });
  await knex.raw("alter table review_meetings add constraint review_meetings_kind_check check (kind in ('breakthrough', 'normal'))");
  await knex.raw("alter table review_meetings add constraint review_meetings_status_check check (status in ('preparing', 'voting', 'closed', 'cancelled'))");

  await knex.schema.createTable('meeting_panels', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.text('name').notNullable();
    t.text('specialty');
    t.integer('order_no').notNullable().defaultTo(0);
    t.unique(['meeting_id', 'name']);
  });

  await knex.schema.createTable('meeting_candidates', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    // received 已接收 | breakthrough 破格评审通过 | exam 笔试通过
    t.text('source').notNullable().defaultTo('received');
    t.integer('order_no').notNullable();
    t.bigInteger('panel_id').references('id').inTable('meeting_panels');
    // candidate 参评 | eliminated 专业组未通过 | passed 通过 | failed 未通过 | withdrawn 撤出
    t.text('status').notNullable().defaultTo('candidate');
    t.text('result_round');
    // 公示有异议 (an upheld complaint at the unit-level 公示)
    t.boolean('objection').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'dossier_id']);
    t.index(['dossier_id']);
  });
  await knex.raw("alter table meeting_candidates add constraint meeting_candidates_source_check check (source in ('received', 'breakthrough', 'exam'))");
  await knex.raw("alter table meeting_candidates add constraint meeting_candidates_status_check check (status in ('candidate', 'eliminated', 'passed', 'failed', 'withdrawn'))");

  await knex.schema.createTable('meeting_experts', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    t.bigInteger('draw_id');
    t.integer('group_no');
    // principal 正选 | alternate 候补
    t.text('role').notNullable();
    t.integer('alt_order');
    // pending 待确认 | confirmed 确认出席 | cancelled 取消
    t.text('attendance').notNullable().defaultTo('pending');
    t.bigInteger('panel_id').references('id').inTable('meeting_panels');
    t.boolean('is_leader').notNullable().defaultTo(false);
    t.boolean('is_executive_chair').notNullable().defaultTo(false);
    // the expert's meeting credential (a user valid for this meeting's voting only)
    t.bigInteger('user_id').references('id').inTable('users');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'expert_id']);
    t.index(['user_id']);
  });
  await knex.raw("alter table meeting_experts add constraint meeting_experts_role_check check (role in ('principal', 'alternate'))");
  await knex.raw("alter table meeting_experts add constraint meeting_experts_attendance_check check (attendance in ('pending', 'confirmed', 'cancelled'))");

  await knex.schema.createTable('meeting_rounds', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    // panel 专业组评审 | plenary 评委会评审
    t.text('kind').notNullable();
    t.bigInteger('panel_id').references('id').inTable('meeting_panels');
    // vote 投票 | score 打分
    t.text('method').notNullable().defaultTo('vote');
    // voting 投票中 | closed 计票完成
    t.text('status').notNullable().defaultTo('voting');
    t.integer('confirmed_count');
    t.integer('attending_count');
    t.boolean('valid');
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
    t.bigInteger('closed_by').references('id').inTable('users');
    t.index(['meeting_id']);
  });
  await knex.raw("alter table meeting_rounds add constraint meeting_rounds_kind_check check (kind in ('panel', 'plenary'))");
  await knex.raw("alter table meeting_rounds add constraint meeting_rounds_method_check check (method in ('vote', 'score'))");
  await knex.raw("alter table meeting_rounds add constraint meeting_rounds_status_check check (status in ('voting', 'closed'))");
  await knex.raw('create unique index meeting_rounds_once_idx on meeting_rounds (meeting_id, kind, coalesce(panel_id, 0))');

  await knex.schema.createTable('meeting_assignments', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    // main 主审 | assistant 辅审
    t.text('role').notNullable();
    t.primary(['meeting_id', 'dossier_id', 'expert_id']);
  });
  await knex.raw("alter table meeting_assignments add constraint meeting_assignments_role_check check (role in ('main', 'assistant'))");
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['meeting_assignments', 'meeting_rounds', 'meeting_experts', 'meeting_candidates', 'meeting_panels', 'review_meetings']) {
    await knex.schema.dropTableIfExists(table);
  }
}
