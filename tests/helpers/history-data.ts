import ExcelJS from 'exceljs';
import { RECORD_COLUMNS, type RecordValues } from '../../api/modules/history-data/history-data.checks.ts';
import type { TestApp } from './app.ts';

/** A workbook in the template's layout with these rows. */
export async function historyWorkbook(rows: Array<Partial<RecordValues>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('历史职称数据');
  sheet.addRow(RECORD_COLUMNS.map((c) => c.header));
  for (const r of rows) sheet.addRow(RECORD_COLUMNS.map((c) => r[c.key] ?? ''));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Posts a file to a batch's workbook route as the console does (multipart, field file). */
export async function postWorkbook(t: TestApp, user: string, uploadId: number, content: Buffer, name = '历史职称数据.xlsx') {
  const boundary = '----zcpsHistoryBoundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/history-uploads/${uploadId}/workbook`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${await t.token(user)}` },
  });
}
