import type { Knex } from 'knex';

/**
 * The inbox at scale: every task carries the keys of those who may see it (`inbox_keys`), so the
 * inbox is one indexed array overlap instead of an OR of assignee, named candidate, role in the
 * unit and role in a subtree that no index answers. A trigger keeps the keys in step with the
 * task's candidates (the engine's inserts, claims and releases need no change) and another
 * refreshes the open subtree tasks of a unit whose path changes (a move), in the same transaction.
 *
 * Keys: `u:<userId>` for the assignee — alone, a claimed or assigned task is nobody else's — or
 * else for every named candidate; `r:<permission>@<unitId>` for every candidate role in the
 * candidate unit and, for tasks scoped to the subtree, in every unit above it. An actor's keys are
 * `u:<own id>` and `r:<permission>@<own unit>` per permission held.
 *
 * An open task also carries a copy of its case's summary (`case_summary`, null once the task is
 * closed), so that the inbox's searches (applicant name, free text) read the task row instead of
 * joining every one of a clerk's thousands of tasks to its case. The copy is taken when the task
 * is created and refreshed when the case's summary changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw("alter table tasks add column inbox_keys text[] not null default '{}'");
  await knex.raw(`
    create function task_inbox_keys(assignee bigint, user_ids bigint[], roles text[], unit_id bigint, scope text)
    returns text[] language plpgsql stable as $$
    declare
      unit_ids bigint[] := array[unit_id];
    begin
      if assignee is not null then
        return array['u:' || assignee];
      end if;
      if scope = 'subtree' and unit_id is not null then
        -- the materialized path (/1/4/9/) lists the unit and every unit above it
        -- (a unit missing from the tree still counts itself)
        select array_agg(distinct x::bigint) into unit_ids
          from units u, unnest(string_to_array(u.path, '/')) x
         where u.id = unit_id and x <> '';
        if unit_ids is null or not unit_id = any(unit_ids) then
          unit_ids := coalesce(unit_ids, '{}') || unit_id;
        end if;
      end if;
      return array(select 'u:' || u from unnest(user_ids) u)
          || array(select 'r:' || r || '@' || n from unnest(roles) r, unnest(unit_ids) n where n is not null);
    end $$`);
  await knex.raw(`
    create function tasks_set_inbox_keys() returns trigger language plpgsql as $$
    begin
      new.inbox_keys := task_inbox_keys(new.assignee_id, new.candidate_user_ids, new.candidate_roles, new.candidate_unit_id, new.candidate_scope);
      return new;
    end $$`);
  await knex.raw(
    'create trigger tasks_inbox_keys before insert or update of assignee_id, candidate_user_ids, candidate_roles, candidate_unit_id, candidate_scope on tasks for each row execute function tasks_set_inbox_keys()',
  );
  // a move rewrites the path of every unit below the moved one; each such unit's open subtree
  // tasks then belong to its new ancestors
  await knex.raw(`
    create function units_refresh_inbox_keys() returns trigger language plpgsql as $$
    begin
      update tasks t
         set inbox_keys = task_inbox_keys(t.assignee_id, t.candidate_user_ids, t.candidate_roles, t.candidate_unit_id, t.candidate_scope)
       where t.status = 'open' and t.candidate_unit_id = new.id and t.candidate_scope = 'subtree' and t.assignee_id is null;
      return null;
    end $$`);
  await knex.raw(
    'create trigger units_refresh_inbox_keys after update of path on units for each row when (old.path is distinct from new.path) execute function units_refresh_inbox_keys()',
  );
  await knex.raw('alter table tasks add column case_summary jsonb');
  await knex.raw(`
    create function tasks_set_case_summary() returns trigger language plpgsql as $$
    begin
      if new.status <> 'open' then
        new.case_summary := null;
      elsif tg_op = 'INSERT' or old.status <> 'open' then
        new.case_summary := (select i.summary from process_instances i where i.id = new.root_instance_id);
      end if;
      return new;
    end $$`);
  await knex.raw('create trigger tasks_case_summary before insert or update of status on tasks for each row execute function tasks_set_case_summary()');
  // after the statement that changed the summary: a step that writes its instance and inserts its
  // new tasks in one statement leaves those tasks with the summary before it, which this corrects
  await knex.raw(`
    create function process_instances_refresh_case_summary() returns trigger language plpgsql as $$
    begin
      update tasks t set case_summary = new.summary
       where t.status = 'open' and t.instance_id in (select x.id from process_instances x where x.root_instance_id = new.id);
      return null;
    end $$`);
  await knex.raw(
    'create trigger process_instances_case_summary after update of summary on process_instances for each row when (new.id = new.root_instance_id and old.summary is distinct from new.summary) execute function process_instances_refresh_case_summary()',
  );

  // only open tasks are ever looked up by key (a task never reopens): closed ones keep '{}'
  await knex.raw(`
    update tasks t
       set inbox_keys = task_inbox_keys(t.assignee_id, t.candidate_user_ids, t.candidate_roles, t.candidate_unit_id, t.candidate_scope),
           case_summary = (select i.summary from process_instances i where i.id = t.root_instance_id)
     where t.status = 'open'`);
  await knex.raw("create index tasks_open_inbox_keys_idx on tasks using gin (inbox_keys) where status = 'open'");
  // the inbox no longer walks every open task in created order (migration 20261124000200): with
  // it the planner, misjudging how many tasks a key matches, walked 76,000 of them backwards to
  // find a clerk's newest 25
  await knex.raw('drop index if exists tasks_open_inbox_idx');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    "create index if not exists tasks_open_inbox_idx on tasks (created_at, id) include (assignee_id, candidate_unit_id, candidate_scope, candidate_roles, candidate_user_ids, root_instance_id, instance_id) where status = 'open'",
  );
  await knex.raw('drop trigger if exists process_instances_case_summary on process_instances');
  await knex.raw('drop function if exists process_instances_refresh_case_summary()');
  await knex.raw('drop trigger if exists tasks_case_summary on tasks');
  await knex.raw('drop function if exists tasks_set_case_summary()');
  await knex.raw('alter table tasks drop column if exists case_summary');
  await knex.raw('drop index if exists tasks_open_inbox_keys_idx');
  await knex.raw('drop trigger if exists units_refresh_inbox_keys on units');
  await knex.raw('drop function if exists units_refresh_inbox_keys()');
  await knex.raw('drop trigger if exists tasks_inbox_keys on tasks');
  await knex.raw('drop function if exists tasks_set_inbox_keys()');
  await knex.raw('drop function if exists task_inbox_keys(bigint, bigint[], text[], bigint, text)');
  await knex.raw('alter table tasks drop column if exists inbox_keys');
}
