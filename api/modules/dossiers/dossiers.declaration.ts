import type { Knex } from 'knex';
import { ACHIEVEMENT_TEMPLATES, ACHIEVEMENT_TITLES, shanghaiDay, type AchievementItem } from '../../../forms/activity.ts';
import { LEVELS, SERIES } from '../../../forms/catalog.ts';
import { declarationDateProblems, type AchievementEntry, type DeclarationDates } from '../../../forms/dossier-submit.ts';
import { checkIdNumber } from '../../../forms/validators.ts';
import type { Clock } from '../../../engine/types.ts';
import { ValidationError, type FieldProblem } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { revealUserIdNumber, userIdNumberColumns } from '../staff/users.pii.ts';

/** What of an activity shapes the declaration (业绩成果, 破格, 申报材料, series, levels and specialties opened, hours). */
export interface DeclarationRules {
  name: string;
  /** the series it opens: its committee's (empty when unknown, then nothing is restricted) */
  series: string[];
  /** the levels it opens, or its committee's when it names none */
  levels: string[];
  /** the specialties it opens, or its committee's when it names none (empty: any) */
  specialties: string[];
  /** 继续教育最低学时 */
  minContinuingEducationHours: number;
  achievements: AchievementItem[];
  breakthrough: boolean;
  breakthroughConditions: Array<{ name: string; description?: string | undefined }>;
  materials: Array<{ name: string; required: boolean; maxFiles: number; description?: string | undefined }>;
}

const json = <T>(value: unknown, fallback: T): T => (value == null ? fallback : ((typeof value === 'string' ? JSON.parse(value) : value) as T));

/**
 * The activity's and its committee's columns the rules read, for a query joining `activities as a`
 * and `committees as c`.
 */
export const RULE_COLUMNS = [
  'a.name',
  'a.levels',
  'a.specialties',
  'a.achievements',
  'a.breakthrough',
  'a.breakthrough_conditions',
  'a.materials',
  'a.min_continuing_education_hours',
  'c.series as committee_series',
  'c.levels as committee_levels',
  'c.specialties as committee_specialties',
];

const list = (v: unknown): string[] => (v as string[] | null) ?? [];

export function rulesOf(row: Record<string, unknown>): DeclarationRules {
  const levels = list(row.levels);
  const specialties = list(row.specialties);
  return {
    name: String(row.name),
    series: row.committee_series ? [String(row.committee_series)] : [],
    levels: levels.length ? levels : list(row.committee_levels),
    specialties: specialties.length ? specialties : list(row.committee_specialties),
    minContinuingEducationHours: Number(row.min_continuing_education_hours ?? 0),
    achievements: [...json<AchievementItem[]>(row.achievements, [])].sort((a, b) => a.order - b.order),
    breakthrough: Boolean(row.breakthrough),
    breakthroughConditions: json(row.breakthrough_conditions, []),
    materials: json(row.materials, []),
  };
}

type Field = keyof AchievementEntry;

/**
 * The fields each 业绩成果 template marks required (manual §1.2.4.1.1–8), with the template's own
 * word for them. 名称 and 时间 are required for every template by the form itself.
 */
export const TEMPLATE_FIELDS: Record<keyof typeof ACHIEVEMENT_TEMPLATES, { labels: Partial<Record<Field, string>>; required: Field[] }> = {
  general: { labels: { title: '专业技术工作名称', date: '开始时间', endDate: '结束时间', afterCurrentTitle: '是否取得现职称后业绩成果', description: '工作内容/本人作用' }, required: ['endDate', 'afterCurrentTitle'] },
  patent: { labels: { title: '专利名称/标准名称', category: '专利类别', number: '专利号', date: '批准时间/颁布时间', rank: '完成人排名', organisation: '授权国别或组织' }, required: ['rank', 'organisation'] },
  award: {
    labels: { title: '奖项/荣誉称号名称', organisation: '奖项授予单位', awardLevel: '奖项级别', awardGrade: '获奖等次', date: '获奖时间', rank: '完成人排名', number: '证书编号' },
    required: ['organisation', 'awardLevel'],
  },
  paper: {
    labels: { title: '论文名称', date: '发表时间', category: '类别', publication: '刊物名称', number: '刊号', rank: '作者排名', words: '本人完成字数' },
    required: ['category', 'publication', 'number', 'rank', 'words'],
  },
  sci_tech_award: { labels: { title: '项目名称', date: '获奖时间', awardLevel: '奖项级别', rank: '本人排名', organisation: '授予机构' }, required: ['awardLevel'] },
  report: { labels: { title: '重要专业报告名称', date: '发表时间', publication: '刊物名称/主办单位', rank: '作者排名' }, required: ['rank'] },
  book: {
    labels: { title: '著作/译著名称', date: '发行时间', category: '类别', number: '版号', rank: '作者排名', organisation: '出版单位', words: '本人完成字数' },
    required: ['category', 'rank', 'organisation', 'words'],
  },
  standard: { labels: { title: '标准名称', category: '类别', number: '标准号', date: '发布时间', rank: '本人排名' }, required: ['category', 'number'] },
};

