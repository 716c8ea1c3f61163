import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';
import { ValidationError } from '../../src/errors.ts';
import { hasReviewPosts } from '../review-levels/review-levels.handlers.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { createPoolReviewRepository } from './expert-pool-review.repository.ts';

export const POOL_REVIEW_PROCESS = 'expert-pool-review';
export const POOL_MATTER = 'expert_pool';
export const POOL_FORM = 'expert-pool-review';
export const submissionKey = (id: number) => `expert-submission:${id}`;

const decided = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number).filter((n) => Number.isSafeInteger(n)) : []);

/**
 * The handlers of `expert-pool-review`: after each decision they count the experts of the
 * submission still waiting (the decided ones are moved by the completion itself, in the same
 * * transaction), so the diagram can send the rest back to review or end the case; and whether the
 * registrar has 多岗审核 posts.
 */
export function createPoolReviewFlow(db: Knex) {
  const repo = createPoolReviewRepository(db);

  const settle: ServiceHandler = async ({ trx, variables, clock }) => {
    const id = Number(variables.submissionId);
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error('专家库审核缺少提交批次（submissionId）');
    const now = new Set(decided(variables.expertIds));
    const remaining = (await repo.pendingIds(id, trx)).filter((e) => !now.has(e)).length;
    if (remaining === 0) await repo.finish(id, clock.now(), trx);
    return { remaining };
  };

  const handlers: Record<string, ServiceHandler> = {
    /** Whether the registrar reviews 专家库审核 through posts (the diagram then calls the multi-post review). */
    'expertPool.route': async ({ trx, variables }) => ({ hasPosts: await hasReviewPosts(trx, Number(variables.registrarUnitId), POOL_MATTER) }),
    'expertPool.passed': settle,
    'expertPool.returned': settle,
  };

  const checks: Record<string, CompletionCheck> = {
    /** A decision names experts of this submission that still wait for it. */
    [POOL_FORM]: async ({ data, task, action }) => {
      if (action === 'reject') throw new ValidationError('专家库审核只能通过入库或退回组建单位', [{ field: 'action', message: '不能选择不通过' }]);
      const ids = decided(data.expertIds);
      const submission = await repo.byInstance(task.rootInstanceId);
      const pending = submission ? new Set(await repo.pendingIds(Number(submission.id))) : new Set<number>();
      if (!ids.length || ids.some((e) => !pending.has(e))) {
        throw new ValidationError('请在“专家库审核”页面选择本批待审核的专家后办理', [{ field: 'expertIds', message: '所选专家不在本批待审核名单中' }]);
      }
    },
  };

  return { handlers, checks };
}
