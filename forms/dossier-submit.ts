import { z } from 'zod';
import { defineForm, field, optionalFileField, options } from './define.ts';
import { EDUCATION, LEVELS, SERIES, educationOptions, keysOf, levelOptions, seriesOptions } from './catalog.ts';
import { ACHIEVEMENT_TEMPLATES } from './activity.ts';

export const GENDERS = { male: '男', female: '女' } as const;

/**
 * 联系电话 as typed, or as the API handed it back masked (`139****0003`): the declaration's JSON keeps
 * only the masked form (the number is sealed on the dossier), and a form sent back unchanged keeps
 * the sealed number — the submission check refuses a masked value that is not the dossier's own.
 */
const declarationPhone = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d[\d-]*\*+[\d-]*\d)$/, '电话号码格式不正确（手机 11 位，或区号-号码）');

const text = (max: number) => z.string().trim().max(max, `最多 ${max} 个字符`);
const optionalText = (max: number) => text(max).optional();
const attachments = (title: string) => optionalFileField({ title, maxFiles: 20, accept: ['.pdf', '.jpg', '.jpeg', '.png', '.doc', '.docx'] });

/** 任职资格 / 职业资格 held, with the certificate. */
const qualification = z.object({
  name: field(text(100).min(1), { title: '资格名称' }),
  number: field(optionalText(50), { title: '证书编号' }),
  date: field(z.iso.date().optional(), { title: '取得时间', widget: 'date' }),
  files: attachments('证书附件'),
});

/** 工作经历 */
const workEntry = z.object({
  from: field(z.iso.date(), { title: '起始时间', widget: 'date' }),
  to: field(z.iso.date().optional(), { title: '截止时间', widget: 'date', description: '至今可不填' }),
  unit: field(text(100).min(1), { title: '工作单位' }),
  post: field(optionalText(50), { title: '职务/岗位' }),
});

/**
 * One 业绩成果 entry. The fields are the union of the manual's eight templates (§1.2.4.1.1–8);
 * which of them a template requires is checked against the activity's items when the dossier
 * is submitted (`api/modules/dossiers/dossiers.declaration.ts`), where the template is known.
 */
const achievement = z.object({
  item: field(z.number().int().min(1).max(99).optional(), { title: '业绩成果项序号', widget: 'number', description: '评审活动业绩成果要求中的序号' }),
  template: field(z.enum(keysOf(ACHIEVEMENT_TEMPLATES)).optional(), { title: '模板类别', widget: 'select', options: options(ACHIEVEMENT_TEMPLATES) }),
  title: field(z.string().trim().min(1).max(100), { title: '成果名称' }),
  date: field(z.iso.date(), { title: '取得时间', widget: 'date', description: '开始、批准、获奖、发表、发行或发布时间' }),
  endDate: field(z.iso.date().optional(), { title: '结束时间', widget: 'date' }),
  afterCurrentTitle: field(z.boolean().optional(), { title: '是否取得现职称后业绩成果', widget: 'boolean' }),
  category: field(optionalText(50), { title: '类别', description: '专利类别、论文/著作/标准类别' }),
  number: field(optionalText(50), { title: '编号', description: '专利号、刊号、版号、标准号或证书编号' }),
  organisation: field(optionalText(100), { title: '授予单位/出版单位', description: '授权国别或组织、奖项授予单位、出版单位、主办单位' }),
  publication: field(optionalText(100), { title: '刊物名称' }),
  awardLevel: field(optionalText(30), { title: '奖项级别' }),
  awardGrade: field(optionalText(30), { title: '获奖等次' }),
  rank: field(optionalText(30), { title: '本人排名', description: '完成人排名或作者排名，如：第1/共5' }),
  words: field(z.number().min(0).max(100000).optional(), { title: '本人完成字数（千字）', widget: 'number' }),
  description: field(z.string().trim().max(1000).optional(), { title: '成果简介', widget: 'textarea', description: '工作内容、本人作用、完成情况及效果' }),
  files: attachments('附件'),
});
export type AchievementEntry = z.infer<typeof achievement>;

/** 破格申报理由: one per 破格条件 the applicant relies on. */
const breakthroughReason = z.object({
  condition: field(text(100).min(1), { title: '破格条件' }),
  reason: field(text(2000).min(1), { title: '破格理由', widget: 'textarea' }),
  files: attachments('佐证材料'),
});

/** 申报材料: the files of one material the activity asks for. */
const materialEntry = z.object({
  name: field(text(100).min(1), { title: '材料名称' }),
  files: attachments('材料附件'),
});

/**
 * 申报材料 (个人申报): the static part every activity shares. What depends on the activity — the
 * level and specialty it opens, its 业绩成果 items and their templates, its required materials
 * and 破格 — is checked when the dossier is submitted (a completion check), so the console can
 * still render this form from its JSON Schema.
 */
/**
 * 诚信承诺 (notice 004 五: 申报人必须保证在参评过程中诚实守信…如有弄虚作假行为，将取消评审资格，3 年内
 * 不得再申报…记入职称评审个人诚信档案). Accepted with every submission; printed on the 评审表 with the time.
 */
export const PLEDGE_TEXT =
  '本人承诺：所提交的申报信息和证件材料真实、准确、完整，参评过程中诚实守信，自觉遵守国家、省有关职称评审的法规、纪律和规则。如有弄虚作假，愿接受取消评审资格、3 年内不得再申报、记入职称评审个人诚信档案等处理，已取得的资格予以取消。';

