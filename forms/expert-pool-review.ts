import { z } from 'zod';
import { defineForm, field } from './define.ts';

/**
 * 专家库审核 (manual §1.2.2.4) as a flow: the registrar (through its 多岗审核 posts for 专家库审核,
 * or one clerk holding `expert.review`) passes the submitted experts into the pool or returns them
 * to the organiser with a reason — all of a submission at once or some of them, the rest staying
 * for the next decision. Worked on the 专家库审核 page, which names the experts decided.
 */
export const expertPoolReviewForm = defineForm({
  key: 'expert-pool-review',
  title: '专家库审核',
  description: '核对组建单位提交的专家信息：符合条件的通过入库；不符合的填写原因退回组建单位修改后重新提交。',
  dataRequiredFor: ['pass', 'return'],
  opinionRequiredFor: ['return'],
  actionLabels: { pass: '通过入库', return: '退回组建单位' },
  page: '/expert-pools',
  schema: z.object({
    expertIds: field(z.array(z.number().int().positive()).min(1, '请选择专家'), { title: '专家' }),
  }),
});
