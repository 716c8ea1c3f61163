import { z } from 'zod';
import { stepId } from '../../src/step-witness.ts';

export const meetingParams = z.object({ meetingId: z.coerce.number().int().positive('评审会议编号不正确') });
export const candidateParams = meetingParams.extend({ dossierId: z.coerce.number().int().positive('申报编号不正确') });
export const kindQuery = z.object({ kind: z.enum(['direct', 'delegated']).default('direct') });
export const optionalKindQuery = z.object({ kind: z.enum(['direct', 'delegated']).optional() });

export const candidate = z.object({
  meetingId: z.number(),
  dossierId: z.number(),
  applicantName: z.string(),
  idNumber: z.string().nullable(),
  employer: z.string().nullable(),
  series: z.string().nullable(),
  level: z.string().nullable(),
  specialty: z.string().nullable(),
  reviewResult: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  delegated: z.boolean(),
  state: z.enum(['confirming', 'supplement', 'passed', 'failed']),
  stateLabel: z.string(),
  returnReason: z.string().nullable(),
  returnCount: z.number(),
  reason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  documentNo: z.string().nullable(),
  approvalDate: z.string().nullable(),
  handedAt: z.string().nullable(),
  certificateReturnReason: z.string().nullable().describe('授权管理单位（或委托单位）取消发证的原因：已退回评委会，可重新提交发证信息'),
  certified: z.boolean(),
  openStep: z.string().nullable(),
  taskId: z.string().nullable(),
  step: z.enum(['review', 'decision', 'supplement', 'close']).nullable(),
});

const fileRef = z.object({ id: z.string(), name: z.string() });

const counts = z.object({ confirming: z.number(), supplement: z.number(), passed: z.number(), failed: z.number(), notHandedOver: z.number().describe('确认通过、尚未提交发证信息（或发证单位已退回）的人数') });

/** 线上评审结果确认: the unit's meetings with their counts; the candidates are paged (…/:meetingId/candidates). */
export const unitList = z.array(
  z.object({
    meetingId: z.number(),
    meetingName: z.string(),
    committeeName: z.string(),
    activityName: z.string(),
    qualificationFile: fileRef.nullable(),
    counts,
  }),
);

/** One page of a confirmation list in the meeting's order, narrowed by state and the start of a name. */
export const pageQuery = z.object({
  page: z.coerce.number({ error: 'page 须为页码' }).int('page 须为整数').min(1, 'page 从 1 开始').max(10_000, 'page 超出范围').default(1),
  pageSize: z.coerce.number({ error: 'pageSize 须为数字' }).int('pageSize 须为整数').min(1, 'pageSize 至少为 1').max(500, '每页不超过 500 人').default(50),
  state: z.enum(['confirming', 'supplement', 'passed', 'failed'], { error: '状态无效' }).optional(),
  name: z.string().trim().max(50, '姓名不超过 50 个字').optional(),
});
export const unitPageQuery = pageQuery.extend({ kind: z.enum(['direct', 'delegated'], { error: 'kind 须为 direct 或 delegated' }).default('direct') });
export const candidatePage = z.object({ total: z.number(), candidates: z.array(candidate) });

export const candidateDetail = z.object({
  candidate,
  meeting: z.object({ meetingId: z.number(), meetingName: z.string(), committeeName: z.string(), activityName: z.string() }),
  dossierData: z.record(z.string(), z.unknown()),
  dossierInstanceId: z.string().nullable(),
});

export const organiserView = z.object({
  meetingId: z.number(),
  meetingName: z.string(),
  started: z.boolean(),
  counts,
  /** how many candidates match the page's filter; `candidates` is one page of them */
  total: z.number(),
  candidates: z.array(candidate),
  report: fileRef.extend({ uploadedAt: z.string().nullable() }).nullable(),
  closeTaskId: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const reviewBody = z.object({
  action: z.enum(['pass', 'return'], { error: '审阅结果只能是审阅无误或退回补充材料' }),
  reason: z.string().trim().max(500, '退回原因最多 500 字').nullish(),
  /** the step the list showed (the candidate's `taskId`): 409 when it has moved on since */
  taskId: stepId.optional(),
});
export const decisionBody = z.object({
  passed: z.boolean({ error: '请选择通过或不通过' }),
  reason: z.string().trim().max(500, '原因最多 500 字').nullish(),
  /** the step the list showed (the candidate's `taskId`): 409 when it has moved on since */
  taskId: stepId.optional(),
});
export const fileBody = z.object({ fileId: z.uuid('请先上传文件') });
export const supplementBody = z.object({ note: z.string().trim().min(1, '请说明补充的材料').max(500, '补充说明最多 500 字') });
export const documentNoBody = z.object({
  dossierIds: z.array(z.number().int().positive()).min(1, '请至少选择一名确认通过的人员').max(1000),
  documentNo: z.string().trim().min(1, '请填写职称文件文号').max(60, '职称文件文号最多 60 个字符'),
  approvalDate: z.iso.date('批准日期格式应为 YYYY-MM-DD'),
});
export const ok = z.object({ ok: z.literal(true) });