export const dossierSubmitForm = defineForm({
  key: 'dossier-submit',
  title: '申报材料',
  description: '填写申报信息后提交至本单位审核；被退回后可修改并重新提交。',
  variable: 'dossier',
  dataRequiredFor: ['submit'],
  opinionRequiredFor: [],
  actionLabels: { submit: '提交' },
  // 提交 and 修改并重新提交 open the declaration page, however the applicant gets there
  page: '/my-dossiers/{dossierId}/declaration',
  schema: z.object({
    series: field(z.enum(keysOf(SERIES)), { title: '申报系列', widget: 'select', options: seriesOptions }),
    specialty: field(z.string().trim().min(1).max(30), { title: '申报专业', placeholder: '如：机械工程' }),
    level: field(z.enum(keysOf(LEVELS)), { title: '申报级别', widget: 'select', options: levelOptions }),
    // 性别 and 出生日期 are not typed: the API derives them from the applicant's ID number and stores them
    phone: field(declarationPhone.optional(), { title: '联系电话', placeholder: '手机号码，或区号-电话号码' }),
    currentTitle: field(z.string().trim().max(30).optional(), { title: '现职称', description: '尚无职称可不填' }),
    currentTitleDate: field(z.iso.date().optional(), { title: '现职称评定时间', widget: 'date' }),
    education: field(z.enum(keysOf(EDUCATION)), { title: '最高学历', widget: 'select', options: educationOptions }),
    school: field(optionalText(100), { title: '毕业院校' }),
    major: field(optionalText(50), { title: '所学专业' }),
    graduationDate: field(z.iso.date().optional(), { title: '毕业时间', widget: 'date' }),
    workStartDate: field(z.iso.date(), { title: '参加工作时间', widget: 'date' }),
    qualifications: field(z.array(qualification).max(20).optional(), { title: '资格证书', widget: 'group' }),
    continuingEducationHours: field(z.number().int().min(0).max(10000), {
      title: '继续教育学时',
      widget: 'number',
      description: '不得少于本次评审活动要求的继续教育最低学时',
    }),
    workHistory: field(z.array(workEntry).max(30).optional(), { title: '工作经历', widget: 'group' }),
    workSummary: field(z.string().trim().min(1).max(3000), { title: '专业技术工作总结', widget: 'textarea' }),
    breakthrough: field(z.boolean().optional(), { title: '是否破格申报', widget: 'boolean' }),
    breakthroughReasons: field(z.array(breakthroughReason).max(20).optional(), { title: '破格申报理由', widget: 'group' }),
    materials: field(z.array(materialEntry).max(50).optional(), { title: '申报材料附件', widget: 'group' }),
    achievements: field(z.array(achievement).max(100).default([]), { title: '业绩成果', widget: 'group' }),
    // optional here so that older submissions stay valid; the submission check requires it
    pledge: field(z.boolean().optional(), { title: '诚信承诺', widget: 'boolean', description: PLEDGE_TEXT }),
  }),
});

/** The fields of a declaration the date rules read (all YYYY-MM-DD). */
export interface DeclarationDates {
  workStartDate?: string | undefined;
  currentTitleDate?: string | undefined;
  graduationDate?: string | undefined;
  qualifications?: Array<{ date?: string | undefined }> | undefined;
  workHistory?: Array<{ from?: string | undefined; to?: string | undefined }> | undefined;
  achievements?: Array<{ date?: string | undefined }> | undefined;
}

/** The earliest day someone born on `birthDate` may start work: their 16th birthday (劳动法 第十五条). */
export function sixteenthBirthday(birthDate: string): string {
  return `${String(Number(birthDate.slice(0, 4)) + 16).padStart(4, '0')}${birthDate.slice(4)}`;
}

/**
 * The rules of time of a declaration, each naming its field (a path under the form's data) in
 * Chinese: nothing has happened after `today` (Asia/Shanghai), work started no earlier than the
 * 16th birthday of the birth date the ID number gives, and the current title came no earlier
 * than work. Dates compare as YYYY-MM-DD strings; a birthday on 29 February of a leap year has
 * its 16th on 29 February too.
 */
export function declarationDateProblems(d: DeclarationDates, facts: { today: string; birthDate?: string | null }): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const notFuture = (field: string, label: string, value: string | undefined) => {
    if (value && value > facts.today) problems.push({ field, message: `${label}不能晚于今天（${facts.today}）` });
  };
  notFuture('workStartDate', '参加工作时间', d.workStartDate);
  notFuture('currentTitleDate', '现职称评定时间', d.currentTitleDate);
  notFuture('graduationDate', '毕业时间', d.graduationDate);
  (d.qualifications ?? []).forEach((q, i) => notFuture(`qualifications.${i}.date`, `资格证书 第${i + 1}项 取得时间`, q.date));
  (d.workHistory ?? []).forEach((w, i) => {
    notFuture(`workHistory.${i}.from`, `工作经历 第${i + 1}项 起始时间`, w.from);
    notFuture(`workHistory.${i}.to`, `工作经历 第${i + 1}项 截止时间`, w.to);
  });
  (d.achievements ?? []).forEach((a, i) => notFuture(`achievements.${i}.date`, `业绩成果 第${i + 1}项 取得时间`, a.date));
  if (facts.birthDate && d.workStartDate && d.workStartDate < sixteenthBirthday(facts.birthDate)) {
    problems.push({ field: 'workStartDate', message: `参加工作时间应在出生 16 年之后（出生日期 ${facts.birthDate}，不早于 ${sixteenthBirthday(facts.birthDate)}）` });
  }
  if (d.workStartDate && d.currentTitleDate && d.currentTitleDate < d.workStartDate) {
    problems.push({ field: 'currentTitleDate', message: `现职称评定时间不能早于参加工作时间（${d.workStartDate}）` });
  }
  return problems;
}
