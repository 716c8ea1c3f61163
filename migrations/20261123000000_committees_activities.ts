import type { Knex } from 'knex';
import { createRequire } from 'node:module';

/** The State Council arrangements shipped in the chinese-days package (2004 to its last year). */
function packagedCalendar() {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const version = (require('chinese-days/package.json') as { version: string }).version;
  const nameOf = (text: string) => text.split(',')[1] ?? text;
  const days = [
    ...Object.entries(data.holidays).map(([day, text]) => ({ day, kind: 'holiday', name: nameOf(text) })),
    ...Object.entries(data.workdays).map(([day, text]) => ({ day, kind: 'workday', name: `${nameOf(text)}调休上班` })),
  ];
  const years = [...new Set(days.map((d) => Number(d.day.slice(0, 4))))].sort();
  return { source: `chinese-days ${version}`, years, days };
}

/**
 * Committees and their filings (评委会备案), expert pools (专家库) with their imports, review
 * activities (评审活动) with their deadline changes, the working-day calendar (工作日历) seeded
 * from the State Council arrangements, and messages (消息) for reminders.
 */
export async function up(knex: Knex): Promise<void> {
  // ---- 工作日历
  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary();
    // where the arrangement came from: a data package, or an administrator
    t.text('source').notNullable();
    t.boolean('published').notNullable().defaultTo(true);
    t.bigInteger('updated_by');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('calendar_days', (t) => {
    t.date('day').primary();
    // holiday 放假 | workday 调休上班 (a weekend day that is worked)
    t.text('kind').notNullable();
    t.text('name').notNullable();
    t.bigInteger('updated_by');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("alter table calendar_days add constraint calendar_days_kind_check check (kind in ('holiday', 'workday'))");
  const seed = packagedCalendar();
  await knex('calendar_years').insert(seed.years.map((year) => ({ year, source: seed.source })));
  for (let i = 0; i < seed.days.length; i += 500) await knex('calendar_days').insert(seed.days.slice(i, i + 500));

  // ---- 消息: reminders addressed to a unit's holders of a permission
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    // who in the unit sees it; everybody when null
    t.text('permission');
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('body');
    t.text('link');
    // the same reminder is written once
    t.text('dedupe_key').unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['unit_id', 'created_at']);
  });
  await knex.schema.createTable('message_reads', (t) => {
    t.bigInteger('message_id').notNullable().references('id').inTable('messages');
    t.bigInteger('user_id').notNullable().references('id').inTable('users');
    t.timestamp('read_at', { useTz: true }).notNullable();
    t.primary(['message_id', 'user_id']);
  });

  // ---- 评委会: the rest of the manual's 新增评委会 form
  await knex.schema.alterTable('committees', (t) => {
    t.text('office_agency');
    t.text('office');
    t.text('review_type');
    t.specificType('levels', 'text[]').notNullable().defaultTo('{}');
    t.bigInteger('issuer_unit_id').references('id').inTable('units');
    t.bigInteger('registrar_unit_id').references('id').inTable('units');
    t.text('contact_name');
    t.text('contact_phone');
    t.text('address');
    t.boolean('internal').notNullable().defaultTo(false);
    t.specificType('allowed_natures', 'text[]').notNullable().defaultTo('{}');
    // series | specialty
    t.text('build_by').notNullable().defaultTo('series');
    t.specificType('specialties', 'text[]').notNullable().defaultTo('{}');
    t.specificType('review_regions', 'text[]').notNullable().defaultTo('{}');
    t.boolean('funded').notNullable().defaultTo(false);
    // unfiled | filing | filed | returned | rejected
    t.text('filing_status').notNullable().defaultTo('unfiled');
    t.date('valid_from');
    t.date('valid_to');
    t.integer('term_years').notNullable().defaultTo(3);
    // the achievement items new activities of this committee start from
    t.jsonb('achievement_defaults').notNullable().defaultTo('[]');
    t.bigInteger('created_by').references('id').inTable('users');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // committees that existed before this migration were working: count them as filed
  await knex('committees').update({
    filing_status: 'filed',
    valid_from: knex.raw('current_date'),
    valid_to: knex.raw("current_date + interval '3 years' - interval '1 day'"),
    levels: knex.raw("'{intermediate}'::text[]"),
  });

  await knex.schema.createTable('committee_filings', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    t.uuid('instance_id');
    // submitted | returned | approved | rejected | withdrawn
    t.text('status').notNullable();
    // 核准备案请示: files of the file store
    t.jsonb('request_files').notNullable().defaultTo('[]');
    t.integer('expert_count').notNullable().defaultTo(0);
    t.bigInteger('submitted_by').references('id').inTable('users');
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    t.date('valid_from');
    t.date('valid_to');
    t.text('opinion');
    t.index(['committee_id', 'submitted_at']);
  });
  // one filing in progress per committee
  await knex.raw("create unique index committee_filings_open_idx on committee_filings (committee_id) where status in ('submitted', 'returned')");

  // ---- 专家库
  await knex.schema.createTable('experts', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    t.text('name').notNullable();
    t.text('id_number').notNullable();
    t.text('sex').notNullable();
    // 出生年月 YYYY-MM, from the ID number
    t.text('birth_month').notNullable();
    t.boolean('retired').notNullable().defaultTo(false);
    t.text('employer').notNullable();
    t.text('department');
    t.text('post').notNullable();
    t.text('post_level');
    t.text('phone1').notNullable();
    t.text('phone2');
    t.text('honours').notNullable();
    t.text('series');
    t.text('specialty').notNullable();
    t.text('current_title').notNullable();
    t.boolean('is_chair').notNullable().defaultTo(false);
    t.boolean('is_vice_chair').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    t.text('region_code').references('code').inTable('regions');
    // draft 新增待提交 | recommended 下级推荐待审核 | pending 待备案单位审核 | in_pool 在库 | returned 退回
    t.text('status').notNullable();
    t.bigInteger('recommended_by_unit_id').references('id').inTable('units');
    t.text('returned_reason');
    t.bigInteger('created_by').references('id').inTable('users');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.unique(['committee_id', 'id_number']);
    t.index(['committee_id', 'status']);
  });
  await knex.schema.createTable('expert_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('expert_id').notNullable().references('id').inTable('experts');
    t.text('action').notNullable();
    t.bigInteger('actor_id');
    t.text('actor_name');
    t.text('opinion');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['expert_id', 'id']);
  });
  await knex.raw('create trigger expert_events_no_change before update or delete on expert_events for each row execute function history_events_append_only()');

  // an uploaded workbook, checked, waiting for the user to import its good rows
  await knex.schema.createTable('expert_imports', (t) => {
    t.uuid('id').primary();
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    t.uuid('file_id').notNullable().references('id').inTable('files');
    t.bigInteger('uploaded_by').notNullable().references('id').inTable('users');
    t.integer('total').notNullable();
    // the rows that passed, ready to insert, and each problem of the others
    t.jsonb('good_rows').notNullable();
    t.jsonb('problems').notNullable();
    // checked | imported
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('imported_at', { useTz: true });
  });

  // ---- 评审活动: the rest of the manual's 评审活动信息
  await knex.schema.alterTable('activities', (t) => {
    t.text('scope');
    // annual 年度评审 | special 专项评审
    t.text('kind').notNullable().defaultTo('annual');
    // expert 专家评审 | exam_expert 全国统考+专家评审
    t.text('review_method').notNullable().defaultTo('expert');
    // all | no_degree | partial | none
    t.text('written_exam').notNullable().defaultTo('none');
    // partial | all | none
    t.text('defense').notNullable().defaultTo('none');
    t.boolean('breakthrough').notNullable().defaultTo(false);
    t.boolean('panels').notNullable().defaultTo(false);
    // vote | score
    t.text('panel_method');
    t.timestamp('starts_at', { useTz: true });
    t.timestamp('first_deadline', { useTz: true });
    t.timestamp('revision_deadline', { useTz: true });
    t.timestamp('receipt_deadline', { useTz: true });
    t.boolean('health_page').notNullable().defaultTo(false);
    t.boolean('school_page').notNullable().defaultTo(false);
    t.boolean('vocational_page').notNullable().defaultTo(false);
    t.jsonb('policy_files').notNullable().defaultTo('[]');
    t.jsonb('plan_files').notNullable().defaultTo('[]');
    t.text('document_number');
    t.boolean('public').notNullable().defaultTo(true);
    // 开设级别 and specialties, 业绩成果, 破格条件, 申报材料
    t.specificType('levels', 'text[]').notNullable().defaultTo('{}');
    t.specificType('specialties', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('achievements').notNullable().defaultTo('[]');
    t.jsonb('breakthrough_conditions').notNullable().defaultTo('[]');
    t.jsonb('materials').notNullable().defaultTo('[]');
    t.uuid('instance_id');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('published_at', { useTz: true });
    t.bigInteger('created_by').references('id').inTable('users');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // an annual activity at most once per committee and year (a refused one does not count)
  await knex.raw("create unique index activities_annual_idx on activities (committee_id, year) where kind = 'annual' and status <> 'rejected'");

  await knex.schema.createTable('activity_deadline_changes', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('activity_id').notNullable().references('id').inTable('activities');
    t.uuid('instance_id');
    t.text('reason').notNullable();
    t.jsonb('before').notNullable();
    t.jsonb('after').notNullable();
    // requested | approved | rejected
    t.text('status').notNullable();
    t.bigInteger('requested_by').references('id').inTable('users');
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.bigInteger('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.text('opinion');
  });
  await knex.raw("create unique index activity_deadline_changes_open_idx on activity_deadline_changes (activity_id) where status = 'requested'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('activity_deadline_changes');
  await knex.raw('drop index if exists activities_annual_idx');
  await knex.schema.alterTable('activities', (t) => {
    for (const c of [
      'scope', 'kind', 'review_method', 'written_exam', 'defense', 'breakthrough', 'panels', 'panel_method', 'starts_at', 'first_deadline',
      'revision_deadline', 'receipt_deadline', 'health_page', 'school_page', 'vocational_page', 'policy_files', 'plan_files', 'document_number',
      'public', 'levels', 'specialties', 'achievements', 'breakthrough_conditions', 'materials', 'instance_id', 'submitted_at', 'published_at',
      'created_by', 'version', 'updated_at',
    ]) {
      t.dropColumn(c);
    }
  });
  await knex.schema.dropTableIfExists('expert_imports');
  await knex.schema.dropTableIfExists('expert_events');
  await knex.schema.dropTableIfExists('experts');
  await knex.schema.dropTableIfExists('committee_filings');
  await knex.schema.alterTable('committees', (t) => {
    for (const c of [
      'office_agency', 'office', 'review_type', 'levels', 'issuer_unit_id', 'registrar_unit_id', 'contact_name', 'contact_phone', 'address',
      'internal', 'allowed_natures', 'build_by', 'specialties', 'review_regions', 'funded', 'filing_status', 'valid_from', 'valid_to',
      'term_years', 'achievement_defaults', 'created_by', 'version', 'updated_at',
    ]) {
      t.dropColumn(c);
    }
  });
  await knex.schema.dropTableIfExists('message_reads');
  await knex.schema.dropTableIfExists('messages');
  await knex.schema.dropTableIfExists('calendar_days');
  await knex.schema.dropTableIfExists('calendar_years');
}
