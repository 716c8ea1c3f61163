import ExcelJS from 'exceljs';
import { SERIES } from '../../../forms/catalog.ts';
import { expertSchema, POST_LEVELS, SEXES, type ExpertInput } from '../../../forms/expert.ts';
import { ValidationError } from '../../src/errors.ts';
import { uploadedSheet } from '../../src/xlsx.ts';

/**
 * 批量新增专家: the import template, the parse-and-check of an uploaded workbook, and the copy of
 * its bad rows with each faulty cell filled red and carrying the reason as a note. Pure
 * functions over bytes and rows (the database part is in the service), so the benchmark times
 * exactly what a check does.
 */

export type ExpertField = keyof ExpertInput;

type Kind = 'text' | 'id' | 'birthMonth' | 'bool' | 'enum' | 'region';

export interface ImportColumn {
  field: ExpertField;
  header: string;
  required: boolean;
  kind: Kind;
  width: number;
  note: string;
  /** enum columns: label → stored value */
  choices?: Record<string, string>;
}

const invert = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k]));

export const IMPORT_COLUMNS: ImportColumn[] = [
  { field: 'name', header: '姓名', required: true, kind: 'text', width: 12, note: '必填，最多 10 个字' },
  { field: 'idNumber', header: '证件号码', required: true, kind: 'id', width: 22, note: '必填，18 位居民身份证号码（末位可为 X）；请保持文本格式，以免 Excel 把它变成数值' },
  { field: 'sex', header: '性别', required: false, kind: 'enum', width: 8, note: '男 / 女；可不填，由证件号码得出，填写时须与证件号码一致', choices: invert(SEXES) },
  { field: 'birthMonth', header: '出生日期', required: false, kind: 'birthMonth', width: 12, note: '格式 yyyyMM，如 197307；可不填，由证件号码得出，填写时须与证件号码一致' },
  { field: 'retired', header: '是否退休', required: false, kind: 'bool', width: 10, note: '是 / 否，不填为否' },
  { field: 'employer', header: '工作单位', required: true, kind: 'text', width: 28, note: '必填，最多 30 个字' },
  { field: 'department', header: '主管单位', required: false, kind: 'text', width: 20, note: '最多 30 个字' },
  { field: 'post', header: '行政职务', required: true, kind: 'text', width: 14, note: '必填，最多 20 个字；没有行政职务的填“无”' },
  { field: 'postLevel', header: '行政职务级别', required: false, kind: 'enum', width: 14, note: '从下拉列表选择', choices: invert(POST_LEVELS) },
  { field: 'phone1', header: '联系电话1', required: true, kind: 'text', width: 15, note: '必填，手机 11 位，或区号-号码' },
  { field: 'phone2', header: '联系电话2', required: false, kind: 'text', width: 15, note: '手机 11 位，或区号-号码' },
  { field: 'honours', header: '所获荣誉、称号', required: true, kind: 'text', width: 30, note: '必填，最多 300 个字；没有的填“无”' },
  { field: 'series', header: '现专业技术系列', required: false, kind: 'enum', width: 16, note: '从下拉列表选择', choices: invert(SERIES) },
  { field: 'specialty', header: '现从事专业', required: true, kind: 'text', width: 16, note: '必填，最多 30 个字；专家抽选按现从事专业分组' },
  { field: 'currentTitle', header: '现职称', required: true, kind: 'text', width: 16, note: '必填，如：高级工程师、正高级工程师' },
  { field: 'isChair', header: '主任委员', required: false, kind: 'bool', width: 10, note: '是 / 否，不填为否' },
  { field: 'isViceChair', header: '副主任委员', required: false, kind: 'bool', width: 11, note: '是 / 否，不填为否；不能同时是主任委员' },
  { field: 'active', header: '是否活跃', required: false, kind: 'bool', width: 10, note: '是 / 否，不填为是；不活跃的专家不参加专家抽选' },
  { field: 'regionCode', header: '所在地区', required: false, kind: 'region', width: 22, note: '从下拉列表选择，也可填 6 位行政区划代码' },
];

const COLUMN_OF = new Map(IMPORT_COLUMNS.map((c) => [c.field, c]));

