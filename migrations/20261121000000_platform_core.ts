import type { Knex } from 'knex';

/**
 * Platform core: the unit tree and accounts it needs, the workflow engine's tables
 * (definitions, instances, tasks, history, timers, incidents), multi-post review levels,
 * and the minimal activity/dossier records of the proving flow.
 */
export async function up(knex: Knex): Promise<void> {
  // instance-wide settings the system keeps for itself (e.g. the generated token signing key)
  await knex.schema.createTable('settings', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('units', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('parent_id').references('id').inTable('units');
    t.text('name').notNullable();
    // hr_bureau | department | employer | self_review_unit | central_unit
    t.text('unit_type').notNullable();
    // province | city | county — the administrative level of the unit's title business
    t.text('admin_level');
    t.text('credit_code').unique();
    // materialized path of ids, e.g. /1/4/9/ — subtree checks are prefix matches
    t.text('path').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index units_path_idx on units (path text_pattern_ops)');
  await knex.raw('create index units_parent_idx on units (parent_id)');

  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id').primary();
    t.text('username').notNullable().unique();
    t.text('password_hash').notNullable();
    t.text('display_name').notNullable();
    t.bigInteger('unit_id').references('id').inTable('units');
    t.specificType('roles', 'text[]').notNullable().defaultTo('{}');
    t.text('id_number').unique();
    t.text('phone');
    t.text('status').notNullable().defaultTo('active');
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.timestamp('last_login_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('process_definitions', (t) => {
    t.bigIncrements('id').primary();
    t.text('key').notNullable();
    t.integer('version').notNullable();
    t.text('name').notNullable();
    t.text('xml').notNullable();
    t.text('content_hash').notNullable();
    t.jsonb('meta').notNullable();
    t.bigInteger('deployed_by').references('id').inTable('users');
    t.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['key', 'version']);
    t.index(['key', 'content_hash']);
  });

  await knex.schema.createTable('process_instances', (t) => {
    t.uuid('id').primary();
    t.bigInteger('definition_id').notNullable().references('id').inTable('process_definitions');
    t.text('process_key').notNullable();
    t.integer('process_version').notNullable();
    t.text('business_key');
    t.uuid('parent_instance_id').references('id').inTable('process_instances');
    t.text('parent_execution_id');
    t.text('parent_element_id');
    t.uuid('root_instance_id').notNullable();
    // running | completed | terminated
    t.text('status').notNullable();
    t.jsonb('state');
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.jsonb('summary');
    // element and flow ids taken so far, in order, for the instance viewer
    t.jsonb('trail').notNullable().defaultTo('[]');
    // optimistic lock: every step bumps it, writes are guarded by it
    t.integer('version').notNullable().defaultTo(1);
    t.integer('open_incidents').notNullable().defaultTo(0);
    t.integer('pending_timers').notNullable().defaultTo(0);
    t.bigInteger('started_by').references('id').inTable('users');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['process_key', 'status']);
    t.index(['business_key']);
    t.index(['parent_instance_id']);
    t.index(['root_instance_id']);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.uuid('id').primary();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances');
    t.uuid('root_instance_id').notNullable();
    t.bigInteger('definition_id').notNullable().references('id').inTable('process_definitions');
    t.text('process_key').notNullable();
    t.text('element_id').notNullable();
    t.text('execution_id').notNullable();
    t.text('name').notNullable();
    t.text('form_key');
    t.specificType('candidate_roles', 'text[]').notNullable().defaultTo('{}');
    t.bigInteger('candidate_unit_id');
    // unit: holders in that unit; subtree: holders in that unit or any unit above it
    t.text('candidate_scope').notNullable().defaultTo('unit');
    t.specificType('candidate_user_ids', 'bigint[]').notNullable().defaultTo('{}');
    t.bigInteger('assignee_id');
    // set when a candidate claimed the task (an assignee fixed by the diagram cannot be released)
    t.timestamp('claimed_at', { useTz: true });
    t.specificType('actions', 'text[]').notNullable().defaultTo('{}');
    // open | completed | cancelled
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.timestamp('overdue_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.bigInteger('completed_by');
    t.text('action');
    t.text('opinion');
    t.unique(['instance_id', 'execution_id']);
  });
  await knex.raw("create index tasks_open_unit_idx on tasks (candidate_unit_id, created_at) where status = 'open'");
  await knex.raw("create index tasks_open_assignee_idx on tasks (assignee_id) where status = 'open'");
  await knex.raw("create index tasks_open_users_idx on tasks using gin (candidate_user_ids) where status = 'open'");
  await knex.raw(
    "create index tasks_due_idx on tasks (due_at) where status = 'open' and overdue_at is null and due_at is not null",
  );
  await knex.raw("create index tasks_done_idx on tasks (completed_by, completed_at desc) where status = 'completed'");
  await knex.raw('create index tasks_instance_idx on tasks (instance_id)');

  await knex.schema.createTable('history_events', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('instance_id').notNullable();
    t.uuid('root_instance_id').notNullable();
    // instance.start | task.complete | task.cancel | task.claim | task.unclaim | task.overdue |
    // timer.fire | call.start | call.end | incident.create | incident.resolve | instance.end
    t.text('type').notNullable();
    t.text('element_id');
    t.text('element_name');
    t.uuid('task_id');
    t.bigInteger('actor_id');
    t.text('actor_name');
    t.text('action');
    t.text('opinion');
    t.jsonb('data');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.raw('create index history_root_idx on history_events (root_instance_id, id)');
  // append-only: history can be added to, never changed or removed
  await knex.raw(`
    create function history_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'history_events is append-only';
    end $$`);
  await knex.raw(
    'create trigger history_events_no_change before update or delete on history_events for each row execute function history_events_append_only()',
  );

  await knex.schema.createTable('timers', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances');
    t.uuid('root_instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('execution_id').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    // pending | fired | cancelled
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('fired_at', { useTz: true });
    t.unique(['instance_id', 'execution_id']);
  });
  await knex.raw("create index timers_due_idx on timers (due_at) where status = 'pending'");

  await knex.schema.createTable('incidents', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances');
    t.uuid('root_instance_id').notNullable();
    t.text('element_id').notNullable();
    t.text('execution_id').notNullable();
    t.text('handler');
    t.text('message').notNullable();
    t.text('stack');
    t.integer('attempts').notNullable().defaultTo(1);
    // open | resolved
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('resolved_at', { useTz: true });
    t.bigInteger('resolved_by');
  });
  await knex.raw("create unique index incidents_open_idx on incidents (instance_id, execution_id) where status = 'open'");
  await knex.raw('create index incidents_status_idx on incidents (status, created_at desc)');

  // 单位内部多岗审核: ordered review posts of a unit for one matter type
  await knex.schema.createTable('review_levels', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('matter_type').notNullable();
    t.integer('level_no').notNullable();
    t.text('name').notNullable();
    t.specificType('user_ids', 'bigint[]').notNullable().defaultTo('{}');
    t.unique(['unit_id', 'matter_type', 'level_no']);
  });

  await knex.schema.createTable('activities', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.integer('year').notNullable();
    // the unit whose committee office receives the dossiers (organiser)
    t.bigInteger('committee_unit_id').notNullable().references('id').inTable('units');
    t.text('status').notNullable().defaultTo('published');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('dossiers', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('activity_id').notNullable().references('id').inTable('activities');
    t.bigInteger('applicant_id').notNullable().references('id').inTable('users');
    t.integer('year').notNullable();
    // submitted | returned | rejected | received
    t.text('status').notNullable();
    t.uuid('instance_id');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    // one dossier per applicant and activity: a rejected one stays and bars a new application
    t.unique(['applicant_id', 'activity_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'dossiers',
    'activities',
    'review_levels',
    'incidents',
    'timers',
    'history_events',
    'tasks',
    'process_instances',
    'process_definitions',
    'users',
    'units',
    'settings',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('drop function if exists history_events_append_only()');
}
