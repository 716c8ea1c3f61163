import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';

/**
 * 多岗审核: the next configured review post of a unit for a matter type, read when the previous
 * post has passed — so a change of the levels applies to tasks not yet created, never to a task
 * already in someone's inbox.
 */
/** Whether a unit has review posts for a matter (the multi-post sub-flow is called only then). */
export async function hasReviewPosts(db: Knex | Knex.Transaction, unitId: number, matterType: string): Promise<boolean> {
  const row = await db('review_levels').where({ unit_id: unitId, matter_type: matterType }).first('id');
  return Boolean(row);
}

const readOnly = (handler: ServiceHandler): ServiceHandler => Object.assign(handler, { readOnly: true });

export const reviewLevelHandlers: Record<string, ServiceHandler> = {
  /**
   * Whether a unit has review posts for a matter: a flow calls the multi-post sub-flow only then.
   * The shipped dossier flow gets this answer from the service that moves the dossier; the handler
   * stays for diagrams that ask it themselves — administrators' flows and the dossier flow's
   * first version, on which cases started before it keep running.
   */
  'review.hasPosts': readOnly(async ({ trx, input }) => {
    const unitId = Number(input.unitId);
    const matterType = String(input.matterType ?? '');
    if (!Number.isInteger(unitId) || !matterType) throw new Error('查询多岗审核配置缺少审核单位（unitId）或事项类型（matterType）');
    return { hasPosts: await hasReviewPosts(trx, unitId, matterType) };
  }),
  'review.nextPost': readOnly(async ({ trx, variables }) => {
    const unitId = Number(variables.unitId);
    const matterType = String(variables.matterType ?? '');
    if (!Number.isInteger(unitId) || !matterType) throw new Error('多岗审核缺少审核单位（unitId）或事项类型（matterType）');
    const level = Number(variables.level ?? 0);
    const posts = await trx('review_levels').where({ unit_id: unitId, matter_type: matterType }).orderBy('level_no');
    const next = posts.find((p: { level_no: number }) => Number(p.level_no) > level);
    if (next && (!Array.isArray(next.user_ids) || next.user_ids.length === 0)) {
      throw new Error(`审核岗位“${next.name}”没有配置审核人员，请在多岗审核配置中补充后重试`);
    }
    return {
      configured: posts.length > 0 || variables.configured === true,
      level: next ? Number(next.level_no) : level,
      post: next ? { levelNo: Number(next.level_no), name: String(next.name), userIds: (next.user_ids as unknown[]).map(Number) } : null,
    };
  }),
};
