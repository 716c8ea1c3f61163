import { z } from 'zod';
import { activityFieldsSchema, achievementsSchema, deadlineChangeSchema, withActivityRules } from '../../../forms/activity.ts';
import { field } from '../../../forms/define.ts';

/** A policy or plan file of an activity, as the API gives it. */
export const fileRef = z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() });
const item = z.record(z.string(), z.unknown());
const isoOrNull = z.string().nullable();

export const idParams = z.object({ id: z.coerce.number({ error: '编号应为整数' }).int('编号应为整数').positive('编号应为正整数') });

/** 新增评审活动: the committee (filed, of the caller's unit) and the form. */
export const createBody = withActivityRules(activityFieldsSchema.extend({ committeeId: field(z.number().int().positive(), { title: '评委会名称', widget: 'select' }) }));

/** 保存 (draft only): the whole form and the version the clerk started from. */
export const updateBody = withActivityRules(activityFieldsSchema.extend({ version: field(z.number().int().min(1).max(2_147_483_647), { title: '版本号' }) }));

/** 提交审核: the stored draft, or — for a returned activity edited in the steps — the data given. */
export const submitBody = z.object({ data: withActivityRules(activityFieldsSchema).optional() });

export const deleteQuery = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) });

export const deadlineChangeBody = deadlineChangeSchema;

export const defaultsBody = z.object({ achievements: field(achievementsSchema, { title: '业绩成果要求', widget: 'group' }) });
export const defaultsResponse = z.object({ committeeId: z.number(), committeeName: z.string(), achievements: z.array(item) });

export const committeeOption = z.object({
  id: z.number(),
  name: z.string(),
  series: z.string().nullable(),
  levels: z.array(z.string()),
  levelLabels: z.array(z.string()),
  specialties: z.array(z.string()),
  validTo: z.string().nullable(),
  usable: z.boolean(),
  problem: z.string().nullable(),
  achievementDefaults: z.array(item),
});

const labelled = {
  kindLabel: z.string(),
  reviewMethodLabel: z.string(),
  writtenExamLabel: z.string(),
  defenseLabel: z.string(),
  levelLabels: z.array(z.string()),
  phase: z.string().nullable(),
  phaseLabel: z.string().nullable(),
};

/** What an applicant, a unit or anybody on the home page reads of a published activity. */
export const noticeSchema = z.object({
  id: z.number(),
  name: z.string(),
  scope: z.string().nullable(),
  year: z.number(),
  kind: z.string(),
  committeeId: z.number(),
  committeeName: z.string(),
  organiserUnitName: z.string(),
  reviewMethod: z.string(),
  writtenExam: z.string(),
  defense: z.string(),
  startsAt: isoOrNull,
  firstDeadline: isoOrNull,
  revisionDeadline: isoOrNull,
  receiptDeadline: isoOrNull,
  /** notice 004 三: the levels' review deadlines (null: none set) */
  unitReviewDeadline: isoOrNull,
  departmentReviewDeadline: isoOrNull,
  departmentRevisionDeadline: isoOrNull,
  healthPage: z.boolean(),
  schoolPage: z.boolean(),
  vocationalPage: z.boolean(),
  policyFiles: z.array(fileRef),
  documentNumber: z.string().nullable(),
  levels: z.array(z.string()),
  specialties: z.array(z.string()),
  /** 继续教育最低学时: a declaration with fewer hours is refused */
  minContinuingEducationHours: z.number(),
  achievements: z.array(item),
  breakthroughConditions: z.array(item),
  materials: z.array(item),
  publishedAt: isoOrNull,
  ...labelled,
});

export const noticeListItem = noticeSchema.pick({
  id: true,
  name: true,
  scope: true,
  year: true,
  kind: true,
  kindLabel: true,
  committeeId: true,
  committeeName: true,
  organiserUnitName: true,
  startsAt: true,
  firstDeadline: true,
  revisionDeadline: true,
  receiptDeadline: true,
  levels: true,
  levelLabels: true,
  specialties: true,
  publishedAt: true,
  phase: true,
  phaseLabel: true,
});

/** The organiser's (and the reviewers') view: everything, with the state of the flows. */
export const activitySchema = noticeSchema.extend({
  organiserUnitId: z.number(),
  status: z.string(),
  statusLabel: z.string(),
  breakthrough: z.boolean(),
  panels: z.boolean(),
  panelMethod: z.string().nullable(),
  planFiles: z.array(fileRef),
  public: z.boolean(),
  instanceId: z.string().nullable(),
  submittedAt: isoOrNull,
  firstClosedAt: isoOrNull,
  revisionClosedAt: isoOrNull,
  reviewOpinion: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  /** the organiser's open step of the publication flow, to open in the inbox */
  openTaskId: z.string().nullable(),
  pendingDeadlineChangeId: z.number().nullable(),
  canEdit: z.boolean(),
  canSubmit: z.boolean(),
  canDelete: z.boolean(),
  canRequestDeadlineChange: z.boolean(),
});

export const managedListItem = activitySchema.pick({
  id: true,
  name: true,
  year: true,
  kind: true,
  kindLabel: true,
  committeeId: true,
  committeeName: true,
  status: true,
  statusLabel: true,
  phase: true,
  phaseLabel: true,
  startsAt: true,
  firstDeadline: true,
  revisionDeadline: true,
  receiptDeadline: true,
  submittedAt: true,
  publishedAt: true,
  updatedAt: true,
  reviewOpinion: true,
  version: true,
});

export const deadlineChangeSchemaOut = z.object({
  id: z.number(),
  status: z.string(),
  reason: z.string(),
  before: z.record(z.string(), z.string().nullable()),
  after: z.record(z.string(), z.string().nullable()),
  requestedByName: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: isoOrNull,
  decidedByName: z.string().nullable(),
  opinion: z.string().nullable(),
  instanceId: z.string().nullable(),
});
