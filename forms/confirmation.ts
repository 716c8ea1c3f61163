import { z } from 'zod';
import { defineForm } from './define.ts';

/**
 * 评审结果确认 (manual §1.2.6 step 7, §1.2.7): the confirming unit (授权管理单位, or the 委托单位 for
 * a delegated dossier) reviews each candidate's materials, may return one to the committee for
 * 补充材料, then confirms the result; the committee supplements and, at the end, 办结. The steps are
 * worked on the confirmation pages; the generic task page works too.
 */
export const confirmationReviewForm = defineForm({
  key: 'confirmation-review',
  title: '材料审阅',
  description: '审阅申报人的申报材料和评委会评审结果；材料需要补充的，填写原因退回评委会补充材料，无疑问的进入结果确认。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return'],
  actionLabels: { pass: '审阅无误', return: '退回补充材料' },
  page: '/result-confirmations',
  schema: z.object({}),
});

export const confirmationSupplementForm = defineForm({
  key: 'confirmation-supplement',
  title: '补充材料',
  description: '确认单位退回补充材料：按退回原因补充申报人材料后重新提交确认单位。',
  dataRequiredFor: [],
  opinionRequiredFor: ['complete'],
  actionLabels: { complete: '补充完成，重新提交' },
  page: '/meetings/{meetingId}/confirmation',
  schema: z.object({}),
});

export const confirmationDecisionForm = defineForm({
  key: 'confirmation-decision',
  title: '结果确认',
  description: '上传任职资格文件后逐人确认：通过，或不通过（须填写原因；该申报人本年度评审申报视为不通过）。',
  dataRequiredFor: [],
  opinionRequiredFor: ['reject'],
  actionLabels: { pass: '通过', reject: '不通过' },
  page: '/result-confirmations',
  schema: z.object({}),
});

export const confirmationCloseForm = defineForm({
  key: 'confirmation-close',
  title: '办结',
  description: '确认通过人员的职称文件文号、发证信息和评审工作报告办理完毕，且证书全部发放后办结本次评审结果确认。',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  actionLabels: { complete: '办结' },
  page: '/meetings/{meetingId}/confirmation',
  schema: z.object({}),
});

export const CONFIRMATION_FORMS = [confirmationReviewForm, confirmationSupplementForm, confirmationDecisionForm, confirmationCloseForm];
