import { z } from 'zod';
import { defineForm } from './define.ts';

/**
 * 历史职称数据审核 (manual §1.2.8.2.2–3): each unit on the audit path reviews a submitted batch
 * (通过 to the next level, or 退回 to the uploading unit with a reason); the uploading unit fixes
 * and resubmits; the issuer finally issues the batch's certificates. Worked on the 历史职称数据
 * pages; the generic task page works too.
 */
export const historyReviewForm = defineForm({
  key: 'history-review',
  title: '历史职称数据审核',
  description: '核对本批次历史职称证书数据和任职资格文件：无误的审核通过，逐级提交至发证单位；有问题的填写原因退回采集单位修改。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return'],
  actionLabels: { pass: '审核通过', return: '退回采集单位' },
  page: '/history-reviews',
  schema: z.object({}),
});

export const historyResubmitForm = defineForm({
  key: 'history-resubmit',
  title: '修改后重新提交',
  description: '审核单位退回了本批次：按退回原因修改数据后重新提交审核。',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  actionLabels: { complete: '重新提交审核' },
  page: '/history-uploads',
  schema: z.object({}),
});

export const historyIssueForm = defineForm({
  key: 'history-issue',
  title: '历史证书生成',
  description: '发证单位对审核通过的历史数据发证：有疑问的取消发证或退回采集单位，下载汇总表线下盖章、上传盖章 PDF 后发证。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return'],
  actionLabels: { pass: '发证', return: '退回采集单位' },
  page: '/history-certificates',
  schema: z.object({}),
});

export const HISTORY_FORMS = [historyReviewForm, historyResubmitForm, historyIssueForm];
