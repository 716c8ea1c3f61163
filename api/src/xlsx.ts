import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { ValidationError } from './errors.ts';
import { sniff } from '../modules/files/files.sniff.ts';

/** Rows an uploaded workbook may hold on any sheet before it is read whole (`XLSX_MAX_ROWS`). */
let maxRows = 50_000;

/** Sets the row cap of uploaded workbooks (from the configuration, when the app starts). */
export function setUploadedWorkbookLimits(limits: { maxRows: number }): void {
  maxRows = limits.maxRows;
}

/**
 * Counts the rows of every sheet with exceljs' streaming reader and stops at the cap, so a
 * workbook of a million rows is refused after reading `maxRows` of them, in bounded memory,
 * instead of being loaded whole.
 */
async function refuseTooManyRows(content: Buffer, cap: number): Promise<void> {
  const input = Readable.from([content]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'ignore', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  let over: string | null = null;
  try {
    sheets: for await (const sheet of reader) {
      let rows = 0;
      for await (const _row of sheet) {
        void _row;
        if (++rows > cap) {
          over = (sheet as unknown as { name?: string }).name ?? '';
          break sheets;
        }
      }
    }
  } catch {
    throw new ValidationError('文件不是有效的 Excel 工作簿，无法读取', [{ field: 'fileId', message: '不是 .xlsx 文件' }]);
  } finally {
    input.destroy();
  }
  if (over != null) {
    const where = over ? `工作表“${over}”` : '工作表';
    throw new ValidationError(`${where}超过 ${cap} 行，一次最多导入 ${cap} 行：请拆分成多个文件分别上传`, [{ field: 'fileId', message: `超过 ${cap} 行` }]);
  }
}

/**
 * Refusals of what an import cannot take as typed: merged cells (a value standing for several
 * rows) and formulas without a computed result. A formula with a result is read as its result,
 * the value Excel shows — the importers' documented choice.
 */
function refuseUnreadableCells(sheet: ExcelJS.Worksheet): void {
  const merged = sheet.model.merges?.[0];
  if (merged) {
    throw new ValidationError(`工作表“${sheet.name}”的单元格 ${merged} 是合并单元格：请取消合并，每行每列各填一个值后再上传`, [{ field: 'fileId', message: `${merged} 是合并单元格` }]);
  }
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (cell.type !== ExcelJS.ValueType.Formula) return;
      const result = (cell.value as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null || (typeof result === 'object' && 'error' in result)) {
        throw new ValidationError(`工作表“${sheet.name}”的单元格 ${cell.address} 是公式，没有可用的计算结果：请在 Excel 中复制后“选择性粘贴 → 数值”再上传`, [{ field: 'fileId', message: `${cell.address} 是没有结果的公式` }]);
      }
    });
  });
}

/**
 * The sheet an uploaded workbook is read from: the named one, else the first visible one (or
 * simply the first). Not a workbook (by content), too many rows, no sheet, merged cells or a
 * formula without a result: 400 on `fileId`, with the caller's wording where it has one.
 */
export async function uploadedSheet(content: Buffer, options: { sheet?: string; notWorkbook: string; noSheet: string; firstVisible?: boolean; maxRows?: number }): Promise<ExcelJS.Worksheet> {
  const found = sniff(content);
  if (found.kind !== 'xlsx') {
    throw new ValidationError(`${options.notWorkbook}（文件内容是${found.label}）`, [{ field: 'fileId', message: '不是 .xlsx 文件' }]);
  }
  await refuseTooManyRows(content, options.maxRows ?? maxRows);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError(options.notWorkbook, [{ field: 'fileId', message: '不是 .xlsx 文件' }]);
  }
  const named = options.sheet ? workbook.getWorksheet(options.sheet) : undefined;
  const sheet = named ?? (options.firstVisible === false ? workbook.worksheets[0] : workbook.worksheets.find((s) => s.state === 'visible'));
  if (!sheet) throw new ValidationError(options.noSheet, [{ field: 'fileId', message: '没有工作表' }]);
  refuseUnreadableCells(sheet);
  return sheet;
}

export interface SheetColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | Date | null | undefined;
}

/** A one-sheet workbook with a bold, frozen, filterable header row. */
export async function workbookOf<T>(sheetName: string, columns: SheetColumn<T>[], rows: T[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zcps 职称评审信息系统';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length * 2 + 4) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? ''));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a workbook as a download with a Chinese file name. */
export function sendXlsx(reply: FastifyReply, filename: string, content: Buffer): FastifyReply {
  return reply
    .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('Content-Disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .send(content);
}
