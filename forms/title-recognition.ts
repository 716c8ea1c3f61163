import { z } from 'zod';
import { defineForm, field } from './define.ts';
import { docNumber } from './validators.ts';

/**
 * 职称确认审核 (manual §1.2.14): each unit from the person's own up to the confirming HR bureau
 * reviews the application (通过 to the next level, 退回 to the person with a reason, 不通过 ends
 * it); the bureau's pass enters the approval date and 文号 of the 确认 certificate. Worked on the
 * 职称确认审核 page; the person resubmits on 我的职称确认.
 */
export const recognitionReviewForm = defineForm({
  key: 'recognition-review',
  title: '职称确认审核',
  description: '核对申请人填写的职称信息、证书扫描件和任职资格文件：无误的审核通过，提交至上一级审核单位（人社部门通过即确认并发放确认证书）；需修改的填写原因退回申请人；不符合条件的不通过。',
  // only the confirming bureau's pass fills the fields (the check asks for them there)
  dataRequiredFor: ['pass'],
  opinionRequiredFor: ['return'],
  actionLabels: { pass: '审核通过', return: '退回申请人', reject: '不通过' },
  page: '/title-recognition-reviews',
  schema: z.object({
    approvalDate: field(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '批准时间格式应为 YYYY-MM-DD').optional(), { title: '批准时间', widget: 'date', actions: ['pass'] }),
    documentNo: field(docNumber().optional(), { title: '确认文号', actions: ['pass'] }),
  }),
});

export const recognitionResubmitForm = defineForm({
  key: 'recognition-resubmit',
  title: '修改后重新提交',
  description: '审核单位退回了职称确认申请：按退回原因修改后重新提交。',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  actionLabels: { complete: '重新提交' },
  page: '/my-title-recognitions',
  schema: z.object({}),
});

export const RECOGNITION_FORMS = [recognitionReviewForm, recognitionResubmitForm];
