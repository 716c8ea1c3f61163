import type { Knex } from 'knex';

/** A row of `review_levels` as stored: one review post of a unit for a matter type. */
export interface ReviewLevelRow {
  id: number;
  unit_id: number;
  matter_type: string;
  level_no: number;
  name: string;
  user_ids: number[];
}

export interface ReviewPost {
  levelNo: number;
  name: string;
  userIds: number[];
}

/** 多岗审核配置: the ordered review posts of units. */
export function createReviewLevelsRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  return {
    /** A unit's posts for a matter, lowest first. */
    async posts(unitId: number, matterType: string, trx?: Knex.Transaction): Promise<ReviewPost[]> {
      const rows = await q(trx)<ReviewLevelRow>('review_levels').where({ unit_id: unitId, matter_type: matterType }).orderBy('level_no');
      return rows.map((r) => ({ levelNo: Number(r.level_no), name: r.name, userIds: (r.user_ids ?? []).map(Number) }));
    },

    /** Replaces a unit's posts for a matter by these, in order (none: the unit reviews in one step). */
    async replace(unitId: number, matterType: string, posts: Array<{ name: string; userIds: number[] }>, trx: Knex.Transaction): Promise<void> {
      await trx<ReviewLevelRow>('review_levels').where({ unit_id: unitId, matter_type: matterType }).delete();
      if (posts.length) {
        await trx('review_levels').insert(posts.map((p, i) => ({ unit_id: unitId, matter_type: matterType, level_no: i + 1, name: p.name, user_ids: p.userIds })));
      }
    },
  };
}

export type ReviewLevelsRepository = ReturnType<typeof createReviewLevelsRepository>;
