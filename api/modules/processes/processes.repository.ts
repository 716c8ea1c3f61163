import type { Knex } from 'knex';

/** A row of `process_drafts` as stored: a diagram being edited, not yet deployed. */
export interface ProcessDraftRow {
  key: string;
  xml: string;
  base_version: number | null;
  updated_by: number | null;
  updated_at: Date;
}

export interface ProcessDraft {
  key: string;
  xml: string;
  /** the version the draft was started from */
  baseVersion: number | null;
  updatedBy: number | null;
  updatedAt: Date;
}

/** Drafts of diagrams being edited in the console (the deployed definitions are the engine's). */
export function createProcessesRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    async draft(key: string, trx?: Knex.Transaction): Promise<ProcessDraft | null> {
      const row = await q(trx)<ProcessDraftRow>('process_drafts').where({ key }).first();
      return row ? { key: row.key, xml: row.xml, baseVersion: row.base_version ?? null, updatedBy: row.updated_by == null ? null : Number(row.updated_by), updatedAt: new Date(row.updated_at) } : null;
    },
    async saveDraft(draft: ProcessDraft, trx?: Knex.Transaction): Promise<void> {
      await q(trx)('process_drafts')
        .insert({ key: draft.key, xml: draft.xml, base_version: draft.baseVersion, updated_by: draft.updatedBy, updated_at: draft.updatedAt })
        .onConflict('key')
        .merge();
    },
    /** Discards a draft; whether there was one. */
    async discardDraft(key: string, trx?: Knex.Transaction): Promise<boolean> {
      return (await q(trx)<ProcessDraftRow>('process_drafts').where({ key }).delete()) > 0;
    },
  };
}

export type ProcessesRepository = ReturnType<typeof createProcessesRepository>;
