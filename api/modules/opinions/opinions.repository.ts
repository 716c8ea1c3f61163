import type { Knex } from 'knex';

/** A row of `saved_opinions` as stored. */
export interface SavedOpinionRow {
  id: number;
  /** null: a preset, everyone's */
  user_id: number | null;
  text: string;
  sort_order: number;
  created_at: Date;
}

export interface SavedOpinion {
  id: number;
  text: string;
  sortOrder: number;
  /** offered to everyone; nobody's to change */
  preset: boolean;
}

const mapOpinion = (r: SavedOpinionRow): SavedOpinion => ({ id: Number(r.id), text: r.text, sortOrder: Number(r.sort_order), preset: r.user_id == null });

/** 常用意见: the presets and each user's own reusable opinions; a user changes only their own. */
export function createOpinionsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const mine = (userId: number, trx?: Knex.Transaction) => q(trx)<SavedOpinionRow>('saved_opinions').where({ user_id: userId });
  return {
    /** The presets first, then the user's own. */
    async list(userId: number, trx?: Knex.Transaction): Promise<SavedOpinion[]> {
      const rows = await q(trx)<SavedOpinionRow>('saved_opinions')
        .where({ user_id: userId })
        .orWhereNull('user_id')
        .orderByRaw('user_id is not null')
        .orderBy([{ column: 'sort_order' }, { column: 'id' }]);
      return rows.map(mapOpinion);
    },
    async isPreset(id: number, trx?: Knex.Transaction): Promise<boolean> {
      return Boolean(await q(trx)<SavedOpinionRow>('saved_opinions').where({ id }).whereNull('user_id').first('id'));
    },
    async insert(userId: number, opinion: { text: string; sortOrder: number }, trx?: Knex.Transaction): Promise<SavedOpinion> {
      const [row] = await q(trx)('saved_opinions').insert({ user_id: userId, text: opinion.text, sort_order: opinion.sortOrder }).returning<SavedOpinionRow[]>('*');
      if (!row) throw new Error('常用意见未能保存');
      return mapOpinion(row);
    },
    /** The changed opinion, or null when the user has none of that id. */
    async update(userId: number, id: number, change: { text: string; sortOrder?: number }, trx?: Knex.Transaction): Promise<SavedOpinion | null> {
      const [row] = await mine(userId, trx)
        .where({ id })
        .update({ text: change.text, ...(change.sortOrder !== undefined ? { sort_order: change.sortOrder } : {}) })
        .returning('*');
      return row ? mapOpinion(row as SavedOpinionRow) : null;
    },
    /** The deleted opinion, or null when the user has none of that id. */
    async remove(userId: number, id: number, trx?: Knex.Transaction): Promise<SavedOpinion | null> {
      const [row] = await mine(userId, trx).where({ id }).delete().returning('*');
      return row ? mapOpinion(row as SavedOpinionRow) : null;
    },
  };
}

export type OpinionsRepository = ReturnType<typeof createOpinionsRepository>;
