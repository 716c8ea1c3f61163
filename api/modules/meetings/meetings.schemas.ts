import { z } from 'zod';

export const meetingParams = z.object({ id: z.coerce.number().int().positive('评审会议编号不正确') });
export const panelParams = meetingParams.extend({ panelId: z.coerce.number().int().positive('专业组编号不正确') });

const kind = z.enum(['breakthrough', 'normal'], { error: '会议类型应为 breakthrough（破格评审会议）或 normal（普通评审会议）' });

export const meetingCreateBody = z.object({
  activityId: z.number({ error: '请选择评审活动' }).int().positive('请选择评审活动'),
  kind,
  name: z.string({ error: '请填写会议名称' }).trim().min(1, '请填写会议名称').max(200, '会议名称不超过 200 个字'),
  startsAt: z.iso.datetime({ offset: true, error: '会议时间格式不正确' }),
  location: z.string({ error: '请填写会议地点' }).trim().min(1, '请填写会议地点').max(200, '会议地点不超过 200 个字'),
});

export const meetingView = z.object({
  id: z.number(),
  activityId: z.number(),
  activityName: z.string(),
  committeeId: z.number(),
  committeeName: z.string(),
  kind,
  kindLabel: z.string(),
  name: z.string(),
  status: z.enum(['preparing', 'voting', 'closed', 'cancelled']),
  statusLabel: z.string(),
  startsAt: z.string().nullable(),
  location: z.string().nullable(),
  instanceId: z.string().nullable(),
  supervisorCommitteeId: z.number().nullable(),
  supervisorName: z.string().nullable(),
  candidateCount: z.number(),
  expertCount: z.number(),
  version: z.number(),
});

export const activityMeetingsView = z.object({
  activityId: z.number(),
  activityName: z.string(),
  committeeName: z.string(),
  breakthrough: z.boolean().meta({ title: '设破格' }),
  receivedBreakthrough: z.number().meta({ title: '已接收的破格申报' }),
  receivedNormal: z.number().meta({ title: '已接收的其他申报' }),
  /** what may still be created: 破格评审会议 only with 破格 candidates, each kind once */
  creatable: z.array(kind),
  meetings: z.array(meetingView),
});

export const fileRef = z.object({ id: z.string().uuid('附件编号不正确'), name: z.string(), size: z.number(), mime: z.string().optional() });

const candidateView = z.object({
  dossierId: z.number(),
  orderNo: z.number(),
  name: z.string(),
  idNumber: z.string().nullable(),
  employer: z.string().nullable(),
  specialty: z.string().nullable(),
  level: z.string().nullable(),
  evaluationMethod: z.string(),
  source: z.enum(['received', 'breakthrough', 'exam']),
  sourceLabel: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  panelId: z.number().nullable(),
  objection: z.boolean(),
  mainExpertId: z.number().nullable(),
  assistantExpertIds: z.array(z.number()),
  /** 回避: experts who may not review this candidate (the draw part's recusals, when present) */
  recusedExpertIds: z.array(z.number()),
});

const expertView = z.object({
  expertId: z.number(),
  name: z.string(),
  sex: z.string(),
  employer: z.string(),
  post: z.string(),
  specialty: z.string(),
  currentTitle: z.string(),
  isChair: z.boolean(),
  role: z.enum(['principal', 'alternate']),
  groupNo: z.number().nullable(),
  attendance: z.enum(['pending', 'confirmed', 'cancelled']),
  panelId: z.number().nullable(),
  isLeader: z.boolean(),
  hasCredential: z.boolean(),
});

const stepView = z.object({
  elementId: z.string(),
  name: z.string(),
  state: z.enum(['done', 'open', 'pending', 'skipped']),
  /** the console page where the step is worked, with the meeting's id filled in */
  page: z.string().nullable(),
  /** the open task(s) of the step (a voting step has one per expert) */
  taskIds: z.array(z.string()),
  doneBy: z.string().nullable(),
});

export const meetingDetail = meetingView.extend({
  facts: z.object({ hasExam: z.boolean(), hasDefense: z.boolean(), hasPanels: z.boolean(), panelMethod: z.enum(['vote', 'score']) }),
  /** whether 人员分配 may still change (until voting opens) */
  assignmentOpen: z.boolean(),
  /** read: the supervising committee's staff; manage: the organiser's */
  access: z.enum(['manage', 'read']),
  steps: z.array(stepView),
  panels: z.array(z.object({ id: z.number(), name: z.string(), specialty: z.string().nullable() })),
  /** the candidates by status and how many have no 主审: the list itself is paged (GET …/candidates) */
  candidateSummary: z.object({
    total: z.number(),
    unassigned: z.number(),
    byStatus: z.array(z.object({ status: z.string(), label: z.string(), count: z.number() })),
  }),
  experts: z.array(expertView),
  materials: z.array(fileRef),
});

/** 参评人员: one page of a meeting's candidates in their order, narrowed. */
export const candidateQuery = z.object({
  page: z.coerce.number({ error: 'page 须为页码' }).int('page 须为整数').min(1, 'page 从 1 开始').max(10_000, 'page 超出范围').default(1),
  pageSize: z.coerce.number({ error: 'pageSize 须为数字' }).int('pageSize 须为整数').min(1, 'pageSize 至少为 1').max(500, '每页不超过 500 人').default(50),
  name: z.string().trim().max(50, '姓名不超过 50 个字').optional(),
  status: z.enum(['candidate', 'eliminated', 'passed', 'failed', 'withdrawn'], { error: '状态无效' }).optional(),
  /** a panel's id, or 0 for candidates in no panel */
  panelId: z.coerce.number({ error: 'panelId 须为数字' }).int().min(0, 'panelId 无效').optional(),
  /** true: with a 主审; false: without */
  assigned: z.enum(['true', 'false'], { error: 'assigned 须为 true 或 false' }).optional(),
});
export const candidatePage = z.object({ total: z.number(), candidates: z.array(candidateView) });

export const panelBody = z.object({
  name: z.string({ error: '请填写专业组名称' }).trim().min(1, '请填写专业组名称').max(50, '专业组名称不超过 50 个字'),
  specialty: z.string().trim().max(50, '专业不超过 50 个字').nullable().optional(),
});

export const panelMembersBody = z.object({
  expertIds: z.array(z.number().int().positive()).min(1, '请选择专家'),
  /** null: out of any panel */
  panelId: z.number().int().positive().nullable(),
});

export const leaderBody = z.object({ expertId: z.number({ error: '请选择组长' }).int().positive('请选择组长') });

export const assignmentBody = z.object({
  dossierIds: z.array(z.number().int().positive()).min(1, '请选择参评人员'),
  mainExpertId: z.number({ error: '请选择主审专家' }).int().positive('请选择主审专家'),
  assistantExpertIds: z.array(z.number().int().positive()).max(5, '辅审专家不超过 5 名').default([]),
  /** with panels: the candidates' panel (unchanged when absent) */
  panelId: z.number().int().positive().nullable().optional(),
});

export const importBody = z.object({ fileId: z.uuid({ error: '请先上传调整顺序的文件' }) });

export const planBody = z.object({
  supervisorCommitteeId: z.number().int().positive().nullable(),
  materials: z.array(fileRef).max(20, '评审材料不超过 20 个'),
  version: z.number({ error: '缺少版本号' }).int().positive(),
});

export const supervisorOption = z.object({ id: z.number(), name: z.string() });
