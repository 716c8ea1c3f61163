import { z } from 'zod';
import { defineForm, fileField, field, options, unitField } from './define.ts';
import { LEVELS, SERIES, keysOf, levelOptions, seriesOptions } from './catalog.ts';
import { phoneSchema } from './validators.ts';
import { UNIT_NATURE_OPTIONS } from './unit-info.ts';

/** 评审类型 */
export const REVIEW_TYPES = { evaluation: '评审', exam_evaluation: '考评结合', recognition: '认定' } as const;
/** 组建方式 */
export const BUILD_BY = { series: '按系列创建', specialty: '按专业创建' } as const;

const text = (min: number, max: number) => z.string().trim().min(min, min > 1 ? `至少 ${min} 个字符` : '不能为空').max(max, `最多 ${max} 个字符`);

/**
 * 新增评委会 (manual §1.2.2.1): 基本信息 and 评审范围. The organiser (组建单位) is the caller's
 * unit and is not part of the form; the region rules of notice 000 are checked by the API, which
 * knows the organiser's jurisdiction.
 */
export const committeeFields = {
  name: field(text(4, 100), { title: '评委会名称', description: '例如：四川省乐山市工程技术系列中级职称评审委员会' }),
  officeAgency: field(text(2, 100), { title: '评委会办事机构' }),
  office: field(text(2, 100), { title: '评委会办公室' }),
  reviewType: field(z.enum(keysOf(REVIEW_TYPES)), { title: '评审类型', options: options(REVIEW_TYPES) }),
  levels: field(z.array(z.enum(keysOf(LEVELS))).min(1, '请至少选择一个评审级别'), {
    title: '评审级别',
    widget: 'multiselect',
    options: levelOptions,
    description: '高一级评委会如需代评低一级职称，请在此选择所有可评审级别',
  }),
  issuerUnitId: unitField({ title: '授权管理单位（发证机构）', description: '评审完成后发放证书的单位，例如市级中级评委会选所在市人社局' }),
  registrarUnitId: unitField({ title: '备案批复单位', description: '高级评委会向省人社厅备案；中、初级向市（州）人社局或省直部门备案；初级也可向县（市、区）人社局备案' }),
  contactName: field(text(2, 30), { title: '对外联系人' }),
  contactPhone: field(phoneSchema, { title: '对外联系电话', description: '座机需填写区号，如 028-86000000' }),
  address: field(text(4, 200), { title: '联系地址' }),
  internal: field(z.boolean(), { title: '是否单位内部自主评审', widget: 'boolean' }),
  allowedNatures: field(z.array(z.enum(keysOf(UNIT_NATURE_OPTIONS))).default([]), {
    title: '申报人所在单位的单位性质',
    widget: 'multiselect',
    options: options(UNIT_NATURE_OPTIONS),
    description: '选择后仅允许这些性质的用人单位的人员申报本评委会；不限制则不选',
  }),
  buildBy: field(z.enum(keysOf(BUILD_BY)), { title: '组建方式', options: options(BUILD_BY) }),
  series: field(z.enum(keysOf(SERIES)), { title: '评审系列', options: seriesOptions }),
  specialties: field(z.array(text(1, 50)).max(100).default([]), {
    title: '评审专业',
    widget: 'tags',
    description: '按专业创建的评委会必填；按系列创建的可不填（评审该系列全部专业）',
  }),
  reviewRegions: field(z.array(z.string().regex(/^\d{6}$/, '请选择评审区域')).max(300).default([]), {
    title: '评审区域',
    widget: 'regions',
    description: '评审活动只接受这些区域的申报；市（州）级评委会只能选本市（州）内的区域，县级只能选本县内的区域，自主评审单位评本单位（不选区域）',
  }),
  funded: field(z.boolean(), { title: '是否拨付经费', widget: 'boolean', description: '评审会议经费如需上级单位拨付选“是”，否则建议选“否”' }),
  termYears: field(z.number().int().min(1, '至少 1 年').max(5, '最长 5 年').default(3), { title: '备案有效期（年）', description: '核准备案后的有效期，默认 3 年' }),
};

export const committeeSchema = z.object(committeeFields).superRefine((v, ctx) => {
  if (v.buildBy === 'specialty' && v.specialties.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['specialties'], message: '按专业创建的评委会请填写评审专业' });
  }
});

export type CommitteeInput = z.infer<typeof committeeSchema>;

/** Screen form: rendered by the console, validated by the API. */
export const committeeForm = defineForm({ key: 'committee', title: '评委会信息', dataRequiredFor: [], opinionRequiredFor: [], schema: committeeSchema as unknown as z.ZodObject });

/** 核准备案请示: what the organiser sends with a filing, and again after a return. */
export const committeeFilingForm = defineForm({
  key: 'committee-filing',
  title: '评委会备案申报',
  description: '提交前请在“评委会备案申报”中完善评委会信息和专家库名单；提交后依次由授权管理单位、备案单位审核。',
  dataRequiredFor: ['submit'],
  opinionRequiredFor: [],
  actionLabels: { submit: '提交备案', withdraw: '撤回备案申请' },
  schema: z.object({
    requestFiles: fileField({ title: '核准备案请示', minFiles: 1, maxFiles: 5, accept: ['.pdf', '.jpg', '.jpeg', '.png'], maxSizeMb: 20, description: '加盖公章的核准备案请示扫描件' }),
    note: field(z.string().trim().max(500).optional(), { title: '备案说明', widget: 'textarea' }),
  }),
});
