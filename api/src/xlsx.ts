import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { ValidationError } from './errors.ts';

/**
 * The sheet an uploaded workbook is read from: the named one, else the first visible one (or
 * simply the first). Not a workbook, or no sheet: 400 on `fileId`, with the caller's wording.
 */
export async function uploadedSheet(content: Buffer, options: { sheet?: string; notWorkbook: string; noSheet: string; firstVisible?: boolean }): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError(options.notWorkbook, [{ field: 'fileId', message: '不是 .xlsx 文件' }]);
  }
  const named = options.sheet ? workbook.getWorksheet(options.sheet) : undefined;
  const sheet = named ?? (options.firstVisible === false ? workbook.worksheets[0] : workbook.worksheets.find((s) => s.state === 'visible'));
  if (!sheet) throw new ValidationError(options.noSheet, [{ field: 'fileId', message: '没有工作表' }]);
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
