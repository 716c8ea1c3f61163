import { z } from 'zod';
import { defineForm, field } from './define.ts';
import { phoneSchema } from './validators.ts';

/**
 * 评审结果公示 (manual §1.2.6 step 6): the committee publishes the notice of the passed candidates
 * for at least 5 working days, and investigates every complaint (我要反馈, 录入线下投诉结果).
 */
export const publicityPublishForm = defineForm({
  key: 'publicity-publish',
  title: '发布公示公告',
  description: '填写公示期（不少于5个工作日，按工作日历计算）和联系人、联系电话、联系地址；提交后系统生成公示公告（PDF），在系统首页对外公示。',
  dataRequiredFor: ['complete'],
  opinionRequiredFor: [],
  variable: 'publicity',
  actionLabels: { complete: '发布公示' },
  schema: z.object({
    periodStart: field(z.iso.date(), { title: '公示开始日期', widget: 'date' }),
    periodEnd: field(z.iso.date(), { title: '公示结束日期', widget: 'date', description: '公示期不少于5个工作日（含开始、结束当日）' }),
    contactPerson: field(z.string().trim().min(1).max(50), { title: '联系人' }),
    contactPhone: field(phoneSchema, { title: '联系电话' }),
    contactAddress: field(z.string().trim().min(1).max(200), { title: '联系地址' }),
  }),
});

/** 调查核实: the committee concludes a complaint 属实 (the candidate's result is withdrawn) or 不属实. */
export const publicityComplaintForm = defineForm({
  key: 'publicity-complaint',
  title: '调查核实',
  description: '调查核实投诉反映的问题后作出结论：属实的，撤销该参评人员的评审结果（核实意见即撤销原因，申报人可见）；不属实的，维持评审结果。投诉人可看到结论。',
  dataRequiredFor: [],
  opinionRequiredFor: ['uphold', 'dismiss'],
  actionLabels: { uphold: '属实', dismiss: '不属实' },
  // concluded beside the complaint's reason and evidence, on the meeting's 评审结果公示 page
  page: '/meetings/{meetingId}/publicity',
  schema: z.object({}),
});

export const PUBLICITY_FORMS = [publicityPublishForm, publicityComplaintForm];
