import { z } from 'zod';
import { ValidationError } from '../../src/errors.ts';
import type { CertificateFilter } from './certificate-documents.repository.ts';

export const idParams = z.object({ id: z.coerce.number().int().positive({ error: '证书编号（id）不正确' }) });

export const certificateSchema = z.object({
  id: z.number(),
  certificateNo: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  sourceType: z.string(),
  dossierId: z.number().nullable(),
  personName: z.string(),
  /** masked: 5101**********231X */
  idNumber: z.string(),
  gender: z.string().nullable(),
  series: z.string(),
  specialty: z.string(),
  titleName: z.string(),
  level: z.string(),
  committeeName: z.string().nullable(),
  employerName: z.string().nullable(),
  issuerName: z.string(),
  approvalDate: z.string(),
  documentNo: z.string(),
  reviewDate: z.string().nullable(),
  status: z.string(),
  statusLabel: z.string(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  issuedAt: z.string(),
});

export const certificateDetailSchema = certificateSchema.extend({ qrText: z.string(), keyId: z.string() });

export const publicCertificateSchema = z.object({
  certificateNo: z.string(),
  personName: z.string(),
  idNumber: z.string(),
  series: z.string(),
  specialty: z.string(),
  titleName: z.string(),
  level: z.string(),
  kindLabel: z.string(),
  committeeName: z.string().nullable(),
  issuerName: z.string(),
  approvalDate: z.string(),
  documentNo: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  revokedOn: z.string().nullable(),
  revokeReason: z.string().nullable(),
});

export const verificationSchema = z.object({
  result: z.enum(['valid', 'revoked', 'forged']),
  resultLabel: z.string(),
  reason: z.string().nullable(),
  keyId: z.string().nullable(),
  certificate: publicCertificateSchema.nullable(),
});

export const publishedKeySchema = z.object({
  keyId: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  publicKey: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  active: z.boolean(),
});

export const verifyQuery = z.object({
  p: z.string({ error: '缺少证书内容（p）' }).min(1, { error: '缺少证书内容（p）' }),
  s: z.string({ error: '缺少签名（s）' }).min(1, { error: '缺少签名（s）' }),
});

export const revokeBody = z.object({ reason: z.string({ error: '请填写撤销原因' }).trim().min(1, { error: '请填写撤销原因' }).max(500, { error: '撤销原因最多 500 字' }) });

export const rotateBody = z.object({ currentKeyId: z.string().nullable().optional() }).optional();

export const KINDS = ['review', 'initial', 'delegated', 'confirm', 'history'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The list filter (`filter={…}` of the simple-rest dialect): kind, q (姓名/身份证号/证书编号), documentNo, from, to, status. */
export function certificateFilterOf(raw: Record<string, unknown> | undefined): Omit<CertificateFilter, 'issuerUnitId' | 'userId'> {
  const f = raw ?? {};
  const text = (key: string) => (typeof f[key] === 'string' && (f[key] as string).trim() ? (f[key] as string).trim() : undefined);
  const kind = text('kind');
  if (kind && !(KINDS as readonly string[]).includes(kind)) throw new ValidationError('取得方式不正确', [{ field: 'filter.kind', message: `取得方式应为 ${KINDS.join('、')} 之一` }]);
  const status = text('status');
  if (status && status !== 'valid' && status !== 'revoked') throw new ValidationError('证书状态不正确', [{ field: 'filter.status', message: '证书状态应为 valid 或 revoked' }]);
  const from = text('from');
  const to = text('to');
  for (const [key, value, label] of [['from', from, '批准日期（起）'], ['to', to, '批准日期（止）']] as const) {
    if (value && !DAY.test(value)) throw new ValidationError(`${label}格式应为 YYYY-MM-DD`, [{ field: `filter.${key}`, message: `${label}格式应为 YYYY-MM-DD` }]);
  }
  return { kind, status, q: text('q'), documentNo: text('documentNo'), from, to };
}
