import { z } from 'zod';
import { expertSchema } from '../../../forms/expert.ts';
import { stepIdList } from '../../src/step-witness.ts';

export const expertView = z.object({
  id: z.number(),
  committeeId: z.number(),
  committeeName: z.string(),
  name: z.string(),
  idNumber: z.string(),
  sex: z.string(),
  sexName: z.string(),
  birthMonth: z.string(),
  age: z.number().nullable(),
  retired: z.boolean(),
  employer: z.string(),
  department: z.string().nullable(),
  post: z.string(),
  postLevel: z.string().nullable(),
  postLevelName: z.string().nullable(),
  phone1: z.string(),
  phone2: z.string().nullable(),
  honours: z.string(),
  series: z.string().nullable(),
  seriesName: z.string().nullable(),
  specialty: z.string(),
  currentTitle: z.string(),
  isChair: z.boolean(),
  isViceChair: z.boolean(),
  active: z.boolean(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  status: z.string(),
  statusName: z.string(),
  recommendedByUnitId: z.number().nullable(),
  recommendedByUnitName: z.string().nullable(),
  returnedStage: z.string().nullable(),
  returnedStageName: z.string().nullable(),
  returnedReason: z.string().nullable(),
  returnedByUnitName: z.string().nullable(),
  returnedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  /** The review step a pending expert waits at, as the registrar's list shows it (sent back with a decision). */
  reviewStepId: z.string().nullable(),
});

/** What the caller may do with a committee's pool. */
export const roles = z.object({ manage: z.boolean(), review: z.boolean(), recommend: z.boolean() });

export const expertDetail = expertView.extend({
  roles,
  events: z.array(z.object({ action: z.string(), actionName: z.string(), actorName: z.string().nullable(), opinion: z.string().nullable(), createdAt: z.string() })),
});

export const poolView = z.object({
  id: z.number(),
  name: z.string(),
  series: z.string().nullable(),
  seriesName: z.string().nullable(),
  levels: z.array(z.string()),
  levelNames: z.array(z.string()),
  organizerUnitId: z.number(),
  organizerName: z.string(),
  registrarUnitId: z.number().nullable(),
  registrarName: z.string().nullable(),
  roles,
  counts: z.object({ draft: z.number(), recommended: z.number(), pending: z.number(), inPool: z.number(), returned: z.number(), activeInPool: z.number() }),
  chairs: z.array(z.string()),
  viceChairs: z.array(z.string()),
});

/** The expert form as a request body; `version` guards edits. */
export const expertBody = expertSchema;
export const expertUpdateBody = expertSchema.safeExtend({ version: z.number().int().min(-2_147_483_648).max(2_147_483_647) });

const idList = z
  .array(z.number().int().positive('专家编号不正确'), { error: '请选择专家' })
  .min(1, '请至少选择一名专家')
  .max(1000, '一次最多处理 1000 名专家');

export const idsBody = z.object({ ids: idList });

export const decisionBody = z.object({
  ids: idList,
  action: z.enum(['pass', 'return'], { error: '办理动作应为通过（pass）或退回（return）' }),
  opinion: z.string().trim().max(500, '最多 500 个字').nullish(),
});

/**
 * 专家库审核's decision names the steps the list showed (`reviewStepId` of the chosen experts):
 * a case that moved on since — another post, another clerk — is refused with 409.
 */
export const reviewBody = decisionBody.extend({
  stepIds: stepIdList(1000).optional(),
});

export const flagsBody = z
  .object({ version: z.number().int().min(-2_147_483_648).max(2_147_483_647), active: z.boolean().optional(), isChair: z.boolean().optional(), isViceChair: z.boolean().optional() })
  .refine((v) => v.active !== undefined || v.isChair !== undefined || v.isViceChair !== undefined, { message: '请至少修改一项标记', path: ['active'] });

export const importSummary = z.object({
  id: z.string(),
  committeeId: z.number(),
  fileId: z.string(),
  fileName: z.string(),
  total: z.number(),
  goodCount: z.number(),
  badCount: z.number(),
  status: z.string(),
  statusName: z.string(),
  createdAt: z.string(),
  importedAt: z.string().nullable(),
  importedCount: z.number().nullable(),
  skipped: z.array(z.object({ row: z.number(), name: z.string(), idNumber: z.string(), message: z.string() })),
});

export const cellProblem = z.object({ column: z.string(), field: z.string(), message: z.string() });
export const badRow = z.object({ row: z.number(), values: z.record(z.string(), z.string()), errors: z.array(cellProblem) });
export const goodRow = z
  .object({
    row: z.number(),
    name: z.string(),
    idNumber: z.string(),
    sexName: z.string().nullable(),
    birthMonth: z.string().nullable(),
    age: z.number().nullable(),
    employer: z.string(),
    post: z.string(),
    phone1: z.string(),
    specialty: z.string(),
    currentTitle: z.string(),
    seriesName: z.string().nullable(),
    postLevelName: z.string().nullable(),
    regionName: z.string().nullable(),
    retired: z.boolean(),
    isChair: z.boolean(),
    isViceChair: z.boolean(),
    active: z.boolean(),
  })
  .loose();

export const idInfo = z.object({
  valid: z.boolean(),
  reason: z.string().nullable(),
  sex: z.string().nullable(),
  sexName: z.string().nullable(),
  birthMonth: z.string().nullable(),
  age: z.number().nullable(),
});
