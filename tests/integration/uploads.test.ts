import fs from 'node:fs';
import os from 'node:os';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';

/**
 * Uploads are checked by what their content is, not by name or declared type; downloads are served
 * as that type; broken, empty and oversized uploads store nothing; a double submit stores one file;
 * workbooks that an import cannot read as typed are refused with the cell or the limit named.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let committeeId: number;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120, 0), Buffer.from('This program cannot be run in DOS mode.')]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

const fileCount = async () => Number((await db.knex('files').count<{ n: string }[]>({ n: '*' }))[0]!.n);

async function sendTo(url: string, user: string, files: Array<{ name: string; type: string; content: Buffer }>) {
  const boundary = '----zcpsUploadsBoundary';
  const payload = Buffer.concat([
    ...files.map((f) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.content, Buffer.from('\r\n')])),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${await t.token(user)}` } });
}

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('专家信息'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importWorkbook(content: Buffer, name = '专家名单.xlsx') {
  const up = await upload(t, 'cd_pw', [{ name, type: XLSX, content }]);
  expect(up.statusCode, up.body).toBe(201);
  const fileId = (up.json() as Array<{ id: string }>)[0]!.id;
  return t.request('POST', `/api/expert-pools/${committeeId}/imports`, { user: 'cd_pw', body: { fileId } });
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, config: { XLSX_MAX_ROWS: '100' } });
  const committee = await db.knex('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id');
  committeeId = Number(committee.id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('content, not name', () => {
  it('refuses a Windows program named .pdf and declared as PDF with 400 naming the field, storing nothing', async () => {
    // given an .exe renamed to look like a PDF
    const before = await fileCount();
    // when it is uploaded
    const res = await upload(t, 'kj_hr', [{ name: '营业执照.pdf', type: 'application/pdf', content: MZ }]);
    // then it is refused in Chinese, naming the field and what the content is
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'file' })]);
    expect(res.json().message).toContain('可执行程序');
    expect(await fileCount()).toBe(before);
  });

  it('names the form field and refuses content the field does not take', async () => {
    // given a PNG sent for a field that takes only PDF
    // when it is uploaded with the field's name and types
    const res = await sendTo('/api/files?field=licence&accept=.pdf', 'kj_hr', [{ name: '执照.pdf', type: 'application/pdf', content: PNG }]);
    // then the field is named and the types it takes are listed
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'licence' })]);
    expect(res.json().message).toContain('PNG 图片');
    expect(res.json().message).toContain('.pdf');
  });

  it('refuses a web page (script the browser would run) whatever its name', async () => {
    // given an HTML page named .txt
    // when it is uploaded
    const res = await upload(t, 'kj_hr', [{ name: '说明.txt', type: 'text/plain', content: Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>') }]);
    // then it is refused
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toContain('网页');
  });

  it('stores the type the content has, not the declared one', async () => {
    // given a PNG declared as a PDF
    // when it is uploaded
    const res = await upload(t, 'kj_hr', [{ name: '照片.pdf', type: 'application/pdf', content: PNG }]);
    // then it is kept as a PNG
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()[0].mime).toBe('image/png');
  });
});

describe('downloads', () => {
  it('serve a PDF inline as application/pdf, with nosniff', async () => {
    // given an uploaded PDF
    const [file] = (await upload(t, 'kj_hr', [{ name: '证明.pdf', type: 'application/octet-stream', content: pdf('证明') }])).json();
    // when it is downloaded
    const res = await t.request('GET', `/api/files/${file.id}`, { user: 'kj_hr' });
    // then it opens in the page as what it is
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toMatch(/^inline; /);
  });

  it('serve anything but images and PDF as an attachment with an RFC 5987 file name', async () => {
    // given an uploaded workbook with a Chinese name
    const content = await workbook((s) => s.addRow(['姓名']));
    const [file] = (await upload(t, 'kj_hr', [{ name: '名单(终稿).xlsx', type: 'image/png', content }])).json();
    // when it is downloaded
    const res = await t.request('GET', `/api/files/${file.id}`, { user: 'kj_hr' });
    // then it is saved, typed as a workbook, its name percent-encoded
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="__(__).xlsx"; filename*=UTF-8''${encodeURIComponent('名单')}%28${encodeURIComponent('终稿')}%29.xlsx`);
  });
});

describe('broken, empty and oversized uploads', () => {
  it('refuses a zero-byte file with 400', async () => {
    // given an empty file
    // when it is uploaded
    const res = await upload(t, 'kj_hr', [{ name: '空.pdf', type: 'application/pdf', content: Buffer.alloc(0) }]);
    // then it is a 400 saying so
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('空文件');
  });

  it('refuses a file over the limit with 400 naming the limit, storing nothing', async () => {
    // given a 21 MB PDF
    const before = await fileCount();
    const big = Buffer.concat([pdf('大'), Buffer.alloc(21 * 1024 * 1024, 0x20)]);
    // when it is uploaded
    const res = await upload(t, 'kj_hr', [{ name: '大文件.pdf', type: 'application/pdf', content: big }]);
    // then it is refused with the limit in Chinese
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('20 MB');
    expect(await fileCount()).toBe(before);
  });

  it('refuses an upload cut short with 400, storing nothing and leaving no temporary file', async () => {
    // given a request whose body stops in the middle of its second file
    const before = await fileCount();
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));
    const boundary = '----zcpsCut';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 a\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 b`;
    // when it is sent
    const res = await t.app.inject({ method: 'POST', url: '/api/files', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${await t.token('kj_hr')}` } });
    // then it is a 400, and neither a record nor a temporary file is left
    expect(res.statusCode).toBe(400);
    expect(await fileCount()).toBe(before);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => !tmpBefore.has(f) && /multipart|upload|busboy/i.test(f))).toEqual([]);
  });
});

describe('a double submit', () => {
  it('of the same attachment, one after the other, stores one file', async () => {
    // given a PDF uploaded once
    const content = pdf('重复提交');
    const first = (await upload(t, 'kj_hr', [{ name: '重复.pdf', type: 'application/pdf', content }])).json()[0];
    // when the same file is submitted again
    const second = (await upload(t, 'kj_hr', [{ name: '重复.pdf', type: 'application/pdf', content }])).json()[0];
    // then the answer is the first file, and one record holds it
    expect(second.id).toBe(first.id);
    expect(await db.knex('files').where({ sha256: first.sha256 }).count<{ n: string }[]>({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
  });

  it('of the same attachment at once (a double click) stores one file', async () => {
    // given the same file sent twice at the same moment
    const content = pdf('双击');
    // when both requests run together
    const [a, b] = await Promise.all([1, 2].map(() => upload(t, 'kj_hr', [{ name: '双击.pdf', type: 'application/pdf', content }])));
    // then both answer the same file, stored once
    expect([a!.statusCode, b!.statusCode]).toEqual([201, 201]);
    expect(a!.json()[0].id).toBe(b!.json()[0].id);
    expect(await db.knex('files').where({ sha256: a!.json()[0].sha256 }).count<{ n: string }[]>({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
  });
});

describe('workbooks an import cannot take', () => {
  it('refuses a file that is not a workbook, saying what it is', async () => {
    // given a text file named .xlsx
    // when it is imported
    const res = await importWorkbook(Buffer.from('姓名,证件号码\n张三,1\n'), '名单.xlsx');
    // then the import says it is not a workbook but text
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('不是有效的 Excel 工作簿');
    expect(res.json().message).toContain('纯文本');
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'fileId' })]);
  });

  it('refuses a workbook over the row cap before reading it whole, naming the cap', async () => {
    // given a workbook of 150 rows, with the cap at 100
    const content = await workbook((s) => {
      for (let i = 0; i < 150; i++) s.addRow([`姓名${i}`, i]);
    });
    // when it is imported
    const res = await importWorkbook(content);
    // then it is refused with the cap named
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('超过 100 行');
  });

  it('refuses merged cells, naming the range', async () => {
    // given a workbook with a merged title
    const content = await workbook((s) => {
      s.addRow(['专家名单', '']);
      s.mergeCells('A1:B1');
    });
    // when it is imported
    const res = await importWorkbook(content);
    // then the merged range is named
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('A1:B1 是合并单元格');
  });

  it('refuses a formula without a computed result, naming the cell', async () => {
    // given a formula written by a program that did not compute it
    const content = await workbook((s) => {
      s.addRow(['姓名', '证件号码']);
      s.addRow(['张三', { formula: 'CONCAT("5101","0119")' }]);
    });
    // when it is imported
    const res = await importWorkbook(content);
    // then the cell is named
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('单元格 B2 是公式');
  });
});
