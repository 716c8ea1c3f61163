import { z } from 'zod';
import { defineForm, field, optionalFileField, options, unitField } from './define.ts';
import { checkIdNumber, creditCodeSchema, idNumberSchema, phoneSchema, usernameSchema } from './validators.ts';

/** 单位类型 a unit may register itself as (人社部门 accounts are opened top-down). */
export const REGISTRABLE_UNIT_TYPES = {
  employer: '申报单位',
  department: '主管部门',
  self_review_unit: '自主评审单位',
  central_unit: '中央在川单位',
} as const;

export const ALL_UNIT_TYPES = { hr_bureau: '人社部门', ...REGISTRABLE_UNIT_TYPES } as const;

export const UNIT_NATURE_OPTIONS = { agency: '机关', institution: '事业单位', enterprise: '企业', social_org: '社会组织', other: '其他' } as const;

const optionalText = (max: number) => z.string().trim().max(max).optional();

/** 维护基本信息: the unit's own data (the unit type is chosen by the screen: what a parent may create). */
export const unitBasicFields = {
  creditCode: field(creditCodeSchema({ allowDerived: true }), {
    title: '统一社会信用代码',
    description: '18 位；没有独立代码的下级机构为上级单位代码加两位序号',
  }),
  name: field(z.string().trim().min(2, '至少 2 个字符').max(100), { title: '单位名称' }),
  nature: field(z.enum(Object.keys(UNIT_NATURE_OPTIONS) as [keyof typeof UNIT_NATURE_OPTIONS]), { title: '单位性质', options: options(UNIT_NATURE_OPTIONS) }),
  regionCode: field(z.string().regex(/^\d{6}$/, '请选择职称业务归属地'), {
    title: '职称业务归属地',
    widget: 'region',
    description: '办理职称业务的归属地，非单位所在地：省属单位选“四川省（省本级）”，市属单位选对应市（市本级）',
  }),
  phone: field(phoneSchema, { title: '联系电话' }),
  address: field(optionalText(200), { title: '单位地址' }),
  licence: optionalFileField({ title: '营业执照或法人证书', accept: ['.pdf', '.jpg', '.jpeg', '.png'], maxSizeMb: 10, maxFiles: 1 }),
};

/** 维护法人信息 */
export const legalRepFields = {
  legalRepName: field(z.string().trim().min(2, '至少 2 个字符').max(30).optional(), { title: '法定代表人（负责人）姓名' }),
  legalRepIdNumber: field(idNumberSchema.optional(), { title: '法定代表人身份证号码' }),
  legalRepPhone: field(phoneSchema.optional(), { title: '法定代表人联系电话' }),
};

/** The fields of the manual's 维护基本信息 and 维护法人信息 screens together. */
export const unitInfoFields = { ...unitBasicFields, ...legalRepFields };

/** 添加经办人员: the first clerk of a unit a parent creates, who becomes its super admin. */
export const unitClerkFields = {
  username: field(usernameSchema, { title: '登录账号', description: '4–32 位，以字母开头' }),
  displayName: field(z.string().trim().min(2, '至少 2 个字符').max(30), { title: '经办人姓名' }),
  idNumber: field(idNumberSchema.optional(), { title: '经办人身份证号码' }),
  phone: field(phoneSchema, { title: '经办人手机号码' }),
};

/** Screen forms (not user tasks): rendered by the console from their definitions, validated by the API with the same fields. */
export const unitBasicForm = defineForm({ key: 'unit-basic', title: '维护基本信息', dataRequiredFor: [], opinionRequiredFor: [], schema: z.object(unitBasicFields) });
export const legalRepForm = defineForm({
  key: 'unit-legal-rep',
  title: '维护法人信息',
  description: '非人社部门的单位，如在统一身份认证平台未注册过，需要在此维护法人信息',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  schema: z.object(legalRepFields),
});
export const unitClerkForm = defineForm({
  key: 'unit-clerk',
  title: '添加经办人员',
  description: '此处添加的经办人员为下级单位的超级管理员；系统生成一次性初始密码，首次登录须修改',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  schema: z.object(unitClerkFields),
});

