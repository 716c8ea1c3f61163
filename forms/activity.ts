import { z } from 'zod';
import { beijingInstant, defineForm, field, optionalFileField, options } from './define.ts';
import { LEVELS, keysOf, levelOptions } from './catalog.ts';
import { docNumber } from './validators.ts';

/** The continuing-education hours a year the province requires (notice 004 四), an activity's default. */
export const MIN_CONTINUING_EDUCATION_HOURS = 90;

/** 评审活动类别 */
export const ACTIVITY_KINDS = { annual: '年度评审活动', special: '专项评审活动' } as const;
/** 评审方式 */
export const REVIEW_METHODS = { expert: '专家评审', exam_expert: '全国统考+专家评审' } as const;
/** 评委会组织笔试 */
export const WRITTEN_EXAMS = { all: '全体参加笔试', no_degree: '不具备规定学历笔试', partial: '部分参加笔试', none: '不组织' } as const;
/** 是否组织面试答辩 */
export const DEFENSES = { partial: '部分面试答辩', all: '全体面试答辩', none: '不组织' } as const;
/** 专业组评审方式 */
export const PANEL_METHODS = { vote: '专家投票', score: '专家打分' } as const;
/** 业绩成果的展示标题 (the manual's drop-down) */
export const ACHIEVEMENT_TITLES = {
  papers: '论文论著',
  before_current: '取得现专业技术职称前主要业绩',
  after_current: '取得现专业技术职称后主要业绩',
  teaching: '教育教学业绩',
  teaching_results: '教学业绩成果',
  teaching_research: '教育教学研究业绩成果',
  achievements: '业绩成果',
  influence: '示范引领和影响力',
  ability: '专业能力',
  ability_achievements: '专业能力和业绩成果',
} as const;
/** 业绩成果模板类别 (manual §1.2.4.1.1–8) */
export const ACHIEVEMENT_TEMPLATES = {
  general: '通用',
  patent: '专利',
  award: '获奖/荣誉称号',
  paper: '论文',
  sci_tech_award: '科技成果奖',
  report: '重要专业报告',
  book: '著作/译著',
  standard: '标准/规范',
} as const;

/**
 * 川人社函〔2024〕586号 附件1: the least spacing between the four times of an activity, in
 * calendar days of Asia/Shanghai, and the notice published at least 30 days before the start.
 */
export const DEADLINE_RULES = [
  { from: 'startsAt', to: 'firstDeadline', days: 30 },
  { from: 'firstDeadline', to: 'revisionDeadline', days: 10 },
  { from: 'revisionDeadline', to: 'receiptDeadline', days: 14 },
] as const;
export const NOTICE_DAYS = 30;

export const DEADLINE_LABELS = {
  startsAt: '申报开始时间',
  firstDeadline: '个人初次提交截止时间',
  revisionDeadline: '个人修改提交截止时间',
  receiptDeadline: '评委会接收申报截止时间',
} as const;
export type DeadlineField = keyof typeof DEADLINE_LABELS;

/**
 * Notice 004 三: the levels' review deadlines, optional, each placed among the applicant's and
 * the committee's: 个人初次提交截止 ≤ 单位初次审核截止 ≤ 主管部门网上审核截止 ≤ 个人修改提交截止 ≤
 * 主管部门修改提交截止 ≤ 评委会接收申报截止.
 */
export const LEVEL_DEADLINE_LABELS = {
  unitReviewDeadline: '申报人所在单位初次审核截止时间',
  departmentReviewDeadline: '主管部门网上审核截止时间',
  departmentRevisionDeadline: '主管部门修改提交截止时间',
} as const;
export type LevelDeadlineField = keyof typeof LEVEL_DEADLINE_LABELS;
const DEADLINE_ORDER = ['firstDeadline', 'unitReviewDeadline', 'departmentReviewDeadline', 'revisionDeadline', 'departmentRevisionDeadline', 'receiptDeadline'] as const;
const ORDER_LABELS: Record<(typeof DEADLINE_ORDER)[number], string> = { ...DEADLINE_LABELS, ...LEVEL_DEADLINE_LABELS };

