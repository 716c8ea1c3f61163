import { maskIdNumber, maskPhone } from '../../src/pii.ts';
import { z } from 'zod';
import { formJsonSchema, getForm } from '../../../forms/index.ts';
import { ACHIEVEMENT_TITLES } from '../../../forms/activity.ts';
import { GENDERS } from '../../../forms/dossier-submit.ts';
import { personOf, templateSpecs, type DeclarationRules } from './dossiers.declaration.ts';

/**
 * 申报材料 as a reader sees it: the declaration in sections (基本信息, 学历, … 附件), each value
 * already in words (options by their labels, 是/否, files as files), and after a resubmission what
 * changed since the return (修改痕迹). The console lays it out; it decides nothing here.
 */

export const caseFileSchema = z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() });
export const caseFieldSchema = z.object({
  /** the value's place in the declaration (`phone`, `achievements.0.number`, `materials.学历证书`) */
  key: z.string(),
  label: z.string(),
  /** the value in words; null when the applicant left it empty (or it is only files) */
  text: z.string().nullable(),
  files: z.array(caseFileSchema),
  /** a long text (工作总结, 成果简介): shown on its own lines */
  long: z.boolean(),
  changed: z.boolean(),
});
export const caseEntrySchema = z.object({ key: z.string(), title: z.string().nullable(), fields: z.array(caseFieldSchema), changed: z.boolean(), added: z.boolean() });
export const caseGroupSchema = z.object({
  key: z.string(),
  title: z.string().nullable(),
  /** the activity's requirement for this group (业绩成果 items) */
  note: z.string().nullable(),
  /** few columns read as a table; many (业绩成果) as one card per entry */
  layout: z.enum(['table', 'cards']),
  entries: z.array(caseEntrySchema),
});
export const caseSectionSchema = z.object({ key: z.string(), title: z.string(), fields: z.array(caseFieldSchema), groups: z.array(caseGroupSchema), changed: z.boolean() });
export const caseChangeSchema = z.object({
  section: z.string(),
  /** where, in words: 基本信息 联系电话, 业绩成果 论文“…” 刊号 */
  label: z.string(),
  kind: z.enum(['changed', 'added', 'removed', 'fileAdded', 'fileRemoved']),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** one line for the list: 修改 联系电话：12345 → 13800001111 */
  text: z.string(),
});

export type CaseFile = z.infer<typeof caseFileSchema>;
export type CaseField = z.infer<typeof caseFieldSchema>;
export type CaseEntry = z.infer<typeof caseEntrySchema>;
export type CaseGroup = z.infer<typeof caseGroupSchema>;
export type CaseSection = z.infer<typeof caseSectionSchema>;
export type CaseChange = z.infer<typeof caseChangeSchema>;

interface JsonSchema {
  title?: string;
  widget?: string;
  type?: string | string[];
  format?: string;
  options?: Array<{ value: string; label: string }>;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}

/** Where each field of the `dossier-submit` form is read; a field not named here goes to 其他信息. */
const SECTIONS: Array<{ key: string; title: string; fields: string[] }> = [
  { key: 'application', title: '申报信息', fields: ['series', 'level', 'specialty'] },
  { key: 'basic', title: '基本信息', fields: ['gender', 'birthDate', 'phone', 'currentTitle', 'currentTitleDate', 'workStartDate'] },
  { key: 'education', title: '学历', fields: ['education', 'school', 'major', 'graduationDate'] },
  { key: 'continuingEducation', title: '继续教育', fields: ['continuingEducationHours'] },
  { key: 'qualifications', title: '资格证书', fields: ['qualifications'] },
  { key: 'workHistory', title: '工作经历', fields: ['workHistory'] },
  { key: 'workSummary', title: '专业技术工作总结', fields: ['workSummary'] },
  { key: 'achievements', title: '业绩成果', fields: ['achievements'] },
  { key: 'breakthrough', title: '破格申报', fields: ['breakthrough', 'breakthroughReasons'] },
  { key: 'materials', title: '申报材料附件', fields: ['materials'] },
];

/** Tables wider than this read better as cards. */
const TABLE_COLUMNS = 6;