/** The header text a column shows in the template (required ones starred, as in the manual). */
export const headerText = (c: ImportColumn) => (c.required ? `*${c.header}` : c.header);

export const DATA_SHEET = '专家信息';
const OPTIONS_SHEET = '选项';
/** rows of the template that get dropdowns */
const VALIDATED_ROWS = 10_000;
export const MAX_IMPORT_ROWS = 20_000;

/** The template's example row; a row equal to it is skipped on import. */
export const EXAMPLE_ROW: Record<ExpertField, string> = {
  name: '张三',
  idNumber: '510106197307287217',
  sex: '男',
  birthMonth: '197307',
  retired: '否',
  employer: '成都示范科技有限公司',
  department: '成都市经济和信息化局',
  post: '总工程师',
  postLevel: '无',
  phone1: '13800000001',
  phone2: '028-85000001',
  honours: '四川省学术和技术带头人',
  series: '工程技术',
  specialty: '机械工程',
  currentTitle: '正高级工程师',
  isChair: '否',
  isViceChair: '否',
  active: '是',
  regionCode: '四川省成都市',
};

export interface RegionOption {
  code: string;
  label: string;
}

/** Region choices for the dropdown: 四川省 / 四川省成都市 / 四川省成都市锦江区. */
export function regionOptions(list: Array<{ code: string; name: string; parentCode: string | null }>): RegionOption[] {
  const byCode = new Map(list.map((r) => [r.code, r]));
  return list.map((r) => {
    const names: string[] = [];
    for (let x: typeof r | undefined = r; x; x = x.parentCode ? byCode.get(x.parentCode) : undefined) names.unshift(x.name);
    return { code: r.code, label: names.join('') };
  });
}

export type RowValues = Partial<Record<ExpertField, string>>;

export interface CellProblem {
  column: string;
  field: ExpertField;
  message: string;
}

export interface BadRow {
  /** row number in the uploaded sheet */
  row: number;
  values: RowValues;
  errors: CellProblem[];
}

export interface GoodRow {
  row: number;
  data: ExpertInput;
}

export interface ParsedRow {
  row: number;
  values: RowValues;
  /** the ID number cell held a number too long for Excel to keep exactly */
  lossyIdNumber?: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function cellText(value: ExcelJS.CellValue, kind: Kind): { text: string; lossy?: boolean } {
  if (value == null) return { text: '' };
  if (typeof value === 'string') return { text: value.trim() };
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return { text: BigInt(value).toString(), lossy: true };
    return { text: String(value) };
  }
  if (typeof value === 'boolean') return { text: value ? '是' : '否' };
  if (value instanceof Date) {
    // Excel dates come back as UTC midnights
    const ym = `${value.getUTCFullYear()}${pad2(value.getUTCMonth() + 1)}`;
    return { text: kind === 'birthMonth' ? ym : `${ym.slice(0, 4)}-${ym.slice(4)}-${pad2(value.getUTCDate())}` };
  }
  if ('richText' in value) return { text: value.richText.map((t) => t.text).join('').trim() };
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, kind);
  if ('hyperlink' in value) return { text: String(value.text ?? '').trim() };
  if ('error' in value) return { text: String(value.error) };
  return { text: String(value as unknown).trim() };
}

const normalizeHeader = (h: string) => h.replace(/[\s*＊]/g, '');

function headerOf(value: ExcelJS.CellValue): string {
  return normalizeHeader(cellText(value, 'text').text);
}

/**
 * Reads the data sheet of an uploaded workbook: the header row maps columns by their titles
 * (order free, extra columns ignored); empty rows and the template's example row are skipped.
 */
