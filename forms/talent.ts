import { z } from 'zod';
import { defineForm } from './define.ts';

/**
 * 专技人才 (manual §1.2.13): a person registers as professional staff; the registration goes up
 * the unit chain (本单位 → 上级单位 … → 本地人社部门). The option lists below are the rows and
 * columns of the manual's 专技人才统计 table (图 2.10.3).
 */

/** 专业技术人员类别: the rows of 专技人才统计, in the manual's order first. */
export const TALENT_CATEGORIES = {
  university_teacher: '高等学校教师',
  social_science_research: '哲学社会科学研究人员',
  natural_science_research: '自然科学研究人员',
  health: '卫生技术人员',
  engineering: '工程技术人员',
  agriculture: '农业技术人员',
  journalism: '新闻专业人员',
  publishing: '出版专业人员',
  library: '图书资料专业人员',
  museum: '文物博物专业人员',
  archives: '档案专业人员',
  crafts: '工艺美术专业人员',
  arts: '艺术专业人员',
  sports: '体育专业人员',
  translation: '翻译专业人员',
  economics: '经济专业人员',
  accounting: '会计专业人员',
  statistics: '统计专业人员',
  auditing: '审计专业人员',
  vocational_teacher: '中等职业学校教师',
  technical_school_teacher: '技工院校教师',
  school_teacher: '中小学教师',
  lab: '实验技术人员',
  social_work: '社会工作专业人员',
  other: '其他专业技术人员',
} as const;
export type TalentCategory = keyof typeof TALENT_CATEGORIES;

/** 职称情况: 具有专业技术职称 (with its level), 只具有职业资格证书, 其他人员. */
export const TITLE_KINDS = { title: '具有专业技术职称', certificate: '只具有职业资格证书', none: '其他人员' } as const;

/** 政治面貌; 中共党员 in the statistics counts full and probationary members. */
export const POLITICAL_STATUSES = {
  party_member: '中共党员',
  probationary_member: '中共预备党员',
  league_member: '共青团员',
  democratic_party: '民主党派',
  masses: '群众',
} as const;

/** 人员身份: 港澳台及外籍人士 is its own column of the statistics. */
export const ORIGINS = { mainland: '内地（大陆）居民', hk_mo_tw: '港澳台居民', foreign: '外籍人士' } as const;

export const GENDERS = { male: '男', female: '女' } as const;

/** The 56 ethnic groups (GB/T 3304 order); anything but 汉族 counts as 少数民族. */
export const ETHNICITIES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族', '外国血统中国籍人士', '其他',
] as const;

export const talentReviewForm = defineForm({
  key: 'talent-review',
  title: '专技人才审核',
  description: '核对申报人填写的专技人才信息：审核通过的移交本单位的上级单位继续审核（到本地人社部门为止）；退回的由个人修改后再次提交；不通过的本条审核终止。',
  dataRequiredFor: [],
  opinionRequiredFor: ['return', 'reject'],
  actionLabels: { pass: '审核通过', return: '退回修改', reject: '审核不通过' },
  page: '/talent-reviews?open={talentId}',
  schema: z.object({}),
});

export const talentRegisterForm = defineForm({
  key: 'talent-register',
  title: '填写专技人才信息',
  description: '填写本人的专技人才信息（基本情况、学历、职称或职业资格）后提交，由本单位审核；被退回的按退回原因修改后再次提交。',
  dataRequiredFor: [],
  opinionRequiredFor: [],
  actionLabels: { submit: '提交审核' },
  page: '/my-talent',
  schema: z.object({}),
});

export const TALENT_FORMS = [talentRegisterForm, talentReviewForm];