const unwrap = (s: JsonSchema | undefined): JsonSchema => (s?.anyOf ? (s.anyOf.find((x) => x.type !== 'null') ?? s) : (s ?? {}));
const filled = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
const isFile = (v: unknown): v is CaseFile => Boolean(v) && typeof v === 'object' && typeof (v as CaseFile).id === 'string' && typeof (v as CaseFile).name === 'string';
const filesOf = (v: unknown): CaseFile[] => (Array.isArray(v) ? v.filter(isFile).map((f) => ({ id: f.id, name: f.name, size: Number(f.size ?? 0), mime: String(f.mime ?? '') })) : []);
const rowsOf = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter((r): r is Record<string, unknown> => Boolean(r) && typeof r === 'object') : []);

/** A value in words, the way its form field names it. */
function words(schema: JsonSchema, value: unknown): string | null {
  if (!filled(value)) return null;
  const s = unwrap(schema);
  const label = (v: unknown) => s.options?.find((o) => o.value === String(v))?.label ?? unwrap(s.items).options?.find((o) => o.value === String(v))?.label ?? String(v);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(label).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return label(value);
}

function fieldOf(key: string, name: string, schema: JsonSchema, value: unknown, label?: string): CaseField {
  const s = unwrap(schema);
  const file = s.widget === 'file';
  return {
    key,
    label: label ?? s.title ?? name,
    text: file ? null : words(s, value),
    files: file ? filesOf(value) : [],
    long: s.widget === 'textarea',
    changed: false,
  };
}

/** A repeatable group of the form (资格证书, 工作经历, 破格理由): one entry per row, its columns from the form. */
function groupOf(key: string, schema: JsonSchema, value: unknown): CaseGroup {
  const columns = Object.entries(unwrap(unwrap(schema).items).properties ?? {});
  const entries = rowsOf(value).map((row, i) => ({
    key: `${key}.${i}`,
    title: `第${i + 1}项`,
    fields: columns.map(([name, s]) => fieldOf(`${key}.${i}.${name}`, name, s, row[name])),
    changed: false,
    added: false,
  }));
  return { key, title: null, note: null, layout: columns.length > TABLE_COLUMNS ? 'cards' : 'table', entries };
}

/**
 * 业绩成果 per item of the activity (序号 and title, with its requirement), each entry with its
 * template's own words for the fields (论文: 刊号, 专利: 专利号) and its attachments.
 */
function achievementGroups(schema: JsonSchema, value: unknown, rules: DeclarationRules): CaseGroup[] {
  const entrySchema = unwrap(unwrap(schema).items).properties ?? {};
  const specs = new Map<string, ReturnType<typeof templateSpecs>[number]>(templateSpecs().map((t) => [t.key, t]));
  const all = rowsOf(value).map((row, i) => {
    const spec = specs.get(String(row.template)) ?? specs.get('general')!;
    const keys = spec.fields.map((f) => [f.key, f.label] as const);
    // a flag the template does not ask for, but the applicant set, is still part of what they declared
    if (!keys.some(([k]) => k === 'afterCurrentTitle') && typeof row.afterCurrentTitle === 'boolean') keys.push(['afterCurrentTitle', entrySchema.afterCurrentTitle?.title ?? '是否取得现职称后业绩成果']);
    const fields = keys.map(([k, label]) => fieldOf(`achievements.${i}.${k}`, k, entrySchema[k] ?? {}, row[k], label));
    fields.push(fieldOf(`achievements.${i}.files`, 'files', entrySchema.files ?? { widget: 'file' }, row.files, '附件'));
    const title = typeof row.title === 'string' && row.title ? `${spec.label}：${row.title}` : spec.label;
    return { item: Number(row.item), entry: { key: `achievements.${i}`, title, fields, changed: false, added: false } };
  });
  if (!rules.achievements.length) return [{ key: 'achievements', title: null, note: null, layout: 'cards', entries: all.map((a) => a.entry) }];
  const groups: CaseGroup[] = rules.achievements.map((item) => ({
    key: `achievements.item${item.order}`,
    title: `${item.order}. ${ACHIEVEMENT_TITLES[item.title as keyof typeof ACHIEVEMENT_TITLES] ?? item.title}`,
    note: item.requirement || null,
    layout: 'cards',
    entries: all.filter((a) => a.item === item.order).map((a) => a.entry),
  }));
  const others = all.filter((a) => !rules.achievements.some((item) => item.order === a.item));
  if (others.length) groups.push({ key: 'achievements.other', title: '其他业绩成果', note: null, layout: 'cards', entries: others.map((a) => a.entry) });
  return groups;
}

