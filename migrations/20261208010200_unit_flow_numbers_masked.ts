import type { Knex } from 'knex';

/**
 * 个人信息: a unit registration's or parent change's flow (`processes/unit-registration.bpmn`)
 * kept the legal representative's ID and phone numbers as typed — in the case's `unit` variable,
 * the engine's saved state, and each 用户权限申请 submission in its history. The flow now keeps only
 * their masked forms (api/modules/units/registration.ts); the numbers are sealed on the unit's row.
 *
 * This migration finds every number those cases hold (the variable and every submission), moves it
 * into the unit's plain column when the row has none yet (the sealer seals and empties it: the keys
 * are not in the database), and replaces it by its masked form in every JSON column of the case's
 * instances, tasks and history (`history_events` is append-only: its guard is lifted for this).
 */
const FIELDS = [
  { key: 'legalRepIdNumber', column: 'legal_rep_id_number', mask: maskIdNumber },
  { key: 'legalRepPhone', column: 'legal_rep_phone', mask: maskPhone },
] as const;

/** maskIdNumber of api/src/pii.ts, as of this migration: first four, stars, last four. */
function maskIdNumber(v: string): string {
  if (v.length < 9) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

/** maskPhone of api/src/pii.ts, as of this migration: first three (two for a short number), stars, last four. */
function maskPhone(v: string): string {
  if (v.length < 7) return '*'.repeat(v.length);
  const keep = v.length >= 11 ? 3 : 2;
  return `${v.slice(0, keep)}${'*'.repeat(v.length - keep - 4)}${v.slice(-4)}`;
}

const full = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && !v.includes('*');

export async function up(knex: Knex): Promise<void> {
  const cases = (await knex('process_instances')
    .where({ process_key: 'unit-registration' })
    .whereRaw('id = root_instance_id')
    .select('id', 'variables')) as Array<{ id: string; variables: { unitId?: number; unit?: Record<string, unknown> } }>;
  if (!cases.length) return;
  const submissions = (await knex('history_events')
    .whereIn('root_instance_id', cases.map((c) => c.id))
    .whereRaw("jsonb_typeof(data) = 'object'")
    .where((w) => w.whereRaw("jsonb_exists(data, 'legalRepIdNumber')").orWhereRaw("jsonb_exists(data, 'legalRepPhone')"))
    .select('root_instance_id', 'data')) as Array<{ root_instance_id: string; data: Record<string, unknown> }>;
  const jsonColumns = async (table: string) =>
    (await knex('information_schema.columns').where({ table_schema: 'public', table_name: table, data_type: 'jsonb' }).pluck('column_name')) as string[];
  const tables = { process_instances: await jsonColumns('process_instances'), tasks: await jsonColumns('tasks'), history_events: await jsonColumns('history_events') };

  await knex.raw('alter table history_events disable trigger history_events_no_change');
  for (const c of cases) {
    const unitId = Number(c.variables?.unitId);
    const copies = [c.variables?.unit ?? {}, ...submissions.filter((s) => s.root_instance_id === c.id).map((s) => s.data)];
    for (const { key, column, mask } of FIELDS) {
      const current = c.variables?.unit?.[key];
      // the unit's row takes the number the case holds now, unless it has one (plain or sealed) already
      if (Number.isSafeInteger(unitId) && full(current)) {
        await knex('units').where({ id: unitId }).whereNull(column).whereNull(`${column}_enc`).update({ [column]: current.trim() });
      }
      const values = new Set(copies.map((copy) => copy[key]).filter(full).map((v) => v.trim()));
      for (const value of values) {
        for (const [table, columns] of Object.entries(tables)) {
          for (const col of columns) {
            await knex.raw('update ?? set ?? = replace(??::text, ?, ?)::jsonb where root_instance_id = ? and strpos(??::text, ?) > 0', [table, col, col, value, mask(value), c.id, col, value]);
          }
        }
      }
    }
  }
  await knex.raw('alter table history_events enable trigger history_events_no_change');
}

/** The masked copies cannot be unmasked from the database alone (the numbers are sealed on the units). */
export async function down(): Promise<void> {}
