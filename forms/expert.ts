import { z } from 'zod';
import { keysOf, SERIES } from './catalog.ts';
import { defineForm, field, options } from './define.ts';
import { checkIdNumber, idNumberSchema, phoneSchema } from './validators.ts';

/** 行政职务级别 */
export const POST_LEVELS = {
  provincial: '省部级',
  bureau_chief: '厅局级正职',
  bureau_deputy: '厅局级副职',
  division_chief: '县处级正职',
  division_deputy: '县处级副职',
  section_chief: '乡科级正职',
  section_deputy: '乡科级副职',
  none: '无',
} as const;

export const SEXES = { male: '男', female: '女' } as const;

const text = (max: number) => z.string().trim().min(1, '必填').max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

/** 出生日期 as the manual asks for it: yyyyMM (yyyy-MM also understood). */
const birthMonthSchema = z
  .string()
  .trim()
  .regex(/^(19|20)\d{2}-?(0[1-9]|1[0-2])$/, '格式应为 yyyyMM（如 197307）')
  .transform((v) => `${v.slice(0, 4)}-${v.slice(-2)}`);

/**
 * 新增专家信息 (manual §1.2.2.3): 国别 is 中国 and 证件类型 居民身份证, so the ID number gives
 * 性别, 出生日期 and 年龄; when 性别 or 出生日期 is filled in anyway it must agree with it.
 * The same fields serve single entry, editing, recommendation and every row of an import.
 */
export const expertFields = {
  name: field(text(10), { title: '姓名' }),
  idNumber: field(idNumberSchema, { title: '证件号码', description: '居民身份证号码（18 位）；性别、出生日期和年龄由证件号码得出' }),
  sex: field(z.enum(keysOf(SEXES)).optional(), { title: '性别', options: options(SEXES), description: '可不填：由证件号码得出' }),
  birthMonth: field(birthMonthSchema.optional(), { title: '出生日期', placeholder: 'yyyyMM', description: '格式 yyyyMM；可不填：由证件号码得出' }),
  retired: field(z.boolean().default(false), { title: '是否退休' }),
  employer: field(text(30), { title: '工作单位' }),
  department: field(optionalText(30), { title: '主管单位' }),
  post: field(text(20), { title: '行政职务', description: '没有行政职务的填“无”' }),
  postLevel: field(z.enum(keysOf(POST_LEVELS)).optional(), { title: '行政职务级别', options: options(POST_LEVELS) }),
  phone1: field(phoneSchema, { title: '联系电话1' }),
  phone2: field(phoneSchema.optional(), { title: '联系电话2' }),
  honours: field(text(300), { title: '所获荣誉、称号', widget: 'textarea', description: '没有的填“无”' }),
  series: field(z.enum(keysOf(SERIES)).optional(), { title: '现专业技术系列', options: options(SERIES) }),
  specialty: field(text(30), { title: '现从事专业', description: '专家抽选按现从事专业分组' }),
  currentTitle: field(text(30), { title: '现职称', description: '如：高级工程师、正高级工程师' }),
  isChair: field(z.boolean().default(false), { title: '主任委员' }),
  isViceChair: field(z.boolean().default(false), { title: '副主任委员' }),
  active: field(z.boolean().default(true), { title: '是否活跃', description: '不活跃的专家不参加专家抽选' }),
  regionCode: field(z.string().regex(/^\d{6}$/, '请选择所在地区').optional(), { title: '所在地区', widget: 'region' }),
};

const crossFields = z.object({
  idNumber: z.string(),
  sex: z.string().optional(),
  birthMonth: z.string().optional(),
  isChair: z.boolean(),
  isViceChair: z.boolean(),
});

/** The expert's data; cross-field rules run whenever the fields they compare are valid, so every problem of a row is reported at once. */
export const expertSchema = z.object(expertFields).superRefine(
  (v, ctx) => {
    const id = checkIdNumber(v.idNumber);
    if (id.ok) {
      if (v.sex && v.sex !== id.sex) ctx.addIssue({ code: 'custom', path: ['sex'], message: `与证件号码不一致（证件号码为${SEXES[id.sex]}性）` });
      const fromId = id.birthDate.slice(0, 7);
      if (v.birthMonth && v.birthMonth !== fromId) {
        ctx.addIssue({ code: 'custom', path: ['birthMonth'], message: `与证件号码中的出生年月（${fromId.replace('-', '')}）不一致` });
      }
    }
    if (v.isChair && v.isViceChair) ctx.addIssue({ code: 'custom', path: ['isViceChair'], message: '主任委员和副主任委员只能选其一' });
  },
  { when: (payload) => crossFields.safeParse(payload.value).success },
);

export type ExpertInput = z.output<typeof expertSchema>;

export const expertForm = defineForm({
  key: 'expert',
  title: '专家信息',
  description: '国别：中国；证件类型：居民身份证（户口簿）',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  schema: expertSchema,
});

/** What the ID number says about its holder, with the age on a given day (Asia/Shanghai). */
export function idFacts(idNumber: string, today: Date): { sex: 'male' | 'female'; birthDate: string; birthMonth: string; age: number } | null {
  const id = checkIdNumber(idNumber, today);
  if (!id.ok) return null;
  return { sex: id.sex, birthDate: id.birthDate, birthMonth: id.birthDate.slice(0, 7), age: ageOn(id.birthDate, today) };
}

/** Whole years from a birth date (YYYY-MM-DD) to a moment, counted on the Shanghai calendar. */
export function ageOn(birthDate: string, today: Date): number {
  const local = new Date(today.getTime() + 8 * 3600 * 1000);
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let age = local.getUTCFullYear() - y;
  if (local.getUTCMonth() + 1 < m || (local.getUTCMonth() + 1 === m && local.getUTCDate() < d)) age -= 1;
  return age;
}