/** 申报材料附件: one line per material the activity asks for (and any other the declaration carries). */
function materialFields(value: unknown, rules: DeclarationRules): CaseField[] {
  const rows = rowsOf(value);
  const names = [...rules.materials.map((m) => m.name), ...rows.map((r) => String(r.name)).filter((n) => !rules.materials.some((m) => m.name === n))];
  return names.map((name) => ({
    key: `materials.${name}`,
    label: name,
    text: null,
    files: rows.filter((r) => r.name === name).flatMap((r) => filesOf(r.files)),
    long: false,
    changed: false,
  }));
}

export interface CaseInput {
  data: Record<string, unknown>;
  rules: DeclarationRules;
  applicant: { name: string; idNumber: string | null; unitName: string | null };
  /** a reader other than the applicant: ID and phone numbers shown masked (查看完整 is a separate, audited request) */
  masked?: boolean;
}

/** The declaration in sections, in the order the 评审表 reads. */
export function caseSections({ data: given, rules, applicant, masked = false }: CaseInput): CaseSection[] {
  const data = masked && typeof given.phone === 'string' ? { ...given, phone: maskPhone(given.phone) } : given;
  const form = getForm('dossier-submit');
  const properties = ((form ? formJsonSchema(form).properties : {}) ?? {}) as Record<string, JsonSchema>;
  const placed = new Set(SECTIONS.flatMap((s) => s.fields));
  const sections: CaseSection[] = [];
  for (const def of SECTIONS) {
    const section: CaseSection = { key: def.key, title: def.title, fields: [], groups: [], changed: false };
    if (def.key === 'basic') {
      const fixed = (key: string, label: string, text: string | null): CaseField => ({ key, label, text, files: [], long: false, changed: false });
      // 性别 and 出生日期 come from the ID number (declarations before that rule typed them)
      const person = personOf(applicant.idNumber);
      const gender = person?.gender ?? (typeof data.gender === 'string' ? data.gender : null);
      const birthDate = person?.birthDate ?? (typeof data.birthDate === 'string' ? data.birthDate : null);
      section.fields.push(
        fixed('applicant.name', '姓名', applicant.name),
        fixed('applicant.idNumber', '身份证号', masked ? maskIdNumber(applicant.idNumber) : applicant.idNumber),
        fixed('applicant.gender', '性别', gender ? (GENDERS[gender as keyof typeof GENDERS] ?? gender) : null),
        fixed('applicant.birthDate', '出生日期', birthDate),
        fixed('applicant.unitName', '工作单位', applicant.unitName),
      );
    }
    if (def.key === 'breakthrough' && !rules.breakthrough && data.breakthrough !== true) continue;
    for (const name of def.fields) {
      const schema = properties[name];
      if (!schema) continue;
      if (name === 'achievements') section.groups.push(...achievementGroups(schema, data[name], rules));
      else if (name === 'materials') section.fields.push(...materialFields(data[name], rules));
      else if (unwrap(schema).widget === 'group') section.groups.push(groupOf(name, schema, data[name]));
      else section.fields.push(fieldOf(name, name, schema, data[name]));
    }
    sections.push(section);
  }
  // fields the form gained since (and that no section names yet) are shown, not lost
  const rest = Object.entries(properties).filter(([name]) => !placed.has(name));
  if (rest.length) {
    const other: CaseSection = { key: 'other', title: '其他信息', fields: [], groups: [], changed: false };
    for (const [name, schema] of rest) {
      if (unwrap(schema).widget === 'group') other.groups.push(groupOf(name, schema, data[name]));
      else other.fields.push(fieldOf(name, name, schema, data[name]));
    }
    sections.push(other);
  }
  return sections;
}

interface Leaf {
  section: CaseSection;
  entry: CaseEntry | null;
  field: CaseField;
}