/** A level deadline out of order (earlier than the deadline before it, or later than the applicant's or committee's deadline after it), naming the level's field. */
export function levelDeadlineProblems(d: Partial<Record<DeadlineField | LevelDeadlineField, Date | string | null | undefined>>): Array<{ field: LevelDeadlineField; message: string; detail: string }> {
  const problems: Array<{ field: LevelDeadlineField; message: string; detail: string }> = [];
  const at = (k: (typeof DEADLINE_ORDER)[number]) => (d[k] ? new Date(d[k] as string | Date).getTime() : null);
  DEADLINE_ORDER.forEach((key, i) => {
    if (!(key in LEVEL_DEADLINE_LABELS) || at(key) == null) return;
    const field = key as LevelDeadlineField;
    const before = DEADLINE_ORDER.slice(0, i).reverse().find((k) => at(k) != null);
    const after = DEADLINE_ORDER.slice(i + 1).find((k) => at(k) != null);
    let detail: string | null = null;
    if (before && at(key)! < at(before)!) detail = `不能早于${ORDER_LABELS[before]}`;
    // against a later level deadline the later one is named (by its own rule above), not both
    else if (after && !(after in LEVEL_DEADLINE_LABELS) && at(key)! > at(after)!) detail = `不能晚于${ORDER_LABELS[after]}`;
    if (detail) problems.push({ field, message: `${LEVEL_DEADLINE_LABELS[field]}${detail}`, detail });
  });
  return problems;
}

const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDay(at: Date): string {
  return SHANGHAI_DAY.format(at);
}

/**
 * Calendar days from one instant to another as a clerk counts them on a Beijing-time calendar:
 * the difference of their dates, whatever the hours (3月1日 18:00 → 3月31日 09:00 is 30 days).
 */
