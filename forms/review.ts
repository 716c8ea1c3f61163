import { z } from 'zod';
import { defineForm } from './define.ts';

/** 审核: a reviewer's decision. The opinion is the substance; it is required to return or reject. */
export const reviewForm = defineForm({
  key: 'review',
  title: '审核',
  description: '审核通过提交至下一环节；退回由提交人修改后重新提交；不通过则办结（申报材料不通过的，申报人本年度不能再次申报该评审活动）。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return', 'reject'],
  actionLabels: { pass: '审核通过', return: '退回', reject: '不通过', receive: '接收' },
  schema: z.object({}),
});

/** 评委会接收 (参评资格审核): the committee receives the dossier or sends it back. */
export const receiptForm = defineForm({
  key: 'committee-receipt',
  title: '参评资格审核',
  description: '接收后申报材料进入评审；退回由申报人修改后重新提交；不通过则本年度不能再次申报。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return', 'reject'],
  actionLabels: { pass: '接收', return: '退回', reject: '不通过' },
  schema: z.object({}),
});
