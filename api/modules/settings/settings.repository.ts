import type { Knex } from 'knex';

/** A row of `task_settings` as stored: an operator's due date for a flow step. */
export interface TaskSettingRow {
  process_key: string;
  element_id: string;
  due_date: string | null;
  updated_by: number | null;
  updated_at: Date;
}

/** 期限设置: due dates per flow step, over the diagrams' own. */
export function createSettingsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /** Every step's set due date (null: set back to the diagram's), by `processKey:elementId`. */
    async dueDates(trx?: Knex.Transaction): Promise<Map<string, string | null>> {
      const rows = await q(trx)<TaskSettingRow>('task_settings').select('process_key', 'element_id', 'due_date');
      return new Map(rows.map((o) => [`${o.process_key}:${o.element_id}`, o.due_date ?? null]));
    },
    async setDueDate(processKey: string, elementId: string, dueDate: string | null, by: number, now: Date, trx?: Knex.Transaction): Promise<void> {
      await q(trx)('task_settings')
        .insert({ process_key: processKey, element_id: elementId, due_date: dueDate, updated_by: by, updated_at: now })
        .onConflict(['process_key', 'element_id'])
        .merge();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