export function calendarDaysBetween(from: Date, to: Date): number {
  const day = (at: Date) => Date.parse(`${shanghaiDay(at)}T00:00:00Z`);
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** The spacing problems of a set of deadlines (a missing one is skipped), each naming the later field. */
export function deadlineSpacingProblems(d: Partial<Record<DeadlineField, Date | string | null | undefined>>): Array<{ field: DeadlineField; message: string; detail: string }> {
  const problems: Array<{ field: DeadlineField; message: string; detail: string }> = [];
  for (const rule of DEADLINE_RULES) {
    const from = d[rule.from];
    const to = d[rule.to];
    if (!from || !to) continue;
    const gap = calendarDaysBetween(new Date(from), new Date(to));
    if (gap < rule.days) {
      const detail = `须比${DEADLINE_LABELS[rule.from]}至少晚 ${rule.days} 天（按北京时间自然日计），现为 ${gap} 天`;
      problems.push({ field: rule.to, message: `${DEADLINE_LABELS[rule.to]}${detail}`, detail });
    }
  }
  return problems;
}

const text = (min: number, max: number) => z.string().trim().min(min, min > 1 ? `至少 ${min} 个字符` : '不能为空').max(max, `最多 ${max} 个字符`);
/** A date and time; one without an offset (what a date-time picker gives) is Beijing time. */
const instant = (title: string, description?: string) => field(beijingInstant(), { title, widget: 'datetime', ...(description ? { description } : {}) });
const yesNo = (title: string, description?: string, fallback = false) => field(z.boolean().default(fallback), { title, widget: 'boolean', ...(description ? { description } : {}) });

/** 评审活动信息 › 对外公布信息 and 对内评审方案 */
export const activityBasicFields = {
  name: field(text(2, 50), { title: '评审活动名称', description: '会在个人申报时展示，例如：2026年度成都市工程技术系列中级职称评审工作' }),
  scope: field(text(2, 50), { title: '申报范围', description: '例如：全市在岗从事工程技术专业技术工作的人才' }),
  year: field(z.number().int('请填写年份').min(2000, '年份不正确').max(2100, '年份不正确'), { title: '评审归属年份', widget: 'number' }),
  kind: field(z.enum(keysOf(ACTIVITY_KINDS)), {
    title: '评审活动类别',
    widget: 'select',
    options: options(ACTIVITY_KINDS),
    description: '年度评审活动每个评委会每年只能开展一次；一年需开展多次的选专项评审活动',
  }),
  reviewMethod: field(z.enum(keysOf(REVIEW_METHODS)), { title: '评审方式', widget: 'select', options: options(REVIEW_METHODS) }),
  writtenExam: field(z.enum(keysOf(WRITTEN_EXAMS)), { title: '评委会组织笔试', widget: 'select', options: options(WRITTEN_EXAMS) }),
  defense: field(z.enum(keysOf(DEFENSES)), { title: '是否组织面试答辩', widget: 'select', options: options(DEFENSES) }),
  startsAt: instant('申报开始时间', '个人首次申报的开始时间；申报通知须在此前至少 30 天发布'),
  firstDeadline: instant('个人初次提交截止时间', '至少比申报开始时间晚 30 天'),
  revisionDeadline: instant('个人修改提交截止时间', '被退回的申报材料再次提交的截止时间，至少比初次提交截止时间晚 10 天'),
  receiptDeadline: instant('评委会接收申报截止时间', '单位审核报送的截止时间，至少比修改提交截止时间晚 14 天'),
  // notice 004 三: optional, in order between the applicant's and the committee's deadlines
  unitReviewDeadline: field(beijingInstant().optional(), { title: '单位初次审核截止时间', widget: 'datetime', description: '申报人所在单位（及上级单位）初次审核通过的截止时间，不早于个人初次提交截止时间；不填则只受评委会接收截止时间限制' }),
  departmentReviewDeadline: field(beijingInstant().optional(), { title: '主管部门网上审核截止时间', widget: 'datetime', description: '主管部门初次审核通过的截止时间，不早于单位初次审核截止时间、不晚于个人修改提交截止时间' }),
  departmentRevisionDeadline: field(beijingInstant().optional(), { title: '主管部门修改提交截止时间', widget: 'datetime', description: '退回修改后的申报材料由单位、主管部门审核通过的截止时间，不早于个人修改提交截止时间、不晚于评委会接收截止时间' }),
  healthPage: yesNo('是否显示卫生专用页面'),
  schoolPage: yesNo('是否显示中小学教师专用页面'),
  vocationalPage: yesNo('是否显示中职教师专用页面'),
  policyFiles: optionalFileField({ title: '评审政策文件（对外发布使用）', maxFiles: 10, accept: ['.pdf', '.doc', '.docx', '.jpg', '.jpeg', '.png'] }),
  documentNumber: field(docNumber().optional(), { title: '文号', placeholder: '如：成人社发〔2026〕12号', description: '格式：机关代字〔年份〕序号号' }),
  public: yesNo('是否对外公开', '选“是”的，审核通过后评审活动通知发布到系统首页', true),
  breakthrough: yesNo('是否进行破格评议', '对破格申报人员先开一轮破格评审会议的选“是”'),
  panels: yesNo('是否设置专业组', '选“是”的，普通评审会议先由专业组评议，再全体专家投票'),
  panelMethod: field(z.enum(keysOf(PANEL_METHODS)).optional(), { title: '专业组评审方式', widget: 'select', options: options(PANEL_METHODS), description: '设置专业组时必选' }),
  planFiles: optionalFileField({ title: '评审工作方案（对内审核使用）', maxFiles: 10, accept: ['.pdf', '.doc', '.docx'] }),
};

/** 本次开设的评审专业与级别 */
export const activityOfferingFields = {
  levels: field(z.array(z.enum(keysOf(LEVELS))).max(4).default([]), { title: '开设级别', widget: 'multiselect', options: levelOptions, description: '只能选择评委会备案通过的评审层级' }),
  specialties: field(z.array(text(1, 50)).max(200).default([]), {
    title: '开设专业',
    widget: 'tags',
    description: '按专业备案的评委会只能开设其备案的专业；不填表示开设评委会评审范围内的全部专业',
  }),
  // 川人社 rules: at least 90 hours a year (notice 004 四); an activity may ask more, 0 asks nothing
  minContinuingEducationHours: field(z.number().int('请填写整数').min(0, '不能小于 0').max(1000, '不能大于 1000').default(MIN_CONTINUING_EDUCATION_HOURS), {
    title: '继续教育最低学时',
    widget: 'number',
    description: '申报人填写的继续教育学时不得少于此数；按规定每年累计不少于 90 学时',
  }),
};

export const achievementItem = z.object({
  order: field(z.number().int('序号应为整数').min(1, '序号从 1 开始').max(99, '序号最大 99'), { title: '序号', widget: 'number' }),
  title: field(z.enum(keysOf(ACHIEVEMENT_TITLES)), { title: '展示标题', widget: 'select', options: options(ACHIEVEMENT_TITLES) }),
  templates: field(z.array(z.enum(keysOf(ACHIEVEMENT_TEMPLATES))).min(1, '请至少选择一个模板类别').max(8), {
    title: '模板类别',
    widget: 'multiselect',
    options: options(ACHIEVEMENT_TEMPLATES),
  }),
  requirement: field(text(1, 2000), { title: '业绩要求描述', widget: 'textarea' }),
});
export type AchievementItem = z.infer<typeof achievementItem>;

/** 业绩成果需求配置: shown to applicants in the order of 序号 (two items may not share one). */
export const achievementsSchema = z
  .array(achievementItem)
  .max(50, '最多 50 项')
  .superRefine((items, ctx) => {
    const seen = new Set<number>();
    items.forEach((item, i) => {
      if (seen.has(item.order)) ctx.addIssue({ code: 'custom', path: [i, 'order'], message: `序号 ${item.order} 重复` });
      seen.add(item.order);
    });
  });

const breakthroughItem = z.object({
  name: field(text(1, 100), { title: '破格条件' }),
  description: field(z.string().trim().max(2000, '最多 2000 个字符').optional(), { title: '条件说明', widget: 'textarea' }),
});

const materialItem = z.object({
  name: field(text(1, 100), { title: '材料名称' }),
  required: field(z.boolean().default(true), { title: '是否必须上传', widget: 'boolean' }),
  maxFiles: field(z.number().int().min(1, '至少 1 个').max(20, '最多 20 个').default(5), { title: '最多附件数', widget: 'number' }),
  description: field(z.string().trim().max(1000, '最多 1000 个字符').optional(), { title: '材料说明', widget: 'textarea' }),
});

export const activityConfigFields = {
  achievements: field(achievementsSchema.default([]), { title: '业绩成果要求', widget: 'group', description: '按序号从小到大向申报人展示；新建活动时带入评委会的默认配置' }),
  breakthroughConditions: field(z.array(breakthroughItem).max(50, '最多 50 项').default([]), { title: '破格条件', widget: 'group' }),
  materials: field(z.array(materialItem).max(50, '最多 50 项').default([]), {
    title: '申报材料',
    widget: 'group',
    description: '系统已设置的申报材料上传窗口不要重复配置',
  }),
};

/** The console's five steps (manual §1.2.4.1: 基本信息 → 开设专业 → 业绩成果 → 破格条件 → 申报材料). */
export const ACTIVITY_STEPS = [
  { key: 'basic', title: '基本信息', fields: Object.keys(activityBasicFields) },
  { key: 'offering', title: '开设专业与级别', fields: Object.keys(activityOfferingFields) },
  { key: 'achievements', title: '业绩成果要求', fields: ['achievements'] },
  { key: 'breakthrough', title: '破格条件', fields: ['breakthroughConditions'] },
  { key: 'materials', title: '申报材料', fields: ['materials'] },
];

/**
 * Runs a rule between fields only when the fields it reads parsed: on a value that already failed
 * (a start time "x") it would make up a problem, or throw and turn a 400 into a 500.
 */
const whenParsed = (fields: readonly string[]) => ({
  // a body that is no object at all (absent, a list, a string) has its one issue at the root
  when: (payload: z.core.ParsePayload) =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) && !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))),
});

