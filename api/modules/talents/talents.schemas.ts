import { z } from 'zod';
import { EDUCATION, keysOf, LEVELS, SERIES } from '../../../forms/catalog.ts';
import { ETHNICITIES, GENDERS, ORIGINS, POLITICAL_STATUSES, TALENT_CATEGORIES, TITLE_KINDS } from '../../../forms/talent.ts';
import { STAT_COLUMNS } from './talents.repository.ts';

/** A text input; a NUL character (which PostgreSQL cannot store) is a 400 naming the field. */
const text = (max: number, label: string) =>
  z
    .string({ error: `请填写${label}` })
    .max(max, `${label}最多 ${max} 个字符`)
    .refine((v) => !v.includes('\u0000'), `${label}中含有空字符（U+0000）`)
    .transform((v) => v.trim());
const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `请填写${label}`));
const optionalText = (max: number, label: string) => text(max, label).nullish().transform((v) => (v ? v : null));
const choice = <T extends Record<string, string>>(o: T, label: string) => z.enum(keysOf(o), { error: `请选择${label}` });

export const idParams = z.object({ id: z.coerce.number().int().positive('编号不正确') });

/** 查看: which full number (a registration keeps only the ID or certificate number). */
export const piiQuery = z.object({
  field: z.enum(['idNumber'], { error: '查看的字段只能是 idNumber（证件号码）' }).default('idNumber').meta({ title: '查看的字段（idNumber 证件号码）' }),
});
export const piiResult = z.object({ field: z.enum(['idNumber']), value: z.string().nullable() });

/** 填写专技人才信息. */
export const talentInput = z.object({
  personName: required(50, '姓名').meta({ title: '姓名' }),
  gender: choice(GENDERS, '性别').meta({ title: '性别' }),
  birthDate: z.string({ error: '请填写出生日期' }).regex(/^\d{4}-\d{2}-\d{2}$/, '出生日期格式应为 YYYY-MM-DD').meta({ title: '出生日期' }),
  idNumber: required(30, '证件号码').meta({ title: '证件号码' }),
  ethnicity: z.enum(ETHNICITIES, { error: '请选择民族' }).meta({ title: '民族' }),
  politicalStatus: choice(POLITICAL_STATUSES, '政治面貌').meta({ title: '政治面貌' }),
  origin: choice(ORIGINS, '人员身份').meta({ title: '人员身份' }),
  education: choice(EDUCATION, '学历').meta({ title: '学历' }),
  category: choice(TALENT_CATEGORIES, '专业技术人员类别').meta({ title: '专业技术人员类别' }),
  titleKind: choice(TITLE_KINDS, '职称情况').meta({ title: '职称情况' }),
  level: choice(LEVELS, '职称层级').nullish().transform((v) => v ?? null).meta({ title: '职称层级' }),
  series: choice(SERIES, '职称系列').nullish().transform((v) => v ?? null).meta({ title: '职称系列' }),
  titleName: optionalText(50, '职称名称').meta({ title: '职称名称' }),
  certificateName: optionalText(100, '职业资格证书名称').meta({ title: '职业资格证书名称' }),
  /** the version read, when the registration exists */
  version: z.number().int().positive().max(2_147_483_647).optional(),
});
export type TalentInput = z.infer<typeof talentInput>;

const opt = z.object({ value: z.string(), label: z.string() });
export const optionsResult = z.object({
  genders: z.array(opt),
  ethnicities: z.array(opt),
  politicalStatuses: z.array(opt),
  origins: z.array(opt),
  educations: z.array(opt),
  categories: z.array(opt),
  titleKinds: z.array(opt),
  levels: z.array(opt),
  series: z.array(opt),
});

export const talent = z.object({
  id: z.number(),
  userId: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  personName: z.string(),
  gender: z.string(),
  genderLabel: z.string(),
  birthDate: z.string(),
  /** in full for the person; masked (`5101**********231X`) for staff, who open it with 查看 */
  idNumber: z.string(),
  ethnicity: z.string(),
  politicalStatus: z.string(),
  politicalStatusLabel: z.string(),
  origin: z.string(),
  originLabel: z.string(),
  education: z.string(),
  educationLabel: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  titleKind: z.string(),
  titleKindLabel: z.string(),
  level: z.string().nullable(),
  levelLabel: z.string().nullable(),
  series: z.string().nullable(),
  seriesLabel: z.string().nullable(),
  titleName: z.string().nullable(),
  certificateName: z.string().nullable(),
  status: z.enum(['draft', 'reviewing', 'returned', 'approved', 'rejected']),
  statusLabel: z.string(),
  auditPath: z.array(z.object({ unitId: z.number(), name: z.string() })),
  currentUnitId: z.number().nullable(),
  currentUnitName: z.string().nullable(),
  returnReason: z.string().nullable(),
  returnCount: z.number(),
  rejectReason: z.string().nullable(),
  instanceId: z.string().nullable(),
  version: z.number(),
  /** whether the caller may review it now (it waits at the caller's unit) */
  reviewable: z.boolean(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const mineResult = z.object({
  registration: talent.nullable(),
  /** what the person's account already says (to start the form with) */
  account: z.object({ displayName: z.string(), idNumber: z.string().nullable(), unitName: z.string().nullable() }),
});

export const listQuery = z.object({
  view: z.enum(['pending', 'all'], { error: '列表只能是 pending 或 all' }).default('pending'),
  status: z.enum(['reviewing', 'returned', 'approved', 'rejected'], { error: '状态不在可选范围内' }).optional(),
  q: text(50, '查询条件').optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** `total` is null when more than 10,000 match (the subtree list counts no further) */
export const listResult = z.object({ total: z.number().nullable(), items: z.array(talent) });

export const reviewBody = z.object({
  action: z.enum(['pass', 'return', 'reject'], { error: '审核结果只能是审核通过、退回修改或审核不通过' }),
  opinion: optionalText(500, '审核意见'),
});
export const passManyBody = z.object({ ids: z.array(z.number().int().positive()).min(1, '请选择要审核通过的人员').max(500, '一次最多审核 500 人') });
export const passManyResult = z.object({ passed: z.number(), skipped: z.number() });

const counts = z.object(Object.fromEntries(STAT_COLUMNS.map((c) => [c, z.number()])) as Record<(typeof STAT_COLUMNS)[number], z.ZodNumber>);
export const statsResult = z.object({
  unitName: z.string(),
  rows: z.array(counts.extend({ category: z.string(), label: z.string() })),
  total: counts,
  columns: z.array(z.object({ key: z.string(), label: z.string(), group: z.string() })),
});