export async function parseExpertWorkbook(content: Buffer): Promise<ParsedRow[]> {
  const sheet = await uploadedSheet(content, {
    sheet: DATA_SHEET,
    notWorkbook: '文件不是有效的 Excel 工作簿：请使用导入模板，以 .xlsx 格式保存后上传（.xls 请在 Excel 中另存为 .xlsx）',
    noSheet: '工作簿中没有工作表',
  });
  const header = sheet.getRow(1).values as ExcelJS.CellValue[];
  const index = new Map<ExpertField, number>();
  for (let i = 1; i < header.length; i++) {
    const title = headerOf(header[i]);
    const column = IMPORT_COLUMNS.find((c) => c.header === title);
    if (column && !index.has(column.field)) index.set(column.field, i);
  }
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !index.has(c.field));
  if (missing.length) {
    const names = missing.map((c) => `“${c.header}”`).join('、');
    throw new ValidationError(`表头缺少${names}列：请下载专家导入模板，按模板的第一行表头填写`, missing.map((c) => ({ field: c.field, message: '缺少此列' })));
  }
  const columns = IMPORT_COLUMNS.filter((c) => index.has(c.field)).map((c) => ({ column: c, at: index.get(c.field)! }));
  const rows: ParsedRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = row.values as ExcelJS.CellValue[];
    const values: RowValues = {};
    let any = false;
    let lossy = false;
    for (const { column, at } of columns) {
      const cell = cellText(cells[at], column.kind);
      if (cell.text) {
        values[column.field] = cell.text;
        any = true;
        if (cell.lossy && column.kind === 'id') lossy = true;
      }
    }
    if (!any || isExample(values)) return;
    rows.push(lossy ? { row: rowNumber, values, lossyIdNumber: true } : { row: rowNumber, values });
  });
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new ValidationError(`一次最多导入 ${MAX_IMPORT_ROWS} 名专家，本文件有 ${rows.length} 行，请分成几个文件导入`, [{ field: 'fileId', message: '行数过多' }]);
  }
  return rows;
}

function isExample(values: RowValues): boolean {
  if (values.idNumber !== EXAMPLE_ROW.idNumber || values.name !== EXAMPLE_ROW.name) return false;
  return IMPORT_COLUMNS.every((c) => (values[c.field] ?? '') === EXAMPLE_ROW[c.field]);
}

const BOOLEANS: Record<string, boolean> = { 是: true, 否: false };

export interface RowChecker {
  check(row: ParsedRow): { ok: true; data: ExpertInput } | { ok: false; errors: CellProblem[] };
}

/** Compiles the per-row check once (lookups of labels and regions), to run in a tight loop. */
export function createRowChecker(regions: RegionOption[]): RowChecker {
  const regionCodes = new Map<string, string>();
  for (const r of regions) {
    regionCodes.set(r.label, r.code);
    regionCodes.set(r.code, r.code);
  }
  const columns = IMPORT_COLUMNS;
  return {
    check(parsed) {
      const errors: CellProblem[] = [];
      const input: Record<string, unknown> = {};
      const failed = new Set<string>();
      const fail = (c: ImportColumn, message: string) => {
        failed.add(c.field);
        errors.push({ column: c.header, field: c.field, message });
      };
      for (const c of columns) {
        const raw = parsed.values[c.field];
        if (raw === undefined || raw === '') continue;
        switch (c.kind) {
          case 'bool': {
            const b = BOOLEANS[raw];
            if (b === undefined) fail(c, '请填写“是”或“否”');
            else input[c.field] = b;
            break;
          }
          case 'enum': {
            const v = c.choices![raw];
            if (v === undefined) fail(c, `“${raw}”不在可选范围内，请从下拉列表中选择`);
            else input[c.field] = v;
            break;
          }
          case 'region': {
            const code = regionCodes.get(raw.replace(/\s+/g, ''));
            if (code === undefined) fail(c, `“${raw}”不是可选的地区，请从下拉列表中选择`);
            else input[c.field] = code;
            break;
          }
          default:
            input[c.field] = raw;
        }
      }
      if (parsed.lossyIdNumber) fail(COLUMN_OF.get('idNumber')!, '证件号码被 Excel 存成了数值，末几位已丢失：请把该列设为文本格式后重新填写');
      const result = expertSchema.safeParse(input);
      if (result.success && !errors.length) return { ok: true, data: result.data };
      if (!result.success) {
        for (const issue of result.error.issues) {
          const c = COLUMN_OF.get(String(issue.path[0]) as ExpertField);
          if (!c || failed.has(c.field)) continue;
          failed.add(c.field);
          errors.push({ column: c.header, field: c.field, message: issue.message });
        }
      }
      errors.sort((a, b) => columns.indexOf(COLUMN_OF.get(a.field)!) - columns.indexOf(COLUMN_OF.get(b.field)!));
      return { ok: false, errors };
    },
  };
}

