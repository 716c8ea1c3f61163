import ExcelJS from 'exceljs';
import { RECORD_COLUMNS, type RecordValues } from '../../api/modules/history-data/history-data.checks.ts';
import type { TestApp } from './app.ts';
import { idNumber } from './fixtures.ts';

/** The historical review body the tests assign to the department, and the batch's 文号. */
export const HISTORY_BODY = '原成都市工程技术职称改革领导小组';
export const HISTORY_DOC = '成人社职〔2018〕12号';

/** A good row for the department's batch (the historical body assigned to it). */
export const historyRow = (n: number, over: Partial<RecordValues> = {}): Partial<RecordValues> => ({
  personName: `历史人员${n}`,
  gender: '男',
  idNumber: idNumber('19800101', n),
  birthDate: '1980-01-01',
  employerName: '成都示范科技有限公司',
  series: '工程技术',
  specialty: '机械工程',
  titleName: '工程师',
  level: '中级',
  acquisition: '评审',
  reviewBody: HISTORY_BODY,
  reviewDate: '2018-10-20',
  approvalDate: '2018-12-01',
  documentNo: HISTORY_DOC,
  ...over,
});

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
