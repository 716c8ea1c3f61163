import { z } from 'zod';
import { keysOf, LEVELS, SERIES } from '../../../forms/catalog.ts';
import { field } from '../../../forms/define.ts';
import { docNumber } from '../../../forms/validators.ts';
import { stepId, stepIdList } from '../../src/step-witness.ts';

/** A text input; a NUL character (which PostgreSQL cannot store) is a 400 naming the field. */
const text = (max: number, label: string) =>
  field(z
    .string({ error: `请填写${label}` })
    .max(max, `${label}最多 ${max} 个字符`)
    .refine((v) => !v.includes('\u0000'), `${label}中含有空字符（U+0000）`)
    .transform((v) => v.trim())
    .pipe(z.string().min(1, `请填写${label}`)), { title: label });

const date = (label: string) => field(z.string({ error: `请填写${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 YYYY-MM-DD`), { title: label });

/** 取得方式: how the title was obtained outside this system. */
export const ACQUISITIONS = {
  other_province: '外省（市）评审取得',
  before_system: '本省系统启用前取得',
  central_unit: '中央部属单位评审取得',
  other: '其他方式取得',
} as const;

export const STATUS_LABELS = { reviewing: '审核中', returned: '已退回', confirmed: '确认通过', rejected: '不通过' } as const;

export const idParams = z.object({ id: z.coerce.number().int().positive('编号不正确') });

/** 职称确认申请: what the person fills in (name and ID number come from the account). */
export const applicationBody = z.object({
  series: field(z.enum(keysOf(SERIES), { error: '职称系列不在可选范围内' }), { title: '职称系列' }),
  specialty: text(50, '专业'),
  titleName: text(50, '职称名称'),
  level: field(z.enum(keysOf(LEVELS), { error: '职称层级不在可选范围内' }), { title: '职称层级' }),
  acquisition: field(z.enum(keysOf(ACQUISITIONS), { error: '取得方式不在可选范围内' }), { title: '取得方式' }),
  originalBody: text(100, '原评审机构'),
  obtainedDate: date('取得时间'),
  originalDocumentNo: text(60, '原发文文号'),
  certificateFileId: field(z.uuid({ error: '请上传职称证书扫描件' }), { title: '职称证书扫描件' }),
  qualificationFileId: field(z.uuid({ error: '请上传任职资格文件' }), { title: '任职资格文件' }),
  reason: text(500, '申请理由'),
});

export const reviewBody = z.object({
  action: field(z.enum(['pass', 'return', 'reject'], { error: '审核结果只能是通过、退回或不通过' }), { title: '审核结果' }),
  reason: z.string().max(500, '审核意见最多 500 个字符').refine((v) => !v.includes('\u0000'), '审核意见中含有空字符（U+0000）').nullish(),
  /** the confirming bureau's pass: the certificate's approval date and 文号 */
  approvalDate: date('批准时间').nullish(),
  documentNo: field(docNumber().nullish(), { title: '确认文号' }),
  /** the step the reviewing screen showed (the application's `taskId`): 409 when it has moved on since */
  taskId: stepId.optional(),
});

/** 查看: which full number (an application keeps only the ID number). */
export const piiQuery = z.object({
  field: z.enum(['idNumber'], { error: '查看的字段只能是 idNumber（身份证号码）' }).default('idNumber').meta({ title: '查看的字段（idNumber 身份证号码）' }),
});
export const piiResult = z.object({ field: z.enum(['idNumber']), value: z.string().nullable() });

export const passManyBody = z.object({ ids: z.array(z.number().int().positive()).min(1, '请选择要审核的申请').max(200, '一次最多审核 200 条'), taskIds: stepIdList(200).optional() });
export const returnManyBody = passManyBody.extend({ reason: text(500, '退回原因') });
export const batchResult = z.object({ done: z.number(), skipped: z.number() });

export const listQuery = z.object({
  pending: z.enum(['true', 'false']).optional().default('true'),
  status: z.enum(['reviewing', 'returned', 'confirmed', 'rejected']).optional(),
  series: z.enum(keysOf(SERIES)).optional(),
  level: z.enum(keysOf(LEVELS)).optional(),
  q: z.string().max(50, '关键字最多 50 个字符').refine((v) => !v.includes('\u0000'), '关键字中含有空字符').optional(),
});

export const recognition = z.object({
  id: z.number(),
  personName: z.string(),
  /** in full for the person; masked (`5101**********231X`) for the reviewing units, who open it with 查看 */
  idNumber: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  series: z.string(),
  seriesLabel: z.string(),
  specialty: z.string(),
  titleName: z.string(),
  level: z.string(),
  levelLabel: z.string(),
  acquisition: z.string(),
  acquisitionLabel: z.string(),
  originalBody: z.string(),
  obtainedDate: z.string(),
  originalDocumentNo: z.string(),
  certificateFileId: z.string(),
  qualificationFileId: z.string(),
  reason: z.string(),
  status: z.enum(['reviewing', 'returned', 'confirmed', 'rejected']),
  statusLabel: z.string(),
  auditPath: z.array(z.object({ unitId: z.number(), name: z.string() })),
  confirmUnitId: z.number(),
  confirmUnitName: z.string(),
  currentUnitId: z.number().nullable(),
  currentUnitName: z.string().nullable(),
  returnReason: z.string().nullable(),
  returnCount: z.number(),
  rejectReason: z.string().nullable(),
  approvalDate: z.string().nullable(),
  documentNo: z.string().nullable(),
  certificateId: z.number().nullable(),
  certificateNo: z.string().nullable(),
  /** the caller's open step on it (review at this level or post, or resubmit), if any */
  taskId: z.string().nullable(),
  /** whether the caller's pass is the confirming one (approval date and 文号 needed) */
  confirming: z.boolean(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
});
