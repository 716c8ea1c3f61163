import { z } from 'zod';
import { stepId, stepIdList } from '../../src/step-witness.ts';
import { keysOf, LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ACQUISITION_TYPES, RECORD_FIELDS, type RecordField } from './history-data.checks.ts';

/** A text input; a NUL character (which PostgreSQL cannot store) is a 400 naming the field. */
const text = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label}最多 ${max} 个字符`)
    .refine((v) => !v.includes('\u0000'), `${label}中含有空字符（U+0000）`)
    .transform((v) => v.trim());

export const idParams = z.object({ id: z.coerce.number().int().positive('编号不正确') });
export const recordParams = idParams.extend({ recordId: z.coerce.number().int().positive('数据编号不正确') });
export const ok = z.object({ ok: z.literal(true) });

// ---- 历史评审机构 ----
export const bodyBody = z.object({
  name: text(100, '评审机构名称').pipe(z.string().min(1, '请填写评审机构名称')),
  series: z.array(z.enum(keysOf(SERIES), { error: '职称系列不在可选范围内' })).min(1, '请选择可评审的系列'),
  levels: z.array(z.enum(keysOf(LEVELS), { error: '层级不在可选范围内' })).min(1, '请选择可评审的层级'),
  unitIds: z.array(z.number().int().positive()).min(1, '请指定采集单位').max(500, '采集单位最多 500 个'),
});
export const bodyUpdate = bodyBody.extend({ version: z.number().int().positive().max(2_147_483_647) });
export const bodyStatus = z.object({ status: z.enum(['active', 'disabled'], { error: '状态只能是启用或停用' }), version: z.number().int().positive().max(2_147_483_647) });
export const body = z.object({
  id: z.number(),
  name: z.string(),
  series: z.array(z.string()),
  seriesLabels: z.array(z.string()),
  levels: z.array(z.string()),
  levelLabels: z.array(z.string()),
  units: z.array(z.object({ id: z.number(), name: z.string() })),
  status: z.enum(['active', 'disabled']),
  version: z.number(),
  updatedAt: z.string(),
});
export const unitQuery = z.object({ q: text(50, '单位名称').optional().default('') });
export const unitOption = z.object({ id: z.number(), name: z.string() });

// ---- 批次 ----
export const uploadCreate = z.object({
  acquisitionType: z.enum(keysOf(ACQUISITION_TYPES), { error: '取得方式只能是评审、初定、确认或委托评审' }),
  documentNo: text(60, '职称文件文号').pipe(z.string().min(1, '请填写职称文件文号')),
});
const problem = z.object({ field: z.string(), message: z.string() });
export const upload = z.object({
  id: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  acquisitionType: z.enum(keysOf(ACQUISITION_TYPES)),
  acquisitionLabel: z.string(),
  documentNo: z.string(),
  status: z.enum(['draft', 'reviewing', 'returned', 'approved', 'issuing', 'issued']),
  statusLabel: z.string(),
  total: z.number(),
  good: z.number(),
  bad: z.number(),
  warned: z.number(),
  issuerUnitId: z.number().nullable(),
  issuerName: z.string().nullable(),
  auditPath: z.array(z.object({ unitId: z.number(), name: z.string() })),
  currentUnitId: z.number().nullable(),
  currentUnitName: z.string().nullable(),
  qualificationFileId: z.string().nullable(),
  stampedFileId: z.string().nullable(),
  returnReason: z.string().nullable(),
  returnCount: z.number(),
  instanceId: z.string().nullable(),
  openStep: z.string().nullable(),
  taskId: z.string().nullable(),
  step: z.enum(['review', 'resubmit', 'issue']).nullable(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  issuedAt: z.string().nullable(),
});
export const recordValues = z.object(Object.fromEntries(RECORD_FIELDS.map((f) => [f, z.string()])) as Record<RecordField, z.ZodString>);
export const record = z.object({
  id: z.number(),
  rowNo: z.number(),
  values: recordValues,
  errors: z.array(problem),
  warnings: z.array(problem),
  bad: z.boolean(),
  issueState: z.enum(['cancelled', 'issued']).nullable(),
  issueReason: z.string().nullable(),
  certificateId: z.number().nullable(),
});
export const recordsQuery = z.object({
  bad: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export const recordList = z.object({ total: z.number(), records: z.array(record) });
export const recordUpdate = z.object(Object.fromEntries(RECORD_FIELDS.map((f) => [f, text(200, f).optional()])) as Record<RecordField, z.ZodOptional<ReturnType<typeof text>>>);
export const recordDelete = z.object({ ids: z.array(z.number().int().positive()).max(10_000).optional(), allBad: z.boolean().optional() });
export const issuerQuery = z.object({ issuerUnitId: z.coerce.number().int().positive('请选择发证单位') });
export const pathList = z.array(z.object({ unitId: z.number(), name: z.string() }));
export const submitBody = z.object({ issuerUnitId: z.number({ error: '请选择发证单位' }).int().positive('请选择发证单位'), fileId: z.uuid('请上传任职资格文件') });

// ---- 审核 ----
export const reviewBody = z.object({
  action: z.enum(['pass', 'return'], { error: '审核结果只能是审核通过或退回' }),
  reason: text(500, '审核意见').nullish(),
  /** the step the list showed (the batch's `taskId`): 409 when the batch has moved on since */
  taskId: stepId.optional(),
});
export const passManyBody = z.object({ uploadIds: z.array(z.number().int().positive()).min(1, '请选择要审核的批次').max(500), taskIds: stepIdList(500).optional() });
/** 一键审核 from the list: only the batches at the steps it showed. */
export const passAllBody = z.object({ taskIds: stepIdList(500).optional() }).nullish();
export const passResult = z.object({ passed: z.number(), remaining: z.number() });
export const nameCheckBody = z.object({ names: text(100_000, '人员名单') });
export const nameCheckResult = z.object({
  persons: z.array(z.object({ id: z.number(), rowNo: z.number(), personName: z.string(), idNumber: z.string(), present: z.boolean() })),
  present: z.number(),
  absent: z.number(),
  notInBatch: z.array(z.string()),
});

// ---- 历史证书生成 ----
export const issueGroup = upload.extend({ reviewBody: z.string(), persons: z.number(), pending: z.number(), cancelled: z.number(), issued: z.number() });
export const cancelBody = z.object({
  recordIds: z.array(z.number().int().positive()).min(1, '请选择人员').max(10_000),
  cancel: z.boolean().default(true),
  reason: text(500, '原因').nullish(),
});
export const returnBody = z.object({ reason: text(500, '退回原因').pipe(z.string().min(1, '请填写退回原因')) });
export const returnRecordsBody = z.object({
  recordIds: z.array(z.number().int().positive()).min(1, '请选择人员').max(10_000),
  reason: text(500, '退回原因').pipe(z.string().min(1, '请填写退回原因')),
});
export const fileBody = z.object({ fileId: z.uuid('请先上传文件') });
export const progressResult = z.object({ status: z.string(), statusLabel: z.string(), total: z.number(), issued: z.number(), state: z.enum(['running', 'done']).nullable() });