const FIELD_TYPES: Partial<Record<Field, 'date' | 'boolean' | 'number' | 'textarea'>> = { date: 'date', endDate: 'date', afterCurrentTitle: 'boolean', words: 'number', description: 'textarea' };

/** The eight templates as the portal renders them: label, and each field with its word, type and whether it is required. */
export function templateSpecs() {
  return (Object.keys(TEMPLATE_FIELDS) as Array<keyof typeof TEMPLATE_FIELDS>).map((key) => {
    const spec = TEMPLATE_FIELDS[key];
    const keys = ['title', 'date', ...(Object.keys(spec.labels) as Field[]).filter((k) => k !== 'title' && k !== 'date')] as Field[];
    if (!keys.includes('description')) keys.push('description');
    return {
      key,
      label: ACHIEVEMENT_TEMPLATES[key],
      fields: keys.map((k) => ({ key: k, label: spec.labels[k] ?? (k === 'description' ? '成果简介' : k), type: FIELD_TYPES[k] ?? 'text', required: k === 'title' || k === 'date' || spec.required.includes(k) })),
    };
  });
}

const filled = (v: unknown) => v !== undefined && v !== null && v !== '';

interface Declaration extends DeclarationDates {
  series?: string;
  continuingEducationHours?: number;
  level?: string;
  specialty?: string;
  achievements?: AchievementEntry[];
  breakthrough?: boolean;
  breakthroughReasons?: Array<{ condition: string; reason: string }>;
  materials?: Array<{ name: string; files?: unknown[] }>;
}

/**
 * The activity's own rules for a declaration already valid against the static form: the level
 * and specialty it opens, one entry at least for each of its 业绩成果 items in one of the item's
 * templates with that template's required fields, 破格 only where the activity reviews it (and
 * then a reason for a condition it lists), and every required 申报材料 with files within its limit.
 * Each problem names its field (under `data.`) in Chinese.
 */
