import type { Knex } from 'knex';

/**
 * 专家抽选 and 确认出席: the draw groups of a meeting, every draw with what it read (inputs, pool
 * snapshot, seed) so it can be replayed, the recusals found when a draw is accepted, and the
 * attendance calls (who confirmed or cancelled whom, why, and which alternate moved up).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('draw_groups', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.integer('group_no').notNullable();
    t.text('specialty').notNullable();
    // senior_full | senior_deputy | intermediate | junior
    t.text('level').notNullable();
    t.integer('count').notNullable();
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['meeting_id', 'group_no']);
  });
  await knex.raw("alter table draw_groups add constraint draw_groups_level_check check (level in ('senior_full', 'senior_deputy', 'intermediate', 'junior'))");
  await knex.raw('alter table draw_groups add constraint draw_groups_count_check check (count > 0)');

  await knex.schema.createTable('expert_draws', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    // drawn 已抽选 | refused 规则不满足 | accepted 已采用 | superseded 未采用
    t.text('status').notNullable();
    t.text('algorithm').notNullable();
    // { multiplier, groups, year, locality }
    t.jsonb('inputs').notNullable();
    // the experts the rules read, with the fields they read
    t.jsonb('pool').notNullable();
    // hex of crypto.randomBytes(32)
    t.text('seed').notNullable();
    t.jsonb('result');
    // { rule, message, required, available } of a refused draw
    t.jsonb('refusal');
    t.bigInteger('drawn_by').references('id').inTable('users');
    t.text('drawn_by_name').notNullable();
    t.timestamp('drawn_at', { useTz: true }).notNullable();
    t.bigInteger('accepted_by').references('id').inTable('users');
    t.timestamp('accepted_at', { useTz: true });
    t.index(['meeting_id', 'id']);
  });
  await knex.raw("alter table expert_draws add constraint expert_draws_status_check check (status in ('drawn', 'refused', 'accepted', 'superseded'))");
  await knex.raw("create unique index expert_draws_accepted_once on expert_draws (meeting_id) where status = 'accepted'");

  // 回避: an expert employed by a candidate's employer does not review that candidate
  await knex.schema.createTable('meeting_recusals', (t) => {
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    t.text('employer').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['meeting_id', 'expert_id', 'dossier_id']);
  });

  await knex.schema.alterTable('meeting_experts', (t) => {
    t.text('cancel_reason');
    t.bigInteger('attendance_by').references('id').inTable('users');
    t.timestamp('attendance_at', { useTz: true });
    // an alternate that moved up when a principal of its group cancelled
    t.bigInteger('promoted_for').references('id').inTable('experts');
  });

  await knex.schema.createTable('meeting_expert_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('meeting_id').notNullable().references('id').inTable('review_meetings');
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    // confirm | cancel | promote | executive_chair
    t.text('action').notNullable();
    t.text('reason');
    t.bigInteger('actor_id');
    t.text('actor_name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['meeting_id', 'id']);
  });
  await knex.raw('create trigger meeting_expert_events_no_change before update or delete on meeting_expert_events for each row execute function history_events_append_only()');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('meeting_expert_events');
  await knex.schema.alterTable('meeting_experts', (t) => {
    for (const c of ['cancel_reason', 'attendance_by', 'attendance_at', 'promoted_for']) t.dropColumn(c);
  });
  for (const table of ['meeting_recusals', 'expert_draws', 'draw_groups']) await knex.schema.dropTableIfExists(table);
}
