import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, TEST_PII_HASH_KEY, TEST_PII_KEY, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { demoCommittee } from '../helpers/meeting-draw.ts';
import { createPiiCipher, parsePiiKeys } from '../../api/src/pii.ts';
import { blobCountsByKey, sealFileBlobs } from '../../api/modules/files/files.pii.ts';

// Personal numbers outside the tables' columns (docs/personal-information.md): uploaded files' bytes
// sealed at rest, a unit registration's flow keeping only masked copies, experts' meeting login
// names without their ID number.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ID_IN_FILE = idNumber('19880214', 417);
const scan = (text: string) => Buffer.from(`%PDF-1.4\n% 身份证复印件 ${text}\n%%EOF\n`);

/** Blobs whose stored bytes contain the value (as UTF-8). */
const blobsHolding = async (value: string) =>
  Number((await db.knex('file_blobs').count<{ n: string }[]>({ n: '*' }).whereRaw("position(convert_to(?, 'UTF8') in content) > 0", [value]))[0]!.n);

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('uploaded files at rest', () => {
  it('stores an uploaded scan sealed under the current key, its number in no stored byte', async () => {
    // given a scan whose bytes hold an ID number
    const content = scan(ID_IN_FILE);
    // when it is uploaded
    const res = await upload(t, 'zhangwei', [{ name: '身份证.pdf', type: 'application/pdf', content }]);
    // then the blob is sealed under k1 and no stored byte holds the number, while the answer's hash is the plain content's
    expect(res.statusCode, res.body).toBe(201);
    const [file] = res.json() as Array<{ sha256: string }>;
    expect(file!.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const blob = await db.knex('file_blobs').where({ sha256: file!.sha256 }).first('content', 'pii_key_id', 'size');
    expect(blob.pii_key_id).toBe('k1');
    expect(Number(blob.size)).toBe(content.length);
    expect(await blobsHolding(ID_IN_FILE)).toBe(0);
  });

  it('answers the download with the bytes as uploaded', async () => {
    // given an uploaded scan
    const content = scan(`${ID_IN_FILE} 下载`);
    const [file] = (await upload(t, 'zhangwei', [{ name: '身份证2.pdf', type: 'application/pdf', content }])).json() as Array<{ id: string }>;
    // when its uploader downloads it
    const res = await t.app.inject({ method: 'GET', url: `/api/files/${file!.id}`, headers: { authorization: `Bearer ${await t.token('zhangwei')}` } });
    // then the bytes are the plain ones, served as PDF
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.equals(content)).toBe(true);
  });

  it('keeps one blob for a double submit of the same file (the key is the plain content’s hash)', async () => {
    // given a scan uploaded once
    const content = scan(`${ID_IN_FILE} 重复`);
    const first = (await upload(t, 'zhangwei', [{ name: '毕业证.pdf', type: 'application/pdf', content }])).json() as Array<{ id: string; sha256: string }>;
    // when the same file is submitted again (a double click)
    const again = (await upload(t, 'zhangwei', [{ name: '毕业证.pdf', type: 'application/pdf', content }])).json() as Array<{ id: string }>;
    // then it is the same record and one blob
    expect(again[0]!.id).toBe(first[0]!.id);
    expect((await db.knex('file_blobs').where({ sha256: first[0]!.sha256 })).length).toBe(1);
  });

  it('reads an uploaded sheet sealed at rest in the import that checks it (专家库 导入)', async () => {
    // given the 专家库 template filled with one new expert, uploaded
    const { committeeId } = await demoCommittee(db.knex);
    const template = await t.request('GET', '/api/expert-imports/template', { user: 'cd_pw' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const values = ['导入甲', ID_IN_FILE, null, null, '否', '成都示范科技有限公司', null, '工程师', null, '13912340417', null, '无', '工程技术', '机械工程', '高级工程师'];
    values.forEach((v, j) => {
      if (v !== null) workbook.getWorksheet('专家信息')!.getRow(3).getCell(j + 1).value = v;
    });
    const up = await upload(t, 'cd_pw', [{ name: '专家名单.xlsx', type: XLSX, content: Buffer.from(await workbook.xlsx.writeBuffer()) }]);
    const fileId = (up.json() as Array<{ id: string }>)[0]!.id;
    expect(await db.knex('file_blobs as b').join('files as f', 'f.sha256', 'b.sha256').where('f.id', fileId).first('b.pii_key_id')).toEqual({ pii_key_id: 'k1' });
    // when the import checks it
    const res = await t.request('POST', `/api/expert-pools/${committeeId}/imports`, { user: 'cd_pw', body: { fileId } });
    // then the row was read from the opened workbook
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ goodCount: 1, badCount: 0 });
  });

  it('seals a blob an older release left plain, with the sweep', async () => {
    // given a plain blob written as before this release
    const content = scan(`${ID_IN_FILE} 旧版`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    await db.knex('file_blobs').insert({ sha256, content, size: content.length });
    expect(await blobsHolding(ID_IN_FILE)).toBe(1);
    // when the personal-information sweep runs
    const report = await t.app.sealer.sweep({ tables: ['file_blobs'] });
    // then it is sealed, and no blob is left plain
    expect(report.byTable.file_blobs?.sealed).toBeGreaterThanOrEqual(1);
    expect(await blobsHolding(ID_IN_FILE)).toBe(0);
    expect((await blobCountsByKey(db.knex)).plain).toBeUndefined();
    expect(t.app.pii.bytes.openBytes((await db.knex('file_blobs').where({ sha256 }).first('content')).content as Buffer).equals(content)).toBe(true);
  });

  it('re-seals every blob under a rotated key, each still opening to its bytes', async () => {
    // given blobs sealed under k1 and PII_KEY rotated to k2,k1
    const rotated = createPiiCipher(parsePiiKeys(`k2:00112233445566778899aabbccddeeff,k1:${TEST_PII_KEY}`, TEST_PII_HASH_KEY));
    const onlyK2 = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff', TEST_PII_HASH_KEY));
    const before = await db.knex('file_blobs').select('sha256', 'content');
    const plainOf = new Map(before.map((b: { sha256: string; content: Buffer }) => [b.sha256, t.app.pii.bytes.openBytes(b.content)]));
    // when the rotation sweeps, two blobs per transaction
    const report = await sealFileBlobs(db.knex, rotated, { batchSize: 2 });
    // then every blob is on k2 and opens under k2 alone to the same bytes
    expect(report.resealed).toBe(before.length);
    expect(await blobCountsByKey(db.knex)).toEqual({ k2: before.length });
    for (const b of await db.knex('file_blobs').select('sha256', 'content')) {
      expect(onlyK2.bytes.openBytes(b.content as Buffer).equals(plainOf.get(b.sha256 as string)!)).toBe(true);
    }
  });
});