export interface CheckResult {
  good: GoodRow[];
  bad: BadRow[];
}

/**
 * Checks every row and the ID numbers across rows: a number that occurs on several rows marks
 * all of them, since only the clerk knows which one is right. Rows stay in sheet order.
 */
export function checkExpertRows(rows: ParsedRow[], checker: RowChecker): CheckResult {
  const outcomes = rows.map((r) => ({ parsed: r, result: checker.check(r) }));
  const seen = new Map<string, number[]>();
  for (const o of outcomes) {
    const id = o.result.ok ? o.result.data.idNumber : o.parsed.values.idNumber?.toUpperCase();
    if (!id || (!o.result.ok && o.result.errors.some((e) => e.field === 'idNumber'))) continue;
    const list = seen.get(id);
    if (list) list.push(o.parsed.row);
    else seen.set(id, [o.parsed.row]);
  }
  const good: GoodRow[] = [];
  const bad: BadRow[] = [];
  for (const o of outcomes) {
    const errors = o.result.ok ? [] : [...o.result.errors];
    const id = o.result.ok ? o.result.data.idNumber : o.parsed.values.idNumber?.toUpperCase();
    const rowsWithId = id ? seen.get(id) : undefined;
    if (rowsWithId && rowsWithId.length > 1) {
      const others = rowsWithId.filter((n) => n !== o.parsed.row);
      errors.unshift({ column: '证件号码', field: 'idNumber', message: `证件号码在文件中重复（与第 ${others.join('、')} 行相同）` });
    }
    if (o.result.ok && !errors.length) good.push({ row: o.parsed.row, data: o.result.data });
    else bad.push({ row: o.parsed.row, values: o.parsed.values, errors: sortErrors(errors) });
  }
  return { good, bad };
}

function sortErrors(errors: CellProblem[]): CellProblem[] {
  return errors.sort((a, b) => IMPORT_COLUMNS.indexOf(COLUMN_OF.get(a.field)!) - IMPORT_COLUMNS.indexOf(COLUMN_OF.get(b.field)!));
}

/** Moves good rows whose ID number the pool already holds to the bad ones, reason given. */
export function markPoolDuplicates(result: CheckResult, taken: Map<string, string>): CheckResult {
  const good: GoodRow[] = [];
  const moved: BadRow[] = [];
  for (const g of result.good) {
    const status = taken.get(g.data.idNumber);
    if (status === undefined) {
      good.push(g);
      continue;
    }
    moved.push({ row: g.row, values: valuesOf(g), errors: [{ column: '证件号码', field: 'idNumber', message: `证件号码已在本评委会专家库中（${status}）` }] });
  }
  const bad = [...result.bad, ...moved].sort((a, b) => a.row - b.row);
  return { good, bad };
}

/** A good row written back as the cells it came from (for the bad-row file). */
function valuesOf(g: GoodRow): RowValues {
  const out: RowValues = {};
  const d = g.data as Record<string, unknown>;
  for (const c of IMPORT_COLUMNS) {
    const v = d[c.field];
    if (v === undefined || v === null) continue;
    if (c.kind === 'bool') out[c.field] = v ? '是' : '否';
    else if (c.kind === 'enum') out[c.field] = Object.entries(c.choices!).find(([, value]) => value === v)?.[0] ?? String(v);
    else if (c.kind === 'birthMonth') out[c.field] = String(v).replace('-', '');
    else out[c.field] = String(v);
  }
  return out;
}

// ------------------------------------------------------------------ workbooks

export const RED_FILL = 'FFFF0000';

type SheetWithValidations = ExcelJS.Worksheet & { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } };

