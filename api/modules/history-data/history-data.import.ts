import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../src/errors.ts';
import { checkRecord, conflictWarnings, normaliseValues, RECORD_COLUMNS, type CheckContext, type KnownPerson, type RecordField, type RecordValues } from './history-data.checks.ts';
import type { CheckedRecord } from './history-data.repository.ts';

/** Rows per chunk: checked, looked up and written together, so memory stays flat whatever the file's size. */
export const CHUNK_SIZE = 1000;
/** One upload may hold at most this many rows. */
export const MAX_ROWS = 200_000;

/** OOXML writes characters XML cannot hold as `_xHHHH_` (ST_Xstring); Excel reads them back as the character. */
const decodeEscapes = (text: string) => text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The text of a cell as a person typed it (rich text, formulas' results, hyperlinks, dates as YYYY-MM-DD). */
export function cellText(value: ExcelJS.CellValue): string {
  return decodeEscapes(rawCellText(value));
}

function rawCellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return rawCellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in value) return String((value as ExcelJS.CellHyperlinkValue).text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** A failure of the caller's work on a chunk (a database error): not the file's fault, passed on as it is. */
class ChunkFailure extends Error {
  constructor(readonly failure: unknown) {
    super('chunk failed');
  }
}

const notWorkbook = () => new ValidationError('上传的文件不是有效的 .xlsx 工作簿，请使用下载的模板填写后上传', [{ field: 'file', message: '不是 .xlsx 文件' }]);

/**
 * Reads the first worksheet of a workbook as a stream (exceljs `WorkbookReader`): the header row
 * names the columns (the template's headers, in any order), then every non-empty row is handed on
 * in chunks of `CHUNK_SIZE`. While a chunk is being checked and written (database round trips)
 * the next one is parsed; at most two chunks are held at a time, and they are handed on in order,
 * one at a time.
 */
export async function readRecordChunks(input: Readable, onChunk: (rows: Array<{ rowNo: number; values: RecordValues }>) => Promise<void>): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  let columns: Map<number, RecordField> | null = null;
  let chunk: Array<{ rowNo: number; values: RecordValues }> = [];
  let count = 0;
  let sheets = 0;
  let inFlight: Promise<void> | null = null;
  const handOn = async (rows: Array<{ rowNo: number; values: RecordValues }>) => {
    if (inFlight) await inFlight;
    inFlight = onChunk(rows).catch((err: unknown) => {
      throw new ChunkFailure(err);
    });
    // awaited before the next chunk or at the end; until then a failure must not count as unhandled
    inFlight.catch(() => undefined);
  };
  try {
    for await (const sheet of reader) {
      sheets++;
      if (sheets > 1) {
        // only the first sheet holds data; the rest are drained so the zip stream can go on
        for await (const _row of sheet) void _row;
        continue;
      }
      for await (const row of sheet) {
        const cells = row.values as ExcelJS.CellValue[];
        if (!columns) {
          const found = new Map<number, RecordField>();
          for (let i = 1; i < cells.length; i++) {
            const header = cellText(cells[i]).trim().replace(/^\*/, '');
            const col = RECORD_COLUMNS.find((c) => c.header === header);
            if (col) found.set(i, col.key);
          }
          columns = found;
          const missing = RECORD_COLUMNS.filter((c) => ![...found.values()].includes(c.key)).map((c) => c.header);
          if (missing.length) throw new ValidationError(`工作簿第 1 行缺少列：${missing.join('、')}，请使用下载的模板`, [{ field: 'file', message: `缺少列：${missing.join('、')}` }]);
          continue;
        }
        const raw: Partial<Record<RecordField, string>> = {};
        let empty = true;
        for (const [i, key] of columns) {
          const text = cellText(cells[i]);
          if (text.includes('\u0000')) throw new ValidationError(`工作簿第 ${row.number} 行含有空字符（U+0000），请删除后重新上传`, [{ field: 'file', message: `第 ${row.number} 行含有空字符` }]);
          if (text.trim()) empty = false;
          raw[key] = text;
        }
        if (empty) continue;
        if (++count > MAX_ROWS) throw new ValidationError(`一次最多导入 ${MAX_ROWS} 行，请分批上传`, [{ field: 'file', message: `超过 ${MAX_ROWS} 行` }]);
        chunk.push({ rowNo: row.number - 1, values: normaliseValues(raw) });
        if (chunk.length >= CHUNK_SIZE) {
          await handOn(chunk);
          chunk = [];
        }
      }
    }
    if (!columns) throw new ValidationError('工作簿中没有数据，请使用下载的模板填写后上传', [{ field: 'file', message: '没有数据' }]);
  } catch (err) {
    // a chunk still being written finishes (or fails) before the caller rolls back
    await (inFlight as Promise<void> | null)?.catch(() => undefined);
    if (err instanceof ChunkFailure) throw err.failure;
    if (err instanceof ValidationError) throw err;
    throw notWorkbook();
  }
  try {
    if (chunk.length) await handOn(chunk);
    if (inFlight) await inFlight;
  } catch (err) {
    throw err instanceof ChunkFailure ? err.failure : err;
  }
  return count;
}

/**
 * The checks of a chunk: each row alone (`checkRecord`), then the 高风险提醒 against what the system
 * holds, looked up once for the chunk's ID numbers.
 */
export async function checkChunk(
  rows: Array<{ rowNo: number; values: RecordValues }>,
  ctx: CheckContext,
  known: (idNumbers: string[]) => Promise<Map<string, KnownPerson[]>>,
): Promise<CheckedRecord[]> {
  const ids = [...new Set(rows.map((r) => r.values.idNumber.toUpperCase()).filter((id) => id.length === 18))];
  const holds = await known(ids);
  return rows.map((r) => {
    const errors = checkRecord(r.values, ctx);
    const warnings = errors.some((e) => e.field === 'idNumber') ? [] : conflictWarnings(r.values, holds.get(r.values.idNumber.toUpperCase()) ?? []);
    return { rowNo: r.rowNo, values: r.values, errors, warnings };
  });
}

/** The template: the columns (required ones marked *) and one example row. */
export async function templateWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zcps 职称评审信息系统';
  const sheet = workbook.addWorksheet('历史职称数据', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = RECORD_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.example.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRow(Object.fromEntries(RECORD_COLUMNS.map((c) => [c.key, c.example])));
  for (let i = 1; i <= RECORD_COLUMNS.length; i++) sheet.getColumn(i).numFmt = '@';
  const notes = workbook.addWorksheet('填写说明');
  notes.addRows([
    ['填写说明'],
    ['1. 每行一本证书；第一行为列名，请勿修改；示例行请删除后再填写。'],
    ['2. 取得方式与本批次选择的一致（评审、初定、确认、委托评审）；初定、确认类证书的评审机构填写“初定”或“确认”。'],
    ['3. 评审机构只能填写本单位已备案的评委会名称，或指定本单位采集的历史评审机构名称。'],
    ['4. 日期格式 YYYY-MM-DD；评审时间须早于批准时间；职称文件文号形如 川人社职〔2018〕12号，年份与批准时间一致。'],
    [`5. 评审取得的职称，${2024} 年以后批准的不能作为历史数据采集。`],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
