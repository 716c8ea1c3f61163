import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Organisations, people and permissions: the administrative divisions of the province
 * (jurisdictions), the unit record of the manual's 维护基本信息 screen with its registration
 * state, per-unit roles, account rules (disabled accounts, forced password change), a first
 * committee record, the competent-department mapping (主管部门配置) per jurisdiction and
 * committee, and an append-only audit of changes to all of these.
 */
export async function up(knex: Knex): Promise<void> {
  // 职称业务归属地: province / city / county with GB/T 2260 codes
  await knex.schema.createTable('regions', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    // province | city | county
    t.text('level').notNullable();
    t.text('parent_code').references('code').inTable('regions');
    t.integer('sort_order').notNullable().defaultTo(0);
  });
  const regions = JSON.parse(fs.readFileSync(path.join(here, 'data/regions-51.json'), 'utf8')) as Array<{ code: string; name: string; level: string; parentCode: string | null }>;
  await knex('regions').insert(regions.map((r, i) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode, sort_order: i })));

  await knex.schema.alterTable('units', (t) => {
    // 单位性质: agency 机关 | institution 事业单位 | enterprise 企业 | social_org 社会组织 | other 其他
    t.text('nature');
    t.text('region_code').references('code').inTable('regions');
    t.text('phone');
    t.text('address');
    t.text('legal_rep_name');
    t.text('legal_rep_id_number');
    t.text('legal_rep_phone');
    // 营业执照 / 法人证书: a file of the file store
    t.uuid('licence_file_id').references('id').inTable('files');
    // a sub-unit without its own code carries its parent's code plus a two-digit suffix
    t.boolean('credit_code_derived').notNullable().defaultTo(false);
    // a requested new parent, waiting for that parent's approval; the unit keeps working under the old one
    t.bigInteger('pending_parent_id').references('id').inTable('units');
    // the open registration (or parent change) flow of this unit
    t.uuid('registration_instance_id');
    t.bigInteger('created_by_unit_id').references('id').inTable('units');
    t.text('deactivated_reason');
    t.timestamp('deactivated_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // status: registering (self-registered, waiting for approval) | active | inactive (deactivated)
  await knex.raw("alter table units add constraint units_status_check check (status in ('registering', 'active', 'inactive'))");

  // units' own roles; the built-in roles are declared in code (api/src/permissions.ts)
  await knex.schema.createTable('roles', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('unit_id').notNullable().references('id').inTable('units');
    t.text('name').notNullable();
    t.text('description');
    t.specificType('permissions', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['unit_id', 'name']);
  });

  await knex.schema.alterTable('users', (t) => {
    // why an account is disabled: inactive (no login for 3 months) | by_admin | unit_inactive
    t.text('disabled_reason');
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('password_changed_at', { useTz: true });
    t.bigInteger('created_by').references('id').inTable('users');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("alter table users add constraint users_status_check check (status in ('active', 'disabled'))");
  await knex.raw('create index users_unit_idx on users (unit_id)');
  await knex.raw('create index users_roles_idx on users using gin (roles)');

  // 评审委员会: the first fields; the committee issue adds the rest of the manual's form
  await knex.schema.createTable('committees', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.bigInteger('organizer_unit_id').notNullable().references('id').inTable('units');
    t.text('series');
    // province | city | county — where the committee sits
    t.text('admin_level');
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('activities', (t) => {
    t.bigInteger('committee_id').references('id').inTable('committees');
  });
  // every existing activity gets a committee of its organiser
  const organisers = await knex('activities').distinct('committee_unit_id');
  for (const { committee_unit_id: unitId } of organisers) {
    const unit = await knex('units').where({ id: unitId }).first();
    const [committee] = await knex('committees')
      .insert({ name: `${unit?.name ?? '评委会'}评审委员会`, organizer_unit_id: unitId, admin_level: unit?.admin_level ?? null })
      .returning('id');
    await knex('activities').where({ committee_unit_id: unitId }).update({ committee_id: committee.id });
  }

  // who changed what in the organisation data (units, accounts, roles, routes); append-only
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.bigInteger('actor_id');
    t.text('actor_name');
    t.bigInteger('actor_unit_id');
    // e.g. unit.create, unit.update, unit.deactivate, user.create, user.disable, role.update …
    t.text('action').notNullable();
    // unit | user | role | department_route
    t.text('target_type').notNullable();
    t.text('target_id').notNullable();
    // the unit the change concerns, for "changes in my subtree" queries
    t.bigInteger('unit_id');
    t.jsonb('data');
    t.index(['target_type', 'target_id']);
    t.index(['unit_id', 'created_at']);
  });
  await knex.raw(
    'create trigger audit_events_no_change before update or delete on audit_events for each row execute function history_events_append_only()',
  );

  // 主管部门配置: within a jurisdiction, which competent department a committee's dossiers pass through
  await knex.schema.createTable('department_routes', (t) => {
    t.bigIncrements('id').primary();
    t.text('region_code').notNullable().references('code').inTable('regions');
    t.bigInteger('committee_id').notNullable().references('id').inTable('committees');
    t.bigInteger('department_unit_id').notNullable().references('id').inTable('units');
    // the HR bureau that set it
    t.bigInteger('configured_by_unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('updated_by').references('id').inTable('users');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['region_code', 'committee_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('department_routes');
  await knex.schema.dropTableIfExists('audit_events');
  await knex.schema.alterTable('activities', (t) => t.dropColumn('committee_id'));
  await knex.schema.dropTableIfExists('committees');
  await knex.raw('drop index if exists users_roles_idx');
  await knex.raw('drop index if exists users_unit_idx');
  await knex.raw('alter table users drop constraint if exists users_status_check');
  await knex.schema.alterTable('users', (t) => {
    for (const c of ['disabled_reason', 'disabled_at', 'password_changed_at', 'created_by', 'version', 'updated_at']) t.dropColumn(c);
  });
  await knex.schema.dropTableIfExists('roles');
  await knex.raw('alter table units drop constraint if exists units_status_check');
  await knex.schema.alterTable('units', (t) => {
    for (const c of [
      'nature', 'region_code', 'phone', 'address', 'legal_rep_name', 'legal_rep_id_number', 'legal_rep_phone', 'licence_file_id',
      'credit_code_derived', 'pending_parent_id', 'registration_instance_id', 'created_by_unit_id', 'deactivated_reason',
      'deactivated_at', 'version', 'updated_at',
    ]) {
      t.dropColumn(c);
    }
  });
  await knex.schema.dropTableIfExists('regions');
}
