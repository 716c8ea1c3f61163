import { z } from 'zod';
import { defineForm, field } from './define.ts';

/**
 * The user tasks of the meeting flows (评审会议: 破格评审会议, 普通评审会议). Most steps are worked
 * on their own pages (抽选, 出席, 分组, 分配, 导入, 计票); the task records that the step is done, and
 * the module that owns the step checks it before the flow moves on.
 */
const stepForm = (key: string, title: string, label: string, description: string) =>
  defineForm({
    key,
    title,
    description,
    page: `/meetings/{meetingId}/${key.replace(/^meeting-/, '')}`,
    dataRequiredFor: [],
    opinionRequiredFor: [],
    actionLabels: { complete: label },
    schema: z.object({}),
  });

export const meetingDrawForm = stepForm('meeting-draw', '专家抽选', '抽选完成', '按抽选小组（专业、级别、人数）和倍数从专家库随机抽选评审专家；抽选结果保存后办理本环节。');
export const meetingAttendanceForm = stepForm('meeting-attendance', '确认出席', '出席确认完成', '电话联系抽中的专家，逐一确认出席或取消（取消正选专家的，由该组候补专家依次递补）。');
export const meetingExamForm = stepForm('meeting-exam', '导入笔试成绩', '成绩导入完成', '下载预填参评人员的模板，录入笔试成绩和是否合格后导入；笔试不合格的申报人以“笔试不通过”办结。');
export const meetingDefenseForm = stepForm('meeting-defense', '导入答辩安排', '答辩安排完成', '下载预填参评人员的模板，录入答辩日期、报到时间、地点、签到处、顺序和答辩室后导入；申报人及其审核链上的单位收到答辩通知。');
export const meetingPanelsForm = stepForm('meeting-panels', '专家分组', '分组完成', '把确认出席的专家分到各专业组，每组指定一名组长。');
export const meetingAssignmentForm = stepForm('meeting-assignment', '人员分配', '分配完成', '确定参评人员及顺序，为每名参评人员指定主审、辅审专家；开启投票前可调整。');
export const meetingOpenVotingForm = stepForm('meeting-open-voting', '开启专家投票', '开启投票', '发放专家评审账号后开启本轮投票：每名出席专家收到一份表决票。');

/** 专家投票: an attending expert's ballot for one round; the votes are saved on the 专家端 and submitted once. */
export const expertBallotForm = defineForm({
  key: 'expert-ballot',
  title: '专家投票',
  description: '对本轮每名参评人员表决（同意、不同意、弃权）或打分，全部完成后提交；提交后不能修改，确需修改的由评委会回退。',
  dataRequiredFor: [],
  opinionRequiredFor: ['absent'],
  actionLabels: { submit: '提交表决票', absent: '缺席' },
  page: '/expert/meetings/{meetingId}',
  schema: z.object({}),
});

/** 计票: the committee closes the round when every attending expert has submitted, or hands a ballot back. */
export const meetingTallyForm = defineForm({
  key: 'meeting-tally',
  title: '计票',
  description: '全部出席专家提交表决票后计票完成；计票完成前可把某位专家的表决票回退给本人修改。',
  dataRequiredFor: ['return'],
  opinionRequiredFor: ['return'],
  variable: 'tallyDecision',
  page: '/meetings/{meetingId}/tally',
  actionLabels: { pass: '计票完成', return: '回退' },
  schema: z.object({
    expertId: field(z.number().int().positive(), { title: '回退专家', widget: 'number', description: '把该专家已提交的表决票回退给本人修改', actions: ['return'] }),
  }),
});

export const MEETING_FORMS = [
  meetingDrawForm,
  meetingAttendanceForm,
  meetingExamForm,
  meetingDefenseForm,
  meetingPanelsForm,
  meetingAssignmentForm,
  meetingOpenVotingForm,
  expertBallotForm,
  meetingTallyForm,
];
