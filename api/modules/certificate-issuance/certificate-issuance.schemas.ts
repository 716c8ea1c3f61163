import { z } from 'zod';

const id = z.coerce.number().int().positive();
const date = z.string().describe('YYYY-MM-DD');

export const batchParams = z.object({ batchId: id });
export const kindParams = z.object({ kind: z.enum(['review', 'initial', 'delegated']).describe('review 评审发证 | initial 初定发证 | delegated 委托发证') });
export const pendingParams = z.object({ kind: z.enum(['review', 'delegated']) });
export const tabQuery = z.object({ tab: z.enum(['pending', 'issued']).default('pending').describe('pending 待发放（含生成中） | issued 已发放') });

export const handoverPerson = z.object({
  meetingId: z.number(),
  dossierId: z.number(),
  personName: z.string(),
  idNumber: z.string().nullable(),
  employer: z.string().nullable(),
  series: z.string().nullable(),
  specialty: z.string().nullable(),
  level: z.string().nullable(),
  titleName: z.string(),
  documentNo: z.string(),
  approvalDate: z.string(),
  handedAt: z.string().nullable(),
});

export const pendingGroups = z.array(
  z.object({ key: z.string(), meetingId: z.number().nullable(), meetingName: z.string().nullable(), committeeId: z.number(), committeeName: z.string(), persons: z.array(handoverPerson) }),
);

export const approveBody = z.object({ dossierIds: z.array(z.number().int().positive()).max(2000) });
export const delegatedBody = z.object({ dossierIds: z.array(z.number().int().positive()).max(2000), documentNo: z.string().max(50), approvalDate: date });
export const createdBatches = z.object({ batches: z.array(z.object({ id: z.number(), batchNo: z.string(), documentNo: z.string().nullable(), count: z.number() })) });

export const batch = z.object({
  id: z.number(),
  kind: z.enum(['review', 'initial', 'delegated']),
  kindLabel: z.string(),
  batchNo: z.string(),
  documentNo: z.string().nullable(),
  committeeName: z.string().nullable(),
  state: z.enum(['pending', 'generating', 'issued', 'discarded']),
  stateLabel: z.string(),
  pendingCount: z.number(),
  issuedCount: z.number(),
  cancelledCount: z.number(),
  stampedFile: z.object({ id: z.string(), name: z.string() }).nullable(),
  taskId: z.string().nullable(),
  generationRef: z.string().nullable(),
  createdAt: z.string().nullable(),
  issuedAt: z.string().nullable(),
});

export const batchPerson = z.object({
  id: z.number(),
  sourceType: z.enum(['dossier', 'initial']),
  sourceId: z.number(),
  dossierId: z.number().nullable(),
  personName: z.string(),
  idNumber: z.string(),
  gender: z.string().nullable(),
  employer: z.string().nullable(),
  series: z.string().nullable(),
  specialty: z.string().nullable(),
  level: z.string().nullable(),
  titleName: z.string().nullable(),
  committeeName: z.string().nullable(),
  documentNo: z.string().nullable(),
  approvalDate: z.string().nullable(),
  state: z.enum(['pending', 'cancelled', 'issued']),
  stateLabel: z.string(),
  cancelReason: z.string().nullable(),
  certificateId: z.number().nullable(),
  certificateNo: z.string().nullable(),
});

/** A page of a list (1-based; `name`: the start of the name). Array answers carry the total in Content-Range. */
export const pageQuery = z.object({
  page: z.coerce.number({ error: 'page 须为页码' }).int('page 须为整数').min(1, 'page 从 1 开始').max(10_000, 'page 超出范围').default(1),
  pageSize: z.coerce.number({ error: 'pageSize 须为数字' }).int('pageSize 须为整数').min(1, 'pageSize 至少为 1').max(1000, '每页不超过 1000 人').default(50),
  name: z.string().trim().max(50, '姓名不超过 50 个字').optional(),
});

export const batchDetail = z.object({
  batch,
  /** the batch's persons; `persons` is one page of them */
  personTotal: z.number(),
  /** the waiting persons (item ids) without 批准时间 or 职称文件文号, of the whole batch */
  missingIssuingData: z.array(z.number()),
  persons: z.array(batchPerson),
  progress: z.object({ total: z.number(), issued: z.number(), state: z.enum(['running', 'done']), lastError: z.string().nullable() }).nullable(),
});

export const cancelBody = z.object({ itemIds: z.array(z.number().int().positive()).max(2000), reason: z.string().max(500).default('') });
export const issuingDataBody = z.object({ itemIds: z.array(z.number().int().positive()).max(2000).nullish(), documentNo: z.string().max(50), approvalDate: date });
export const fileBody = z.object({ fileId: z.uuid() });
export const ok = z.object({ ok: z.literal(true) });

export const issuedCertificate = z.object({
  id: z.number(),
  certificateNo: z.string(),
  personName: z.string(),
  idNumber: z.string(),
  series: z.string(),
  specialty: z.string(),
  titleName: z.string(),
  level: z.string(),
  documentNo: z.string(),
  approvalDate: z.string(),
  status: z.string(),
  issuedAt: z.string().nullable(),
  dossierId: z.number().nullable(),
});

export const initialPerson = z.object({
  id: z.number(),
  personName: z.string(),
  idNumber: z.string(),
  gender: z.string().nullable(),
  series: z.string(),
  specialty: z.string(),
  titleName: z.string(),
  level: z.string(),
  employer: z.string().nullable(),
  education: z.string().nullable(),
  state: z.string(),
  cancelReason: z.string().nullable(),
});

// checked field by field by the service, so that every problem names its field in Chinese
export const initialPersonBody = z.object({
  personName: z.string().max(200).optional(),
  idNumber: z.string().max(50).optional(),
  gender: z.string().max(10).nullish(),
  series: z.string().max(50).optional(),
  specialty: z.string().max(200).optional(),
  titleName: z.string().max(200).optional(),
  level: z.string().max(20).optional(),
  employer: z.string().max(200).nullish(),
  education: z.string().max(50).nullish(),
});
export const initialDeleteBody = z.object({ personIds: z.array(z.number().int().positive()).min(1).max(2000) });
export const initialBatchBody = z.object({ personIds: z.array(z.number().int().positive()).max(2000) });
