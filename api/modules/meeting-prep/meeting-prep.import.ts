import ExcelJS from 'exceljs';
import { ValidationError } from '../../src/errors.ts';
import { uploadedSheet } from '../../src/xlsx.ts';

/**
 * 导入笔试成绩 and 导入答辩安排: the templates pre-filled with the meeting's candidates, and the
 * parse-and-check of an uploaded workbook with a problem per faulty cell. Pure functions over bytes
 * and rows; the service reads the candidates and stores the outcome.
 */

export type PrepImportKind = 'exam' | 'defense';

type Kind = 'text' | 'id' | 'score' | 'result' | 'date' | 'time' | 'order';

export interface PrepColumn {
  field: string;
  header: string;
  kind: Kind;
  width: number;
  note: string;
  /** pre-filled from the candidate; not read back except the ID number */
  prefilled?: boolean;
}

const IDENTITY: PrepColumn[] = [
  { field: 'name', header: '姓名', kind: 'text', width: 12, note: '已预填，请勿修改', prefilled: true },
  { field: 'idNumber', header: '证件号码', kind: 'id', width: 22, note: '已预填，按证件号码匹配参评人员，请勿修改', prefilled: true },
  { field: 'employer', header: '工作单位', kind: 'text', width: 28, note: '已预填', prefilled: true },
];

export const PREP_COLUMNS: Record<PrepImportKind, PrepColumn[]> = {
  exam: [
    ...IDENTITY,
    { field: 'score', header: '笔试成绩', kind: 'score', width: 12, note: '0～100 的分数，最多一位小数；免试的不填' },
    { field: 'result', header: '是否合格', kind: 'result', width: 12, note: '合格 / 不合格（部分人员参加笔试的活动，不参加的填“免试”）' },
  ],
  defense: [
    ...IDENTITY,
    { field: 'date', header: '答辩日期', kind: 'date', width: 14, note: '如 2027-06-15' },
    { field: 'arrivalTime', header: '答辩到会时间', kind: 'time', width: 14, note: '24 小时制，如 08:30' },
    { field: 'address', header: '答辩地址', kind: 'text', width: 30, note: '最多 100 个字' },
    { field: 'signInDesk', header: '答辩签到处', kind: 'text', width: 20, note: '最多 50 个字' },
    { field: 'orderNo', header: '答辩序号', kind: 'order', width: 10, note: '正整数' },
    { field: 'room', header: '答辩会议室', kind: 'text', width: 18, note: '最多 50 个字' },
  ],
};

const SHEET: Record<PrepImportKind, string> = { exam: '笔试成绩', defense: '答辩安排' };
export const MAX_TEXT: Record<string, number> = { address: 100, signInDesk: 50, room: 50 };

/** A candidate of the meeting as the template lists them. */
export interface PrepCandidate {
  dossierId: number;
  name: string;
  idNumber: string;
  employer: string | null;
}

export type RowValues = Record<string, string>;

export interface CellProblem {
  column: string;
  field: string;
  message: string;
}

export interface BadRow {
  row: number;
  values: RowValues;
  errors: CellProblem[];
}

export interface ExamRow {
  row: number;
  dossierId: number;
  name: string;
  idNumber: string;
  score: number | null;
  /** null: 免试 */
  passed: boolean | null;
}

export interface DefenseRow {
  row: number;
  dossierId: number;
  name: string;
  idNumber: string;
  date: string;
  arrivalTime: string;
  address: string;
  signInDesk: string;
  orderNo: number;
  room: string;
}