export function declarationProblems(rules: DeclarationRules, d: Declaration): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `data.${field}`, message });
  if (d.series && rules.series.length && !rules.series.includes(d.series)) {
    add('series', `申报系列须为本次评审活动开放的系列（${rules.series.map((x) => SERIES[x as keyof typeof SERIES] ?? x).join('、')}），不能申报“${SERIES[d.series as keyof typeof SERIES] ?? d.series}”`);
  }
  if (d.level && rules.levels.length && !rules.levels.includes(d.level)) {
    add('level', `申报级别：本次评审活动未开设“${LEVELS[d.level as keyof typeof LEVELS] ?? d.level}”，可选：${rules.levels.map((l) => LEVELS[l as keyof typeof LEVELS] ?? l).join('、')}`);
  }
  if (d.specialty && rules.specialties.length && !rules.specialties.includes(d.specialty)) {
    add('specialty', `申报专业：本次评审活动未开设“${d.specialty}”专业，可选：${rules.specialties.join('、')}`);
  }
  if (d.continuingEducationHours != null && d.continuingEducationHours < rules.minContinuingEducationHours) {
    add('continuingEducationHours', `继续教育学时不足：本次活动要求不少于 ${rules.minContinuingEducationHours} 学时，现为 ${d.continuingEducationHours} 学时`);
  }
  const entries = d.achievements ?? [];
  const items = new Map(rules.achievements.map((i) => [i.order, i]));
  entries.forEach((e, i) => {
    const at = `achievements.${i}`;
    const prefix = `业绩成果 第${i + 1}项`;
    if (!rules.achievements.length) return;
    const item = e.item == null ? undefined : items.get(e.item);
    if (!item) {
      add(`${at}.item`, `${prefix}：请选择所属的业绩成果项（序号 ${rules.achievements.map((x) => x.order).join('、')}）`);
      return;
    }
    if (!e.template || !item.templates.includes(e.template)) {
      add(`${at}.template`, `${prefix}：模板类别应为 ${item.templates.map((t) => ACHIEVEMENT_TEMPLATES[t]).join('、')} 之一`);
      return;
    }
    const spec = TEMPLATE_FIELDS[e.template];
    for (const f of spec.required) {
      if (!filled(e[f])) add(`${at}.${f}`, `${prefix}（${ACHIEVEMENT_TEMPLATES[e.template]}）：${spec.labels[f] ?? f}必填`);
    }
  });
  for (const item of rules.achievements) {
    if (!entries.some((e) => e.item === item.order)) {
      add('achievements', `业绩成果：请填写“${ACHIEVEMENT_TITLES[item.title] ?? item.title}”（序号 ${item.order}）至少一项`);
    }
  }
  const reasons = d.breakthroughReasons ?? [];
  if (d.breakthrough && !rules.breakthrough) add('breakthrough', '是否破格申报：本次评审活动不进行破格评议，不能破格申报');
  else if (!d.breakthrough && reasons.length) add('breakthroughReasons', '破格申报理由：不是破格申报的，不填写破格申报理由');
  else if (d.breakthrough) {
    if (!reasons.length) add('breakthroughReasons', '破格申报理由：破格申报的须说明所依据的破格条件和理由');
    const names = rules.breakthroughConditions.map((c) => c.name);
    reasons.forEach((r, i) => {
      if (names.length && !names.includes(r.condition)) add(`breakthroughReasons.${i}.condition`, `破格申报理由 第${i + 1}项 破格条件：应为 ${names.join('、')} 之一`);
    });
  }
  const given = d.materials ?? [];
  for (const m of rules.materials) {
    const files = given.filter((g) => g.name === m.name).flatMap((g) => g.files ?? []);
    if (m.required && !files.length) add('materials', `申报材料附件：请上传“${m.name}”`);
    if (files.length > m.maxFiles) add('materials', `申报材料附件：“${m.name}”最多 ${m.maxFiles} 个附件，现为 ${files.length} 个`);
  }
  given.forEach((g, i) => {
    if (!rules.materials.some((m) => m.name === g.name)) add(`materials.${i}.name`, `申报材料附件 第${i + 1}项 材料名称：本次评审活动没有要求“${g.name}”`);
  });
  return problems;
}

/** The rules of the activity a dossier case belongs to, and the applicant's ID number. */
export async function rulesOfCase(db: Knex, rootInstanceId: string): Promise<{ rules: DeclarationRules; idNumber: string | null } | null> {
  const row = await db('dossiers as d')
    .join('activities as a', 'a.id', 'd.activity_id')
    .join('committees as c', 'c.id', 'a.committee_id')
    .join('users as u', 'u.id', 'd.applicant_id')
    .select(...RULE_COLUMNS, ...userIdNumberColumns('u', 'applicant_id_number'))
    .where('d.instance_id', rootInstanceId)
    .first();
  return row ? { rules: rulesOf(row as Record<string, unknown>), idNumber: revealUserIdNumber(db, row as object, 'applicant_id_number') } : null;
}

/** 性别 and 出生日期 as the applicant's ID number gives them (null without a valid one). */
export function personOf(idNumber: string | null | undefined): { gender: 'male' | 'female'; birthDate: string } | null {
  const id = idNumber ? checkIdNumber(idNumber) : null;
  return id?.ok ? { gender: id.sex, birthDate: id.birthDate } : null;
}

/**
 * Completion check of 提交申报材料 / 修改并重新提交: the activity's rules and the rules of time
 * (against today in Beijing and the birth date of the applicant's ID number), all problems at
 * once (400).
 */
export function createDeclarationCheck(db: Knex, clock: Clock): CompletionCheck {
  return async ({ task, action, data }) => {
    if (task.processKey !== 'dossier-review' || action !== 'submit') return;
    const found = await rulesOfCase(db, task.rootInstanceId);
    if (!found) return;
    const { rules, idNumber } = found;
    const dates = declarationDateProblems(data as Declaration, { today: shanghaiDay(clock.now()), birthDate: personOf(idNumber)?.birthDate ?? null });
    const problems = [...declarationProblems(rules, data as Declaration), ...dates.map((p) => ({ field: `data.${p.field}`, message: p.message }))];
    // 诚信承诺: every submission, the first and each after a return, accepts it again
    if ((data as { pledge?: unknown }).pledge !== true) problems.push({ field: 'data.pledge', message: '诚信承诺：请阅读并勾选同意诚信承诺后提交' });
    if (problems.length) throw new ValidationError(`申报材料不符合“${rules.name}”的要求：${problems.map((p) => p.message).join('；')}`, problems);
  };
}