function leavesOf(sections: CaseSection[]): { fields: Map<string, Leaf>; entries: Map<string, { section: CaseSection; entry: CaseEntry }> } {
  const fields = new Map<string, Leaf>();
  const entries = new Map<string, { section: CaseSection; entry: CaseEntry }>();
  for (const section of sections) {
    for (const field of section.fields) fields.set(field.key, { section, entry: null, field });
    for (const group of section.groups) {
      for (const entry of group.entries) {
        entries.set(entry.key, { section, entry });
        for (const field of entry.fields) fields.set(field.key, { section, entry, field });
      }
    }
  }
  return { fields, entries };
}

const where = (leaf: Leaf) => [leaf.section.title, leaf.entry?.title, leaf.field.label].filter(Boolean).join(' ');

/**
 * 修改痕迹: what the resubmitted declaration (`after`, whose sections are marked in place) changed
 * against the one that was returned (`before`): values, entries added or removed, attachments
 * added or removed (a file uploaded again counts as a new attachment).
 */
export function caseChanges(before: CaseSection[], after: CaseSection[]): CaseChange[] {
  const old = leavesOf(before);
  const now = leavesOf(after);
  const changes: CaseChange[] = [];
  const mark = (section: CaseSection, entry: CaseEntry | null, field: CaseField | null) => {
    section.changed = true;
    if (entry) entry.changed = true;
    if (field) field.changed = true;
  };
  for (const [key, { section, entry }] of now.entries) {
    if (old.entries.has(key)) continue;
    entry.added = true;
    mark(section, entry, null);
    const label = [section.title, entry.title].filter(Boolean).join(' ');
    changes.push({ section: section.key, label, kind: 'added', before: null, after: entry.title, text: `新增 ${label}` });
  }
  for (const [key, { section, entry }] of old.entries) {
    if (now.entries.has(key)) continue;
    const current = after.find((s) => s.key === section.key);
    if (current) current.changed = true;
    const label = [section.title, entry.title].filter(Boolean).join(' ');
    changes.push({ section: section.key, label, kind: 'removed', before: entry.title, after: null, text: `删除 ${label}` });
  }
  for (const [key, leaf] of now.fields) {
    const was = old.fields.get(key);
    // an entry added as a whole is named once, not field by field
    if (leaf.entry && !old.entries.has(leaf.entry.key)) continue;
    const label = where(leaf);
    const beforeText = was?.field.text ?? null;
    if (beforeText !== leaf.field.text) {
      mark(leaf.section, leaf.entry, leaf.field);
      changes.push({ section: leaf.section.key, label, kind: 'changed', before: beforeText, after: leaf.field.text, text: `修改 ${label}：${beforeText ?? '（空）'} → ${leaf.field.text ?? '（空）'}` });
    }
    const oldIds = new Set((was?.field.files ?? []).map((f) => f.id));
    const newIds = new Set(leaf.field.files.map((f) => f.id));
    for (const f of leaf.field.files.filter((x) => !oldIds.has(x.id))) {
      mark(leaf.section, leaf.entry, leaf.field);
      changes.push({ section: leaf.section.key, label, kind: 'fileAdded', before: null, after: f.name, text: `新增附件 ${label}：${f.name}` });
    }
    for (const f of (was?.field.files ?? []).filter((x) => !newIds.has(x.id))) {
      mark(leaf.section, leaf.entry, leaf.field);
      // named where it was (the entry may have become another achievement since)
      const from = where(was!);
      changes.push({ section: leaf.section.key, label: from, kind: 'fileRemoved', before: f.name, after: null, text: `删除附件 ${from}：${f.name}` });
    }
  }
  for (const [key, leaf] of old.fields) {
    if (now.fields.has(key) || (leaf.entry && !now.entries.has(leaf.entry.key))) continue;
    // a field no longer shown (another template, a material the activity dropped): what it held is gone
    const current = after.find((s) => s.key === leaf.section.key);
    if (current && (leaf.field.text !== null || leaf.field.files.length)) current.changed = true;
    if (leaf.field.text !== null) changes.push({ section: leaf.section.key, label: where(leaf), kind: 'changed', before: leaf.field.text, after: null, text: `修改 ${where(leaf)}：${leaf.field.text} → （空）` });
    for (const f of leaf.field.files) changes.push({ section: leaf.section.key, label: where(leaf), kind: 'fileRemoved', before: f.name, after: null, text: `删除附件 ${where(leaf)}：${f.name}` });
  }
  return changes;
}