export interface ParsedRow {
  row: number;
  values: RowValues;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function cellText(value: ExcelJS.CellValue, kind: Kind): string {
  if (value == null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') {
    // a time typed into a cell formatted as time arrives as a fraction of a day
    if (kind === 'time' && value >= 0 && value < 1) {
      const minutes = Math.round(value * 24 * 60);
      return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
    }
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return BigInt(value).toString();
    return String(value);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) {
    // Excel dates and times come back as UTC
    if (kind === 'time') return `${pad2(value.getUTCHours())}:${pad2(value.getUTCMinutes())}`;
    return `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
  }
  if ('richText' in value) return value.richText.map((t) => t.text).join('').trim();
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, kind);
  if ('hyperlink' in value) return String(value.text ?? '').trim();
  if ('error' in value) return String(value.error);
  return String(value as unknown).trim();
}

const normalizeHeader = (h: string) => h.replace(/[\s*＊]/g, '');

/** Reads the data sheet: columns by their titles (order free, extra ones ignored), empty rows skipped. */
export async function parsePrepWorkbook(kind: PrepImportKind, content: Buffer): Promise<ParsedRow[]> {
  const sheet = await uploadedSheet(content, { sheet: SHEET[kind], notWorkbook: '文件不是有效的 Excel 工作簿：请下载模板填写，以 .xlsx 格式保存后上传', noSheet: '工作簿中没有工作表' });
  const columns = PREP_COLUMNS[kind];
  const header = sheet.getRow(1).values as ExcelJS.CellValue[];
  const index = new Map<string, number>();
  for (let i = 1; i < header.length; i++) {
    const title = normalizeHeader(cellText(header[i], 'text'));
    const column = columns.find((c) => c.header === title);
    if (column && !index.has(column.field)) index.set(column.field, i);
  }
  const missing = columns.filter((c) => c.field !== 'name' && c.field !== 'employer' && !index.has(c.field));
  if (missing.length) {
    const names = missing.map((c) => `“${c.header}”`).join('、');
    throw new ValidationError(`表头缺少${names}列：请下载${SHEET[kind]}模板，按模板的第一行表头填写`, missing.map((c) => ({ field: c.field, message: '缺少此列' })));
  }
  const rows: ParsedRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = row.values as ExcelJS.CellValue[];
    const values: RowValues = {};
    let any = false;
    for (const c of columns) {
      const at = index.get(c.field);
      if (at === undefined) continue;
      const text = cellText(cells[at], c.kind);
      if (text) {
        values[c.field] = text;
        any = true;
      }
    }
    if (any) rows.push({ row: rowNumber, values });
  });
  return rows;
}

function validDate(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

function validTime(text: string): string | null {
  const m = /^(\d{1,2})[:：](\d{2})(?::\d{2})?$/.exec(text);
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  if (h > 23 || mi > 59) return null;
  return `${pad2(h)}:${pad2(mi)}`;
}

export interface CheckResult<T> {
  good: T[];
  bad: BadRow[];
}

/**
 * Checks each row against the meeting's candidates: the ID number must be one of them (once in the
 * file) and the name must match; then the cells of the kind. `partial` — an activity where only
 * some candidates sit the exam / have a defense: 免试 is allowed, and a defense row left blank is
 * no arrangement.
 */
export function checkPrepRows(kind: 'exam', rows: ParsedRow[], candidates: PrepCandidate[], partial: boolean): CheckResult<ExamRow>;
export function checkPrepRows(kind: 'defense', rows: ParsedRow[], candidates: PrepCandidate[], partial: boolean): CheckResult<DefenseRow>;
export function checkPrepRows(kind: PrepImportKind, rows: ParsedRow[], candidates: PrepCandidate[], partial: boolean): CheckResult<ExamRow | DefenseRow> {
  const columns = PREP_COLUMNS[kind];
  const col = (field: string) => columns.find((c) => c.field === field)!;
  const byId = new Map(candidates.map((c) => [c.idNumber.toUpperCase(), c]));
  const rowsOfId = new Map<string, number[]>();
  for (const r of rows) {
    const id = r.values.idNumber?.toUpperCase();
    if (id) rowsOfId.set(id, [...(rowsOfId.get(id) ?? []), r.row]);
  }
  const good: Array<ExamRow | DefenseRow> = [];
  const bad: BadRow[] = [];
  for (const r of rows) {
    const errors: CellProblem[] = [];
    const fail = (field: string, message: string) => errors.push({ column: col(field).header, field, message });
    const v = r.values;
    const id = v.idNumber?.toUpperCase();
    const candidate = id ? byId.get(id) : undefined;
    if (!id) fail('idNumber', '证件号码不能为空');
    else if (!candidate) fail('idNumber', `证件号码 ${v.idNumber} 不是本次评审会议的参评人员`);
    else if ((rowsOfId.get(id)?.length ?? 0) > 1) fail('idNumber', `证件号码在文件中重复（第 ${rowsOfId.get(id)!.join('、')} 行）`);
    if (candidate && v.name && v.name !== candidate.name) fail('name', `姓名与证件号码不符（参评人员为${candidate.name}）`);
    const base = candidate ? { row: r.row, dossierId: candidate.dossierId, name: candidate.name, idNumber: candidate.idNumber } : null;

    if (kind === 'exam') {
      const result = v.result ?? '';
      let passed: boolean | null = null;
      let exempt = false;
      if (!result) fail('result', '请填写“合格”或“不合格”');
      else if (result === '合格') passed = true;
      else if (result === '不合格') passed = false;
      else if (result === '免试' && partial) exempt = true;
      else if (result === '免试') fail('result', '本次评审活动全体参加笔试，不能填写“免试”');
      else fail('result', `“${result}”不是可选的结果，请填写“合格”或“不合格”${partial ? '或“免试”' : ''}`);
      let score: number | null = null;
      const raw = v.score ?? '';
      if (raw) {
        const n = Number(raw);
        if (!/^\d+(\.\d)?$/.test(raw) || !Number.isFinite(n) || n > 100) fail('score', `“${raw}”不是有效的成绩：请填写 0～100 的分数，最多一位小数`);
        else if (exempt) fail('score', '免试人员不填写笔试成绩');
        else score = n;
      } else if (result !== '免试') fail('score', '请填写笔试成绩');
      if (!errors.length && base) good.push({ ...base, score, passed });
    } else {
      const filled = ['date', 'arrivalTime', 'address', 'signInDesk', 'orderNo', 'room'].filter((f) => v[f]);
      // a partial defense: a candidate whose row is left blank has no defense
      if (partial && !filled.length && !errors.length) continue;
      const date = v.date ? validDate(v.date) : null;
      if (!v.date) fail('date', '请填写答辩日期');
      else if (!date) fail('date', `“${v.date}”不是有效的日期，格式如 2027-06-15`);
      const time = v.arrivalTime ? validTime(v.arrivalTime) : null;
      if (!v.arrivalTime) fail('arrivalTime', '请填写答辩到会时间');
      else if (!time) fail('arrivalTime', `“${v.arrivalTime}”不是有效的时间，格式如 08:30`);
      for (const f of ['address', 'signInDesk', 'room'] as const) {
        if (!v[f]) fail(f, `请填写${col(f).header}`);
        else if (v[f]!.length > MAX_TEXT[f]!) fail(f, `${col(f).header}最多 ${MAX_TEXT[f]} 个字`);
      }
      const order = v.orderNo ? Number(v.orderNo) : NaN;
      if (!v.orderNo) fail('orderNo', '请填写答辩序号');
      else if (!/^\d+$/.test(v.orderNo) || !Number.isSafeInteger(order) || order < 1) fail('orderNo', `“${v.orderNo}”不是有效的序号：请填写正整数`);
      if (!errors.length && base) good.push({ ...base, date: date!, arrivalTime: time!, address: v.address!, signInDesk: v.signInDesk!, orderNo: order, room: v.room! });
    }
    if (errors.length) {
      const order = columns.map((c) => c.field);
      bad.push({ row: r.row, values: v, errors: errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)) });
    }
  }
  return { good, bad };
}

export const RED_FILL = 'FFFF0000';

function addSheet(workbook: ExcelJS.Workbook, kind: PrepImportKind, extraHeaders: string[] = []): ExcelJS.Worksheet {
  const columns = PREP_COLUMNS[kind];
  const sheet = workbook.addWorksheet(SHEET[kind], { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [...columns.map((c) => ({ header: c.header, width: c.width })), ...extraHeaders.map((h) => ({ header: h, width: h === '错误原因' ? 60 : 10 }))];
  const header = sheet.getRow(1);
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.note = c.note;
    if (!c.prefilled) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    // ID numbers, dates and times stay text, so Excel neither rounds nor reformats them
    if (c.kind === 'id' || c.kind === 'date' || c.kind === 'time') sheet.getColumn(i + 1).numFmt = '@';
  });
  return sheet;
}

/** 下载模板: one row per candidate with name, ID number and employer filled in. */
export async function buildPrepTemplate(kind: PrepImportKind, candidates: PrepCandidate[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zcps 职称评审信息系统';
  const sheet = addSheet(workbook, kind);
  const columns = PREP_COLUMNS[kind];
  for (const c of candidates) {
    const row = sheet.addRow(columns.map((col) => (col.field === 'name' ? c.name : col.field === 'idNumber' ? c.idNumber : col.field === 'employer' ? (c.employer ?? '') : null)));
    for (let i = 1; i <= 3; i++) row.getCell(i).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 下载错误数据: the bad rows as uploaded, each faulty cell red with its reason as a note. */
export async function buildPrepErrorWorkbook(kind: PrepImportKind, bad: BadRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zcps 职称评审信息系统';
  const sheet = addSheet(workbook, kind, ['原行号', '错误原因']);
  const columns = PREP_COLUMNS[kind];
  for (const b of bad) {
    const row = sheet.addRow([...columns.map((c) => b.values[c.field] ?? null), b.row, b.errors.map((e) => `${e.column}：${e.message}`).join('；')]);
    for (const e of b.errors) {
      const cell = row.getCell(columns.findIndex((c) => c.field === e.field) + 1);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: RED_FILL } };
      cell.note = e.message;
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