/** The data sheet: starred headers with a note on each, text format where Excel would mangle digits, dropdowns from a hidden options sheet. */
function addExpertSheet(workbook: ExcelJS.Workbook, regions: RegionOption[], extraHeaders: string[] = []): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] }) as SheetWithValidations;
  const options = workbook.addWorksheet(OPTIONS_SHEET, { state: 'hidden' });
  sheet.columns = [...IMPORT_COLUMNS.map((c) => ({ header: headerText(c), width: c.width })), ...extraHeaders.map((h) => ({ header: h, width: h === '错误原因' ? 60 : 10 }))];
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.height = 20;
  const lists: Array<{ at: number; values: string[] }> = [];
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.note = c.note;
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    if (c.kind === 'id' || c.kind === 'birthMonth' || c.field === 'phone1' || c.field === 'phone2') sheet.getColumn(i + 1).numFmt = '@';
    const letter = sheet.getColumn(i + 1).letter;
    const range = `${letter}2:${letter}${VALIDATED_ROWS + 1}`;
    const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'error', errorTitle: c.header, error: '请从下拉列表中选择' } as const;
    if (c.kind === 'bool') sheet.dataValidations.add(range, { type: 'list', formulae: ['"是,否"'], ...common });
    else if (c.kind === 'enum' || c.kind === 'region') {
      const values = c.kind === 'region' ? regions.map((r) => r.label) : Object.keys(c.choices!);
      const at = lists.length + 1;
      lists.push({ at, values });
      const col = options.getColumn(at).letter;
      // the region column also takes a code: warn instead of refusing other values
      sheet.dataValidations.add(range, {
        type: 'list',
        formulae: [`'${OPTIONS_SHEET}'!$${col}$2:$${col}$${values.length + 1}`],
        ...common,
        ...(c.kind === 'region' ? { errorStyle: 'warning', error: '请从下拉列表中选择，或填写 6 位行政区划代码' } : {}),
      });
    }
  });
  for (const { at, values } of lists) {
    const column = IMPORT_COLUMNS.filter((c) => c.kind === 'enum' || c.kind === 'region')[at - 1]!;
    options.getCell(1, at).value = column.header;
    values.forEach((v, i) => (options.getCell(i + 2, at).value = v));
  }
  return sheet;
}

/** 下载导入模板: the data sheet with its example row, and a sheet explaining each column. */
export async function buildImportTemplate(regions: RegionOption[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zcps 职称评审信息系统';
  const sheet = addExpertSheet(workbook, regions);
  const example = sheet.addRow(IMPORT_COLUMNS.map((c) => EXAMPLE_ROW[c.field]));
  example.font = { italic: true, color: { argb: 'FF808080' } };
  example.getCell(1).note = '示例行：与示例完全相同的行导入时忽略，可直接覆盖或删除';
  const help = workbook.addWorksheet('填写说明');
  help.columns = [
    { header: '列', width: 18 },
    { header: '是否必填', width: 10 },
    { header: '填写要求', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) help.addRow([c.header, c.required ? '必填' : '选填', c.note]);
  help.addRow([]);
  help.addRow(['说明', '', `国别为中国，证件类型为居民身份证（户口簿）。每个文件最多 ${MAX_IMPORT_ROWS} 行；上传后先检验，检验正确的数据经确认后才导入，错误数据可下载修改后重新导入。`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 下载错误数据: the bad rows as they were, faulty cells filled red with the reason as a note; fix and import again. */
export async function buildErrorWorkbook(bad: BadRow[], regions: RegionOption[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zcps 职称评审信息系统';
  const sheet = addExpertSheet(workbook, regions, ['原行号', '错误原因']);
  const columnIndex = new Map(IMPORT_COLUMNS.map((c, i) => [c.field, i + 1]));
  for (const b of bad) {
    const row = sheet.addRow([
      ...IMPORT_COLUMNS.map((c) => b.values[c.field] ?? null),
      b.row,
      b.errors.map((e) => `${e.column}：${e.message}`).join('；'),
    ]);
    const byField = new Map<ExpertField, string[]>();
    for (const e of b.errors) byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
    for (const [fieldKey, messages] of byField) {
      const cell = row.getCell(columnIndex.get(fieldKey)!);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: RED_FILL } };
      cell.note = messages.join('\n');
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
