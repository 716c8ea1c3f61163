import type { Knex } from 'knex';

/**
 * 申报材料综合查询 and 评审人员统计: the dossier's committee, employer, region, series, level,
 * specialty and 评价方式 as plain columns (kept in step by a trigger from the activity, the
 * applicant's unit and the submitted data) so the organiser's counts and lists filter and page on
 * indexes; the append-only record of changes a forwarding unit made to 评价方式 and 申报层级; and
 * the indexes the inbox needs at scale.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.bigInteger('committee_id');
    t.bigInteger('employer_unit_id');
    t.text('region_code');
    t.text('series');
    t.text('level');
    t.text('specialty');
    // normal 正常申报 | breakthrough 破格申报 | transfer 转评 | re_review 复审
    t.text('evaluation_method').notNullable().defaultTo('normal');
  });
  // the employer is fixed when the dossier is created (the start hook takes the applicant's unit
  // then, and so does the review chain); the committee is the activity's, or the one the dossier
  // was delegated to; series, level, specialty and 评价方式 follow the data whenever it is written
  // (submit, resubmit, a forwarding unit's change)
  await knex.raw(`
    create function dossiers_sync_columns() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        select u.unit_id, n.region_code into new.employer_unit_id, new.region_code
          from users u left join units n on n.id = u.unit_id where u.id = new.applicant_id;
      end if;
      -- a dossier delegated to another committee (委托评审) counts there; read through to_jsonb
      -- so that the trigger does not depend on the delegation columns
      if tg_op = 'INSERT' or (to_jsonb(new)->>'delegated_committee_id') is distinct from (to_jsonb(old)->>'delegated_committee_id') then
        new.committee_id := coalesce(
          (to_jsonb(new)->>'delegated_committee_id')::bigint,
          (select a.committee_id from activities a where a.id = new.activity_id));
      end if;
      if tg_op = 'INSERT' or new.data is distinct from old.data then
        new.series := nullif(new.data->>'series', '');
        new.level := nullif(new.data->>'level', '');
        new.specialty := nullif(new.data->>'specialty', '');
        if new.data->>'evaluationMethod' in ('normal', 'breakthrough', 'transfer', 're_review') then
          new.evaluation_method := new.data->>'evaluationMethod';
        end if;
      end if;
      return new;
    end $$`);
  await knex.raw('create trigger dossiers_sync_columns before insert or update on dossiers for each row execute function dossiers_sync_columns()');
  await knex.raw(`
    update dossiers d set
      committee_id = coalesce((to_jsonb(d)->>'delegated_committee_id')::bigint, a.committee_id),
      employer_unit_id = u.unit_id,
      region_code = n.region_code
    from activities a, users u left join units n on n.id = u.unit_id
    where a.id = d.activity_id and u.id = d.applicant_id`);
  await knex.raw("alter table dossiers add constraint dossiers_evaluation_method_check check (evaluation_method in ('normal', 'breakthrough', 'transfer', 're_review'))");
  // the organiser's counts read this index alone, whatever the filter (but the specialty's substring and the name)
  await knex.raw(
    'create index dossiers_query_idx on dossiers (committee_id, status) include (submitted_at, activity_id, year, series, level, region_code, evaluation_method)',
  );
  await knex.raw('create index dossiers_committee_submitted_idx on dossiers (committee_id, submitted_at desc, id desc)');
  await knex.raw('create index dossiers_region_idx on dossiers (region_code text_pattern_ops)');
  await knex.raw('create index dossiers_activity_idx on dossiers (activity_id, status)');

  // 评审人员统计: what a forwarding unit changed; never updated or deleted
  await knex.schema.createTable('dossier_changes', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('dossier_id').notNullable().references('id').inTable('dossiers');
    t.uuid('instance_id');
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('actor_id').notNullable();
    t.text('actor_name').notNullable();
    // { evaluationMethod, level } before and after
    t.jsonb('before').notNullable();
    t.jsonb('after').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['dossier_id', 'id']);
  });
  await knex.raw('create trigger dossier_changes_no_change before update or delete on dossier_changes for each row execute function history_events_append_only()');

  // 评审人员统计 lists the cases a unit passed on
  await knex.raw("create index tasks_passed_unit_idx on tasks (candidate_unit_id, root_instance_id) where status = 'completed' and action = 'pass'");

  // the inbox at scale (bench/dossier-scale.ts): its visibility test is an OR that no single
  // index answers, so open tasks are read in created order from an index that carries every
  // column the test needs — the first page stops after 25 matches, the count never touches the
  // heap — and the join to the case for the count reads the definition from an index too
  await knex.raw(
    "create index tasks_open_inbox_idx on tasks (created_at, id) include (assignee_id, candidate_unit_id, candidate_scope, candidate_roles, candidate_user_ids, root_instance_id, instance_id) where status = 'open'",
  );
  await knex.raw('create unique index process_instances_definition_idx on process_instances (id) include (definition_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists process_instances_definition_idx');
  await knex.raw('drop index if exists tasks_open_inbox_idx');
  await knex.raw('drop index if exists tasks_passed_unit_idx');
  await knex.schema.dropTableIfExists('dossier_changes');
  await knex.raw('drop trigger if exists dossiers_sync_columns on dossiers');
  await knex.raw('drop function if exists dossiers_sync_columns()');
  await knex.raw('alter table dossiers drop constraint if exists dossiers_evaluation_method_check');
  for (const index of ['dossiers_query_idx', 'dossiers_committee_submitted_idx', 'dossiers_region_idx', 'dossiers_activity_idx']) {
    await knex.raw(`drop index if exists ${index}`);
  }
  await knex.schema.alterTable('dossiers', (t) => {
    for (const c of ['committee_id', 'employer_unit_id', 'region_code', 'series', 'level', 'specialty', 'evaluation_method']) t.dropColumn(c);
  });
}
