import type { Knex } from 'knex';

/**
 * 个人信息 at rest: a dossier's own numbers (docs/personal-information.md, "Dossiers").
 *
 * The declaration's 联系电话 leaves the JSON: `dossiers.data` (and `returned_data`, the 修改痕迹
 * snapshot) keep only its masked form (`138****0000`), the number itself is sealed in
 * `dossiers.phone_enc` (`returned_phone_enc` for the snapshot). The same masked form replaces it
 * where the declaration was copied: the cases' variables (`process_instances.variables.dossier`)
 * and the submissions in the history (`history_events.data` of the 申报材料 form — append-only, so
 * its guard is lifted for this one statement). This migration moves the numbers it finds into the
 * plain columns `phone` / `returned_phone`; the keys are not in the database, so the server's sealer
 * seals them and empties those columns (api/modules/personal-information).
 *
 * 公示投诉: `publicity_complaints.complainant_phone` and `complainant_identity` (an offline
 * complainant's ID number or unit) get their seals beside them, emptied the same way.
 */

/** maskPhone (api/src/pii.ts) in SQL: first three (two for a short number), stars, last four. */
const maskPhoneSql = (v: string) =>
  `case when length(${v}) = 0 then ${v} when length(${v}) < 7 then repeat('*', length(${v})) ` +
  `when length(${v}) >= 11 then left(${v}, 3) || repeat('*', length(${v}) - 7) || right(${v}, 4) ` +
  `else left(${v}, 2) || repeat('*', length(${v}) - 6) || right(${v}, 4) end`;

/** A phone as typed (not already masked). */
const fullPhone = (v: string) => `(${v} is not null and ${v} !~ '[*]')`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dossiers', (t) => {
    t.text('phone');
    t.text('phone_enc');
    t.text('returned_phone');
    t.text('returned_phone_enc');
    t.text('pii_key_id');
  });
  // the declaration's phone into its own column, the masked form left in the JSON
  await knex.raw(`
    update dossiers set phone = data->>'phone', data = jsonb_set(data, '{phone}', to_jsonb(${maskPhoneSql("(data->>'phone')")}))
     where jsonb_typeof(data) = 'object' and jsonb_typeof(data->'phone') = 'string' and ${fullPhone("(data->>'phone')")}`);
  await knex.raw(`
    update dossiers set returned_phone = returned_data->>'phone', returned_data = jsonb_set(returned_data, '{phone}', to_jsonb(${maskPhoneSql("(returned_data->>'phone')")}))
     where jsonb_typeof(returned_data) = 'object' and jsonb_typeof(returned_data->'phone') = 'string' and ${fullPhone("(returned_data->>'phone')")}`);
  // the cases' copies: the declaration as a variable, and each submission in the history
  await knex.raw(`
    update process_instances set variables = jsonb_set(variables, '{dossier,phone}', to_jsonb(${maskPhoneSql("(variables#>>'{dossier,phone}')")}))
     where jsonb_typeof(variables->'dossier') = 'object' and jsonb_typeof(variables#>'{dossier,phone}') = 'string' and ${fullPhone("(variables#>>'{dossier,phone}')")}`);
  await knex.raw('alter table history_events disable trigger history_events_no_change');
  await knex.raw(`
    update history_events h set data = jsonb_set(h.data, '{phone}', to_jsonb(${maskPhoneSql("(h.data->>'phone')")}))
     where h.type = 'task.complete' and jsonb_typeof(h.data) = 'object' and jsonb_typeof(h.data->'phone') = 'string' and ${fullPhone("(h.data->>'phone')")}
       and exists (select 1 from tasks t where t.id = h.task_id and t.form_key = 'dossier-submit')`);
  await knex.raw('alter table history_events enable trigger history_events_no_change');
  // what the sealer still has to do (a plain value, or a seal whose row has no key id yet)
  await knex.raw(
    'create index dossiers_pii_pending_idx on dossiers (id) where phone is not null or returned_phone is not null or (pii_key_id is null and (phone_enc is not null or returned_phone_enc is not null))',
  );

  await knex.schema.alterTable('publicity_complaints', (t) => {
    t.text('complainant_phone_enc');
    t.text('complainant_identity_enc');
    t.text('pii_key_id');
  });
  await knex.raw(
    'create index publicity_complaints_pii_pending_idx on publicity_complaints (id) where complainant_phone is not null or complainant_identity is not null or (pii_key_id is null and (complainant_phone_enc is not null or complainant_identity_enc is not null))',
  );
}

/**
 * Back to the plain layout as far as the database alone can: numbers not sealed yet go back into
 * the JSON; sealed ones cannot be opened without the
 * keys (they are not in the database) and stay masked.
 */
export async function down(knex: Knex): Promise<void> {
  await knex.raw("update dossiers set data = jsonb_set(data, '{phone}', to_jsonb(phone)) where phone is not null and jsonb_typeof(data) = 'object'");
  await knex.raw("update dossiers set returned_data = jsonb_set(returned_data, '{phone}', to_jsonb(returned_phone)) where returned_phone is not null and jsonb_typeof(returned_data) = 'object'");
  await knex.raw('drop index if exists dossiers_pii_pending_idx');
  await knex.schema.alterTable('dossiers', (t) => {
    t.dropColumn('phone');
    t.dropColumn('phone_enc');
    t.dropColumn('returned_phone');
    t.dropColumn('returned_phone_enc');
    t.dropColumn('pii_key_id');
  });
  await knex.raw('drop index if exists publicity_complaints_pii_pending_idx');
  await knex.schema.alterTable('publicity_complaints', (t) => {
    t.dropColumn('complainant_phone_enc');
    t.dropColumn('complainant_identity_enc');
    t.dropColumn('pii_key_id');
  });
}