type ActivityRuleInput = { panels?: boolean; panelMethod?: string | undefined } & Partial<Record<DeadlineField | LevelDeadlineField, string>>;

/** Rules between fields: a panel method with panels, the deadline spacing of notice 000, the levels' deadlines in order (notice 004). */
export function withActivityRules<S extends z.ZodObject>(schema: S): S {
  return schema
    .superRefine(
      (value, ctx) => {
        const v = value as ActivityRuleInput;
        if (v.panels && !v.panelMethod) ctx.addIssue({ code: 'custom', path: ['panelMethod'], message: '设置专业组时请选择专业组评审方式' });
      },
      whenParsed(['panels', 'panelMethod']),
    )
    .superRefine((value, ctx) => {
      for (const p of deadlineSpacingProblems(value as ActivityRuleInput)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.detail });
    }, whenParsed(Object.keys(DEADLINE_LABELS)))
    .superRefine((value, ctx) => {
      for (const p of levelDeadlineProblems(value as ActivityRuleInput)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.detail });
    }, whenParsed([...Object.keys(DEADLINE_LABELS), ...Object.keys(LEVEL_DEADLINE_LABELS)]));
}

/** Everything of 评审活动信息 except the committee, which is chosen once when the activity is created. */
export const activityFieldsSchema = z.object({ ...activityBasicFields, ...activityOfferingFields, ...activityConfigFields });
export const activitySchema = withActivityRules(activityFieldsSchema).meta({ 'x-steps': ACTIVITY_STEPS });
export type ActivityInput = z.infer<typeof activityFieldsSchema>;

