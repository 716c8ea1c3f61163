import { z } from 'zod';

/** One field of a change: its value before and after (as text), and whether it changed. */
export const auditChange = z.object({ field: z.string(), label: z.string(), before: z.string().nullable(), after: z.string().nullable(), changed: z.boolean() });

export const auditEvent = z.object({
  id: z.number(),
  createdAt: z.string(),
  actorId: z.number().nullable(),
  actorName: z.string(),
  actorUnitName: z.string().nullable(),
  action: z.string(),
  actionName: z.string(),
  targetType: z.string(),
  targetTypeName: z.string(),
  targetId: z.string(),
  unitId: z.number().nullable(),
  unitName: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  changes: z.array(auditChange),
});

export type AuditEventJson = z.infer<typeof auditEvent>;

const id = (label: string) => z.coerce.number({ error: `${label}应为编号（整数）` }).int({ error: `${label}应为编号（整数）` }).min(1, { error: `${label}应为编号（整数）` });
const time = (label: string) => z.iso.datetime({ offset: true, error: `${label}应为时间（ISO 8601，如 2026-03-01T00:00:00+08:00）` }).or(z.iso.date({ error: `${label}应为日期（YYYY-MM-DD）或时间` }));

/** The list's filter (react-admin's `filter` JSON), each field checked and named when wrong. */
export const auditFilter = z.object({
  actorId: id('操作人').optional(),
  actorName: z.string().max(50, { error: '操作人姓名最多 50 个字符' }).optional(),
  action: z.string().max(60, { error: '操作类型最多 60 个字符' }).regex(/^[a-z_.]*$/, { error: '操作类型只能是操作代码，如 user.update 或 user.' }).optional(),
  targetType: z.string().max(40, { error: '对象类型最多 40 个字符' }).regex(/^[a-z_]*$/, { error: '对象类型只能是类型代码，如 user' }).optional(),
  targetId: z.string().max(100, { error: '对象编号最多 100 个字符' }).optional(),
  unitId: id('所属单位').optional(),
  from: time('开始时间').optional(),
  to: time('结束时间').optional(),
  beforeId: id('beforeId').optional(),
});