/**
 * The legal representative's numbers as the 用户权限申请 form takes them: typed in full, or handed
 * back masked as the flow keeps them (a returned application resubmitted unchanged). The flow keeps
 * only the masked form; the numbers are sealed on the unit (api/modules/units/registration.ts),
 * which refuses a masked value that is not the mask of the unit's own.
 */
const legalRepIdNumberOrMask = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (/^\d{4}\*+[\dXx]{4}$/.test(v)) return;
    const r = checkIdNumber(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  });
const legalRepPhoneOrMask = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d[\d-]*\*+[\d-]*\d)$/, '电话号码格式不正确（手机 11 位，或区号-号码）');

/** 用户权限申请: a self-registered unit completes its information and submits it to its parent. */
export const unitRegistrationForm = defineForm({
  key: 'unit-registration',
  title: '用户权限申请',
  description: '完善单位信息后提交上级单位审核；审核通过后开放申报、经办功能。变更上级单位被退回时在此修改上级单位后重新提交（其他信息请在“本级单位信息”中维护）。',
  dataRequiredFor: ['submit'],
  opinionRequiredFor: [],
  variable: 'unit',
  actionLabels: { submit: '提交上级单位审核', withdraw: '撤回变更申请' },
  schema: z
    .object({
      ...unitInfoFields,
      // 人社部门 cannot register itself, but one changing its parent resubmits through this form
      unitType: field(z.enum(Object.keys(ALL_UNIT_TYPES) as [keyof typeof ALL_UNIT_TYPES]), { title: '单位类型', options: options(ALL_UNIT_TYPES) }),
      parentId: unitField({ title: '上级单位', description: '职称业务的上级部门，例如市教育局的上级单位是市人社局' }),
      legalRepName: field(z.string().trim().min(2, '至少 2 个字符').max(30).optional(), { title: '法定代表人（负责人）姓名', description: '人社部门以外的单位必填' }),
      legalRepIdNumber: field(legalRepIdNumberOrMask.optional(), { title: '法定代表人身份证号码', description: '人社部门以外的单位必填；退回后显示为部分隐藏，不修改则沿用' }),
      legalRepPhone: field(legalRepPhoneOrMask.optional(), { title: '法定代表人联系电话', description: '退回后显示为部分隐藏，不修改则沿用' }),
      licence: optionalFileField({ title: '营业执照或法人证书', description: '人社部门以外的单位必填', accept: ['.pdf', '.jpg', '.jpeg', '.png'], maxSizeMb: 10, maxFiles: 1 }),
    })
    // 维护法人信息 is for units outside the HR bureaus (人社机构走内网经办平台，无需维护)
    .superRefine((v, ctx) => {
      if (v.unitType === 'hr_bureau') return;
      if (!v.legalRepName) ctx.addIssue({ code: 'custom', path: ['legalRepName'], message: '必填' });
      if (!v.legalRepIdNumber) ctx.addIssue({ code: 'custom', path: ['legalRepIdNumber'], message: '必填' });
      if (!v.licence?.length) ctx.addIssue({ code: 'custom', path: ['licence'], message: '请上传' });
    }),
});

/** 下级单位注册审核: the parent approves the registration (or the change of parent) or returns it. */
export const unitRegistrationReviewForm = defineForm({
  key: 'unit-registration-review',
  title: '下级单位注册审核',
  description: '审核通过后该单位开放申报、经办功能（变更上级单位的，审核通过后归入本单位管理）；退回须填写意见，由该单位修改后重新提交；不予通过（如冒用他人信用代码注册）结束申请，注册的单位和账号停用、信用代码释放。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return', 'reject'],
  actionLabels: { pass: '审核通过', return: '退回', reject: '不予通过' },
  schema: z.object({}),
});
