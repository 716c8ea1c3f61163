import type ExcelJS from 'exceljs';
import { EDUCATION, LEVELS, SERIES } from '../../../forms/catalog.ts';
import { checkIdNumber } from '../../../forms/validators.ts';
import { ValidationError, type FieldProblem } from '../../src/errors.ts';
import { uploadedSheet } from '../../src/xlsx.ts';

/** A 初定 person as entered (one by one, or a row of the import). Series and level are their labels. */
export interface InitialPersonInput {
  personName: string;
  idNumber: string;
  gender: string;
  series: string;
  specialty: string;
  titleName: string;
  level: string;
  employer: string | null;
  education: string | null;
}

type Field = keyof InitialPersonInput;

/** The template's columns, in order; `*` marks what must be filled. */
export const INITIAL_COLUMNS: Array<{ field: Field; header: string; width: number; required: boolean }> = [
  { field: 'personName', header: '姓名*', width: 12, required: true },
  { field: 'idNumber', header: '身份证号*', width: 22, required: true },
  { field: 'gender', header: '性别', width: 8, required: false },
  { field: 'series', header: '系列*', width: 14, required: true },
  { field: 'specialty', header: '专业*', width: 16, required: true },
  { field: 'titleName', header: '职称名称*', width: 16, required: true },
  { field: 'level', header: '层级*', width: 10, required: true },
  { field: 'employer', header: '工作单位', width: 30, required: false },
  { field: 'education', header: '学历', width: 14, required: false },
];

const NAMES: Record<Field, string> = Object.fromEntries(INITIAL_COLUMNS.map((c) => [c.field, c.header.replace('*', '')])) as Record<Field, string>;
const SERIES_LABELS = new Set<string>(Object.values(SERIES));
const LEVEL_LABELS = new Set<string>(Object.values(LEVELS));
const EDUCATION_LABELS = new Set<string>(Object.values(EDUCATION));

/** What the 录入 dialog offers (the labels the checks accept). */
export const INITIAL_OPTIONS = { series: [...SERIES_LABELS], levels: [...LEVEL_LABELS], education: [...EDUCATION_LABELS] };

const text = (v: unknown) => (v == null ? '' : String(v).trim());

/** Checks one person; problems name `<prefix>field` (400 with every problem of the person). */
export function checkInitialPerson(input: Record<string, unknown>, prefix: string, problems?: FieldProblem[]): InitialPersonInput {
  const own: FieldProblem[] = [];
  const bad = (field: Field, message: string) => own.push({ field: `${prefix}${field}`, message: `${NAMES[field]}：${message}` });
  const v = Object.fromEntries(INITIAL_COLUMNS.map((c) => [c.field, text(input[c.field])])) as Record<Field, string>;
  for (const c of INITIAL_COLUMNS) if (c.required && !v[c.field]) bad(c.field, '必填');
  if (v.personName.length > 50) bad('personName', '最多 50 个字符');
  let gender = v.gender;
  if (v.idNumber) {
    const id = checkIdNumber(v.idNumber);
    if (!id.ok) bad('idNumber', id.reason);
    else {
      v.idNumber = id.value;
      const fromId = id.sex === 'male' ? '男' : '女';
      if (gender && gender !== fromId) bad('gender', `与身份证号不符（应为${fromId}）`);
      gender = fromId;
    }
  }
  if (gender && gender !== '男' && gender !== '女') bad('gender', '应为“男”或“女”');
  if (v.series && !SERIES_LABELS.has(v.series)) bad('series', `不是有效的系列（如：${SERIES.engineering}）`);
  if (v.level && !LEVEL_LABELS.has(v.level)) bad('level', `应为 ${[...LEVEL_LABELS].join('、')} 之一`);
  if (v.education && !EDUCATION_LABELS.has(v.education)) bad('education', `应为 ${[...EDUCATION_LABELS].join('、')} 之一`);
  for (const f of ['specialty', 'titleName', 'employer'] as const) if (v[f].length > 100) bad(f, '最多 100 个字符');
  if (own.length) {
    if (problems) problems.push(...own);
    else throw new ValidationError(own.map((p) => p.message).join('；'), own);
  }
  return { ...v, gender, employer: v.employer || null, education: v.education || null };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((t) => t.text).join('').trim();
  if (typeof value === 'object' && 'text' in value) return String(value.text ?? '').trim();
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '').trim();
  return String(value as unknown).trim();
}

/** Reads the 初定人员 sheet: columns by their titles, empty rows skipped; a bad row refuses the file. */
export async function parseInitialWorkbook(content: Buffer): Promise<InitialPersonInput[]> {
  const sheet = await uploadedSheet(content, { sheet: '初定人员', notWorkbook: '文件不是有效的 Excel 工作簿：请下载模板填写，以 .xlsx 格式保存后上传', noSheet: '工作簿中没有工作表' });
  const header = sheet.getRow(1).values as ExcelJS.CellValue[];
  const index = new Map<Field, number>();
  for (let i = 1; i < header.length; i++) {
    const title = cellText(header[i]).replace(/[\s*＊]/g, '');
    const column = INITIAL_COLUMNS.find((c) => c.header.replace('*', '') === title);
    if (column && !index.has(column.field)) index.set(column.field, i);
  }
  const missing = INITIAL_COLUMNS.filter((c) => c.required && !index.has(c.field));
  if (missing.length) throw new ValidationError(`表头缺少${missing.map((c) => `“${c.header.replace('*', '')}”`).join('、')}列：请下载模板，按模板的第一行表头填写`, missing.map((c) => ({ field: c.field, message: '缺少此列' })));
  const problems: FieldProblem[] = [];
  const persons: InitialPersonInput[] = [];
  const seen = new Map<string, number>();
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = row.values as ExcelJS.CellValue[];
    const values: Record<string, string> = {};
    for (const [field, at] of index) values[field] = cellText(cells[at]);
    if (!Object.values(values).some(Boolean)) return;
    const before = problems.length;
    const person = checkInitialPerson(values, `rows.${rowNumber}.`, problems);
    for (let i = before; i < problems.length; i++) problems[i]!.message = `第 ${rowNumber} 行 ${problems[i]!.message}`;
    const key = `${person.idNumber}|${person.series}|${person.level}`;
    if (problems.length === before && seen.has(key)) problems.push({ field: `rows.${rowNumber}.idNumber`, message: `第 ${rowNumber} 行 与第 ${seen.get(key)} 行重复` });
    seen.set(key, rowNumber);
    persons.push(person);
  });
  if (problems.length) throw new ValidationError(`导入文件有 ${problems.length} 处错误，未导入：${problems.slice(0, 5).map((p) => p.message).join('；')}`, problems);
  if (!persons.length) throw new ValidationError('导入文件没有人员', [{ field: 'fileId', message: '没有数据行' }]);
  return persons;
}
