import { z } from 'zod';
import { defineForm, field, fileField, optionalFileField, options } from './define.ts';

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

/** Where a unit above the employer may send a dossier back (checked against the chain and the level). */
export const RETURN_TARGETS = { applicant: '申报人', employer: '申报单位', superior: '上级单位', department: '主管部门', bureau: '人社部门' } as const;
export type ReturnTarget = keyof typeof RETURN_TARGETS;

// chosen on every return, never pre-filled: the options are the ways out of the diagram's 退回至 gateway
const returnTo = field(z.enum(Object.keys(RETURN_TARGETS) as [ReturnTarget, ...ReturnTarget[]]), {
  title: '退回至',
  widget: 'select',
  options: options(RETURN_TARGETS),
  description: '退回申报人修改，或退回审核链上本级以下的单位重新审核（须是本申报经过的单位）',
  actions: ['return'],
});

/** 本单位人员审核 (申报单位): passing needs the 公示 proof and the 综合推荐材料. */
export const employerReviewForm = defineForm({
  key: 'employer-review',
  title: '申报单位审核',
  description: '审核通过须填写单位公示期（不少于 5 个工作日，按工作日历计算，且在审核通过前结束）并上传单位公示证明材料和综合推荐材料，报送上级单位；退回由申报人修改后重新提交；不通过则本年度不能再次申报该评审活动。',
  dataRequiredFor: ['pass'],
  opinionRequiredFor: ['return', 'reject'],
  variable: 'employerReview',
  actionLabels: { pass: '审核通过', return: '退回', reject: '不通过' },
  schema: z.object({
    // the period's rules (≥ 5 working days by the 工作日历, ended before the pass) are the dossiers module's check
    publicityStart: field(z.iso.date(), { title: '公示开始日期', widget: 'date', description: '单位内部公示的第一天', actions: ['pass'] }),
    publicityEnd: field(z.iso.date(), { title: '公示结束日期', widget: 'date', description: '公示期不少于 5 个工作日（按工作日历计算），须在审核通过前结束', actions: ['pass'] }),
    publicityProof: fileField({ title: '公示证明材料', minFiles: 1, maxFiles: 10, accept: ['.pdf', '.jpg', '.jpeg', '.png'], description: '单位内部公示（不少于 5 个工作日）的公示情况证明', actions: ['pass'] }),
    recommendation: fileField({ title: '综合推荐材料', minFiles: 1, maxFiles: 10, accept: ['.pdf', '.jpg', '.jpeg', '.png', '.doc', '.docx'], actions: ['pass'] }),
  }),
});

/**
 * 下级单位人员审核 at the 上级单位 (manual §3.2.2.2): an employer reviewing its sub-units'
 * applicants — as 本单位人员审核 but without the 推荐 and 公示 uploads, and without 委托评审 (only a
 * department or HR bureau delegates).
 */
export const superiorReviewForm = defineForm({
  key: 'superior-review',
  title: '上级单位审核',
  description: '审核下级单位报送的申报材料：审核通过报送主管部门（或人社部门、评委会）；退回可选择退回申报人或下级单位（申报单位）；不通过则本年度不能再次申报该评审活动。',
  dataRequiredFor: ['return'],
  opinionRequiredFor: ['return', 'reject'],
  variable: 'decision',
  actionLabels: { pass: '审核通过', return: '退回', reject: '不通过' },
  schema: z.object({ returnTo }),
});

/** 下级单位人员审核 (主管部门, 人社部门): pass (optionally delegating to another committee), return to a chosen level, reject. */
export const chainReviewForm = defineForm({
  key: 'chain-review',
  title: '审核',
  description: '审核通过报送上级单位或评委会；本地区没有相应评委会的，可委托其他评委会评审（上传委托函并选择受委托评委会）；申报人不在本评审活动评委会评审区域内的（须委托评审），报送评委会时须委托评审并上传委托函。退回可选择退回申报人或本级以下的审核单位；不通过则本年度不能再次申报该评审活动。',
  dataRequiredFor: ['pass', 'return'],
  opinionRequiredFor: ['return', 'reject'],
  variable: 'decision',
  actionLabels: { pass: '审核通过', return: '退回', reject: '不通过' },
  schema: z.object({
    returnTo,
    delegated: field(z.boolean().optional(), { title: '委托评审', widget: 'boolean', description: '申报人所在地区没有评审该系列、级别的评委会时，委托其他评委会评审（多岗审核的，由最后一个审核岗位选择）；须委托评审的申报，报送评委会的单位必须勾选', actions: ['pass'] }),
    delegationLetter: optionalFileField({ title: '委托函', maxFiles: 5, accept: ['.pdf', '.jpg', '.jpeg', '.png'], actions: ['pass'] }),
    delegateUnit: field(z.number().int().positive().optional(), { title: '受委托评委会（组建单位）', widget: 'unit', description: '须委托评审的申报可不选，即委托本评审活动的评委会', actions: ['pass'] }),
  }),
});

/** 评委会接收 (参评资格审核): the committee receives the dossier, sends it back to a level of its choice, or rejects it. */
export const receiptForm = defineForm({
  key: 'committee-receipt',
  title: '参评资格审核',
  description: '接收后申报材料进入评审；退回可选择退回申报人或审核链上的单位；不通过则本年度不能再次申报。',
  dataRequiredFor: ['return'],
  opinionRequiredFor: ['return', 'reject'],
  variable: 'decision',
  actionLabels: { pass: '接收', return: '退回', reject: '不通过' },
  schema: z.object({ returnTo }),
});
