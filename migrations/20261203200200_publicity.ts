import type { Knex } from 'knex';

/**
 * 评审结果公示 (issue 18, publicity part): one notice per normal meeting, with its period, contact
 * details and the generated PDF; and the complaints against its candidates (我要反馈 online,
 * 录入线下投诉结果 offline), each investigated in its own small flow.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('publicity_notices', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('meeting_id').notNullable().unique().references('id').inTable('review_meetings');
    t.bigInteger('activity_id').notNullable().references('id').inTable('activities');
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    t.uuid('instance_id');
    // drafting 待发布 | published 公示中 | holding 期满待投诉办结 | ended 公示结束
    t.text('status').notNullable().defaultTo('drafting');
    t.date('period_start');
    t.date('period_end');
    t.text('contact_person');
    t.text('contact_phone');
    t.text('contact_address');
    t.text('title');
    t.binary('pdf');
    t.timestamp('published_at', { useTz: true });
    t.timestamp('ended_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['status']);
  });
  await knex.raw("alter table publicity_notices add constraint publicity_notices_status_check check (status in ('drafting', 'published', 'holding', 'ended'))");

  await knex.schema.createTable('publicity_complaints', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('notice_id').notNullable().references('id').inTable('publicity_notices');
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    // online 我要反馈 | offline 录入线下投诉结果
    t.text('kind').notNullable();
    // the logged-in complainant (online); null for an offline complaint
    t.bigInteger('complainant_user_id').references('id').inTable('users');
    t.text('complainant_name');
    t.text('complainant_phone');
    // 身份证号或单位 of an offline complainant
    t.text('complainant_identity');
    t.text('reason').notNullable();
    // [{ id, name, size, mime }] from the files module
    t.jsonb('evidence').notNullable().defaultTo('[]');
    // investigating 调查核实中 | upheld 属实 | dismissed 不属实
    t.text('status').notNullable().defaultTo('investigating');
    // 核实意见; who concluded is the 调查核实 task's actor in the complaint case's history
    t.text('conclusion');
    t.timestamp('concluded_at', { useTz: true });
    t.uuid('instance_id');
    t.bigInteger('created_by').notNullable().references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['notice_id', 'status']);
    t.index(['complainant_user_id']);
  });
  await knex.raw("alter table publicity_complaints add constraint publicity_complaints_kind_check check (kind in ('online', 'offline'))");
  await knex.raw("alter table publicity_complaints add constraint publicity_complaints_status_check check (status in ('investigating', 'upheld', 'dismissed'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('publicity_complaints');
  await knex.schema.dropTableIfExists('publicity_notices');
}