/** 评审活动信息: submitted for 发布审核, and edited again when the issuer returns it. */
export const activityForm = defineForm({
  key: 'activity',
  title: '评审活动信息',
  description: '提交后由授权管理单位审核，审核通过即对外发布；被退回的修改后重新提交。撤回则回到草稿，可修改后再提交。',
  variable: 'activity',
  dataRequiredFor: ['submit'],
  opinionRequiredFor: [],
  actionLabels: { submit: '提交审核', withdraw: '撤回' },
  schema: activitySchema as unknown as z.ZodObject,
});

const deadlineChangeFields = {
  firstDeadline: instant('个人初次提交截止时间'),
  revisionDeadline: instant('个人修改提交截止时间'),
  receiptDeadline: instant('评委会接收申报截止时间'),
  reason: field(text(5, 1000), { title: '调整理由', widget: 'textarea', description: '确因不可抗力因素需延长申报时间的，请充分说明理由' }),
};
export const deadlineChangeSchema = z.object(deadlineChangeFields);
export type DeadlineChangeInput = z.infer<typeof deadlineChangeSchema>;

/** 申报时间调整: only later, still spaced as notice 000 requires; the registrar (核准备案单位) decides. */
export const deadlineChangeForm = defineForm({
  key: 'activity-deadline-change',
  title: '评审活动时间调整申请',
  description: '已发布的申报时间只能延后，调整后各时间仍须满足间隔要求；经评委会核准备案单位同意后生效。',
  variable: 'deadlineChange',
  dataRequiredFor: ['submit'],
  opinionRequiredFor: [],
  actionLabels: { submit: '提交申请', withdraw: '撤回申请' },
  schema: deadlineChangeSchema,
});
