import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { uploadPdf } from '../helpers/files.ts';
import { HISTORY_BODY, HISTORY_DOC, historyRow, historyWorkbook, postWorkbook } from '../helpers/history-data.ts';
import type { RecordValues } from '../../api/modules/history-data/history-data.checks.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let units: { province: number; city: number; department: number };

const BODY = HISTORY_BODY;
const DOC = HISTORY_DOC;
const row = historyRow;

const json = <T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const id = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  units = { province: await id('四川省人力资源和社会保障厅'), city: await id('成都市人力资源和社会保障局'), department: await id('成都市经济和信息化局') };
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function createBody(): Promise<{ id: number; version: number }> {
  const existing = json<Array<{ id: number; name: string; version: number }>>(await t.request('GET', '/api/history-bodies', { user: 'cd_hr' })).find((b) => b.name === BODY);
  if (existing) return existing;
  return json(await t.request('POST', '/api/history-bodies', { user: 'cd_hr', body: { name: BODY, series: ['engineering'], levels: ['intermediate', 'senior_deputy'], unitIds: [units.department] } }), 201);
}

/** The reviewer's step of a batch, as the review screen shows it (`taskId`), sent back with a decision. */
async function shownStep(user: string, id: number): Promise<string> {
  return json<{ taskId: string }>(await t.request('GET', `/api/history-uploads/${id}`, { user })).taskId;
}

const decide = async (user: string, id: number, body: Record<string, unknown>) => t.request('POST', `/api/history-uploads/${id}/review`, { user, body: { ...body, taskId: await shownStep(user, id) } });

async function newUpload(user = 'cd_jxj', documentNo = DOC): Promise<number> {
  return json<{ id: number }>(await t.request('POST', '/api/history-uploads', { user, body: { acquisitionType: 'review', documentNo } }), 201).id;
}

describe('历史评审机构管理', () => {
  it('lets the HR bureau add, edit and disable a body with its series, levels and uploading units', async () => {
    // Given the city bureau's clerk, When they add a body for the department
    const created = await createBody();
    // Then it is listed with its units and labels
    const [listed] = json<Array<{ name: string; units: Array<{ id: number }>; seriesLabels: string[]; levelLabels: string[] }>>(await t.request('GET', '/api/history-bodies', { user: 'cd_hr' }));
    expect(listed).toMatchObject({ name: BODY, units: [{ id: units.department }], seriesLabels: ['工程技术'], levelLabels: ['中级', '副高级'] });
    // When it is edited with a stale version, Then 409
    const edit = { name: BODY, series: ['engineering'], levels: ['intermediate', 'senior_deputy'], unitIds: [units.department] };
    expect((await t.request('PUT', `/api/history-bodies/${created.id}`, { user: 'cd_hr', body: { ...edit, version: created.version + 5 } })).statusCode).toBe(409);
    // When it is disabled and enabled again, Then the version moves on
    const disabled = json<{ status: string; version: number }>(await t.request('PUT', `/api/history-bodies/${created.id}/status`, { user: 'cd_hr', body: { status: 'disabled', version: created.version } }));
    expect(disabled.status).toBe('disabled');
    const enabled = json<{ status: string }>(await t.request('PUT', `/api/history-bodies/${created.id}/status`, { user: 'cd_hr', body: { status: 'active', version: disabled.version } }));
    expect(enabled.status).toBe('active');
    // and a unit outside the bureau's subtree cannot be assigned
    const outside = await t.request('POST', '/api/history-bodies', { user: 'jj_hr', body: { ...edit, name: '另一机构', unitIds: [units.department] } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().details[0].field).toBe('unitIds');
  });

  it('searches units of the bureau’s subtree to assign', async () => {
    const found = json<Array<{ name: string }>>(await t.request('GET', `/api/history-bodies/unit-options?q=${encodeURIComponent('经济')}`, { user: 'cd_hr' }));
    expect(found.map((u) => u.name)).toEqual(['成都市经济和信息化局']);
  });
});

describe('数据上传', () => {
  it('serves the template with the columns and one example row', async () => {
    const res = await t.request('GET', '/api/history-uploads/template', { user: 'cd_jxj' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as string[]).slice(1, 4)).toEqual(['姓名', '性别', '证件号码']);
    expect(sheet.rowCount).toBe(2);
  });

  it('imports a workbook, counts good and bad rows, shows each error by field, and turns a bad row good when it is edited', async () => {
    // Given a body assigned to the department and a batch
    await createBody();
    const id = await newUpload();
    // (sealed at rest: his number is opened from the seal)
    const sealed = await db.knex('users').where({ username: 'zhangwei' }).first('id_number', 'id_number_enc');
    const zhangwei = t.app.pii.reveal(sealed.id_number_enc, sealed.id_number)!;
    // When a workbook with a good row, a bad row and a row conflicting with an account is uploaded
    const wb = await historyWorkbook([row(1), row(2, { reviewDate: '2019-01-01' }), row(3, { idNumber: zhangwei, personName: '张卫', birthDate: '' })]);
    const upload = json<{ total: number; good: number; bad: number; warned: number }>(await postWorkbook(t, 'cd_jxj', id, wb));
    // Then the counts say so
    expect(upload).toMatchObject({ total: 3, good: 2, bad: 1, warned: 1 });
    const bad = json<{ records: Array<{ id: number; errors: Array<{ field: string; message: string }> }> }>(await t.request('GET', `/api/history-uploads/${id}/records?bad=true`, { user: 'cd_jxj' })).records;
    expect(bad).toHaveLength(1);
    expect(bad[0]!.errors).toEqual([{ field: 'reviewDate', message: '评审时间（2019-01-01）须早于批准时间（2018-12-01）' }]);
    const warned = json<{ records: Array<{ warnings: Array<{ message: string }> }> }>(await t.request('GET', `/api/history-uploads/${id}/records?bad=false`, { user: 'cd_jxj' })).records;
    expect(warned.flatMap((r) => r.warnings.map((w) => w.message))).toEqual([expect.stringContaining('高风险：该证件号码在系统账号中的姓名为')]);
    // When the bad row is exported, Then the workbook carries the error column
    const exported = await t.request('GET', `/api/history-uploads/${id}/bad-records/export`, { user: 'cd_jxj' });
    const ewb = new ExcelJS.Workbook();
    await ewb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(String(ewb.worksheets[0]!.getRow(2).getCell(16).value)).toContain('评审时间：评审时间（2019-01-01）须早于批准时间');
    // When the bad row is edited in place, Then it is checked again and becomes good
    const fixed = json<{ bad: boolean; errors: unknown[] }>(await t.request('PUT', `/api/history-uploads/${id}/records/${bad[0]!.id}`, { user: 'cd_jxj', body: { reviewDate: '2018-10-01' } }));
    expect(fixed).toMatchObject({ bad: false, errors: [] });
    expect(json<{ bad: number; good: number }>(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ bad: 0, good: 3 });
  });

  it('deletes the bad rows', async () => {
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(11), row(12, { documentNo: '成人社职(2018)12号' })])));
    expect(json<{ deleted: number }>(await t.request('POST', `/api/history-uploads/${id}/records/delete`, { user: 'cd_jxj', body: { allBad: true } })).deleted).toBe(1);
    expect(json<{ total: number; bad: number }>(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ total: 1, bad: 0 });
  });

  it('answers 400 to a broken workbook, a workbook with NUL bytes and NUL bytes in a body', async () => {
    const id = await newUpload();
    // Given bytes that are no workbook, When uploaded, Then 400 on file and nothing is stored
    const broken = await postWorkbook(t, 'cd_jxj', id, Buffer.from('PK\u0003\u0004 this is not a zip'));
    expect(broken.statusCode).toBe(400);
    expect(broken.json().details[0].field).toBe('file');
    // Given a cell holding a NUL character (OOXML writes it as _x0000_), When uploaded, Then 400 naming the row
    const nul = await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(21), row(22, { personName: '张_x0000_三' })]));
    expect(nul.statusCode).toBe(400);
    expect(nul.json().message).toContain('第 3 行含有空字符');
    // Given a file name with a NUL character, Then 400 on file
    expect((await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(23)]), '数据\u0000.xlsx')).statusCode).toBe(400);
    expect(json<{ total: number }>(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' })).total).toBe(0);
    // Given NUL in a JSON field, Then 400 naming the field
    const body = await t.request('POST', '/api/history-uploads', { user: 'cd_jxj', body: { acquisitionType: 'review', documentNo: '成人社职〔2018〕1\u0000号' } });
    expect(body.statusCode).toBe(400);
    expect(body.json().details[0].field).toBe('body.documentNo');
    expect(body.json().details[0].message).toContain('空字符');
    // and a 文号 in round brackets is refused when the batch is made
    const doc = await t.request('POST', '/api/history-uploads', { user: 'cd_jxj', body: { acquisitionType: 'review', documentNo: '成人社职(2018)1号' } });
    expect(doc.statusCode).toBe(400);
  });
});

describe('提交审核 through two levels to issued certificates', () => {
  let id: number;
  let recordIds: number[];

  it('shows the audit path of the chosen issuer and requires the 任职资格文件', async () => {
    // Given a batch of the department with three good rows
    await createBody();
    id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(31), row(32), row(33)])));
    recordIds = json<{ records: Array<{ id: number }> }>(await t.request('GET', `/api/history-uploads/${id}/records`, { user: 'cd_jxj' })).records.map((r) => r.id);
    // When the province is chosen as issuer, Then the path is the city bureau, then the province
    const issuers = json<Array<{ id: number }>>(await t.request('GET', `/api/history-uploads/${id}/issuers`, { user: 'cd_jxj' }));
    expect(issuers.map((u) => u.id)).toEqual([units.department, units.city, units.province]);
    const path = json<Array<{ unitId: number; name: string }>>(await t.request('GET', `/api/history-uploads/${id}/audit-path?issuerUnitId=${units.province}`, { user: 'cd_jxj' }));
    expect(path.map((p) => p.name)).toEqual(['成都市人力资源和社会保障局', '四川省人力资源和社会保障厅']);
    // When submitted without the file, Then 400 on fileId
    const missing = await t.request('POST', `/api/history-uploads/${id}/submit`, { user: 'cd_jxj', body: { issuerUnitId: units.province } });
    expect(missing.statusCode).toBe(400);
    // When submitted with it, Then the batch waits at the city bureau
    const file = await uploadPdf(t, 'cd_jxj', '任职资格文件.pdf');
    const submitted = json<{ status: string; currentUnitId: number }>(await t.request('POST', `/api/history-uploads/${id}/submit`, { user: 'cd_jxj', body: { issuerUnitId: units.province, fileId: file.id } }));
    expect(submitted).toMatchObject({ status: 'reviewing', currentUnitId: units.city });
    // and the city reviewer may read the 任职资格文件
    expect((await t.request('GET', `/api/files/${file.id}`, { user: 'cd_hr' })).statusCode).toBe(200);
  });

  it('returns the batch to the uploader with a reason; the uploader resubmits and the first level reviews again', async () => {
    // Given the batch in the city's inbox
    const inbox = json<Array<{ id: number; step: string | null }>>(await t.request('GET', '/api/history-reviews', { user: 'cd_hr' }));
    expect(inbox.find((u) => u.id === id)?.step).toBe('review');
    // When returned without a reason, Then 400
    expect((await decide('cd_hr', id, { action: 'return' })).statusCode).toBe(400);
    // When returned with one, Then the uploader sees it returned with the reason
    json(await decide('cd_hr', id, { action: 'return', reason: '第 2 行职称名称有误' }));
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ status: 'returned', returnReason: '第 2 行职称名称有误', step: 'resubmit' });
    // When the uploader edits the row and resubmits, Then the city reviews again
    json(await t.request('PUT', `/api/history-uploads/${id}/records/${recordIds[1]}`, { user: 'cd_jxj', body: { titleName: '高级工程师', level: '副高级' } }));
    expect(json(await t.request('POST', `/api/history-uploads/${id}/resubmit`, { user: 'cd_jxj' }))).toMatchObject({ status: 'reviewing', currentUnitId: units.city });
  });

  it('passes level by level: 一键审核 at the city, 人员名单校验 and 批量审核 at the province', async () => {
    // When the city passes everything it may pass, Then the batch moves up to the province
    expect(json(await t.request('POST', '/api/history-reviews/pass-all', { user: 'cd_hr' }))).toMatchObject({ passed: 1 });
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'sc_hr' }))).toMatchObject({ status: 'reviewing', currentUnitId: units.province });
    // When the province pastes the names of the 任职资格文件
    const check = json<{ persons: Array<{ personName: string; present: boolean }>; notInBatch: string[] }>(
      await t.request('POST', `/api/history-uploads/${id}/name-check`, { user: 'sc_hr', body: { names: '历史人员31 历史人员33\n王五' } }),
    );
    // Then each person is marked and the stranger listed
    expect(check.persons.map((p) => [p.personName, p.present])).toEqual([['历史人员31', true], ['历史人员32', false], ['历史人员33', true]]);
    expect(check.notInBatch).toEqual(['王五']);
    // When the province passes the batch in a batch review, Then it is approved and waits for the issuer
    expect(json(await t.request('POST', '/api/history-reviews/pass', { user: 'sc_hr', body: { uploadIds: [id], taskIds: [await shownStep('sc_hr', id)] } }))).toMatchObject({ passed: 1, remaining: 0 });
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ status: 'approved', statusLabel: '待发证' });
    // and the records under review export as a workbook
    expect((await t.request('GET', `/api/history-uploads/${id}/export`, { user: 'sc_hr' })).statusCode).toBe(200);
  });

  it('issues the batch once, without the cancelled person, as certificates of kind history', async () => {
    // Given the issuer's list grouped by uploader, 文号 and review body
    const groups = json<Array<{ id: number; reviewBody: string; persons: number; unitName: string; documentNo: string }>>(await t.request('GET', '/api/history-certificates', { user: 'sc_hr' }));
    expect(groups.find((g) => g.id === id)).toMatchObject({ reviewBody: BODY, persons: 3, unitName: '成都市经济和信息化局', documentNo: DOC });
    // When one person is cancelled with a reason
    expect((await t.request('POST', `/api/history-certificates/${id}/cancel`, { user: 'sc_hr', body: { recordIds: [recordIds[2]] } })).statusCode).toBe(400);
    json(await t.request('POST', `/api/history-certificates/${id}/cancel`, { user: 'sc_hr', body: { recordIds: [recordIds[2]], reason: '证书信息存疑' } }));
    // and 发证 is asked before the stamped summary is uploaded, Then 409
    expect((await t.request('POST', `/api/history-certificates/${id}/issue`, { user: 'sc_hr' })).statusCode).toBe(409);
    expect((await t.request('GET', `/api/history-certificates/${id}/summary`, { user: 'sc_hr' })).statusCode).toBe(200);
    const stamped = await uploadPdf(t, 'sc_hr', '发证汇总表（盖章）.pdf');
    json(await t.request('PUT', `/api/history-certificates/${id}/stamped-file`, { user: 'sc_hr', body: { fileId: stamped.id } }));
    // When 发证 is clicked twice
    const [first, second] = await Promise.all([t.request('POST', `/api/history-certificates/${id}/issue`, { user: 'sc_hr' }), t.request('POST', `/api/history-certificates/${id}/issue`, { user: 'sc_hr' })]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    await t.app.certificates.runGenerations();
    // Then two certificates of kind history exist, the batch is issued and the records point at them
    const certs = await db.knex('certificates').where({ source_type: 'history' }).whereIn('source_id', recordIds);
    expect(certs.map((c) => c.kind)).toEqual(['history', 'history']);
    expect(certs.map((c) => c.person_name).sort()).toEqual(['历史人员31', '历史人员32']);
    expect(json(await t.request('GET', `/api/history-certificates/${id}/progress`, { user: 'sc_hr' }))).toMatchObject({ status: 'issued', total: 2, issued: 2, state: 'done' });
    const issued = json<{ records: Array<{ issueState: string | null; certificateId: number | null }> }>(await t.request('GET', `/api/history-uploads/${id}/records`, { user: 'cd_jxj' })).records;
    expect(issued.map((r) => r.issueState)).toEqual(['issued', 'issued', 'cancelled']);
    expect(issued.filter((r) => r.certificateId != null)).toHaveLength(2);
  });
});

describe('scope', () => {
  it('answers 403 to other units on every route', async () => {
    // Given a batch of the department, submitted to the city, and a body of the city
    await createBody();
    const [body] = json<Array<{ id: number; version: number }>>(await t.request('GET', '/api/history-bodies', { user: 'cd_hr' }));
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(41)])));
    const [record] = json<{ records: Array<{ id: number }> }>(await t.request('GET', `/api/history-uploads/${id}/records`, { user: 'cd_jxj' })).records;
    const file = await uploadPdf(t, 'cd_jxj', '任职资格文件.pdf');
    json(await t.request('POST', `/api/history-uploads/${id}/submit`, { user: 'cd_jxj', body: { issuerUnitId: units.city, fileId: file.id } }));
    // When the county bureau's clerk (holding every history permission, in another unit) calls each route
    const routes: Array<[string, string, unknown?]> = [
      ['PUT', `/api/history-bodies/${body!.id}`, { name: 'x', series: ['engineering'], levels: ['intermediate'], unitIds: [units.department], version: body!.version }],
      ['PUT', `/api/history-bodies/${body!.id}/status`, { status: 'disabled', version: body!.version }],
      ['GET', `/api/history-uploads/${id}`],
      ['GET', `/api/history-uploads/${id}/records`],
      ['PUT', `/api/history-uploads/${id}/records/${record!.id}`, { personName: 'x' }],
      ['POST', `/api/history-uploads/${id}/records/delete`, { ids: [record!.id] }],
      ['GET', `/api/history-uploads/${id}/bad-records/export`],
      ['GET', `/api/history-uploads/${id}/export`],
      ['GET', `/api/history-uploads/${id}/issuers`],
      ['GET', `/api/history-uploads/${id}/audit-path?issuerUnitId=${units.city}`],
      ['POST', `/api/history-uploads/${id}/submit`, { issuerUnitId: units.city, fileId: file.id }],
      ['POST', `/api/history-uploads/${id}/resubmit`],
      ['POST', `/api/history-uploads/${id}/review`, { action: 'pass' }],
      ['POST', '/api/history-reviews/pass', { uploadIds: [id] }],
      ['POST', `/api/history-uploads/${id}/name-check`, { names: '张三' }],
      ['POST', `/api/history-certificates/${id}/cancel`, { recordIds: [record!.id], reason: 'x' }],
      ['POST', `/api/history-certificates/${id}/return`, { reason: 'x' }],
      ['POST', `/api/history-certificates/${id}/return-records`, { recordIds: [record!.id], reason: 'x' }],
      ['GET', `/api/history-certificates/${id}/summary`],
      ['PUT', `/api/history-certificates/${id}/stamped-file`, { fileId: file.id }],
      ['POST', `/api/history-certificates/${id}/issue`],
      ['GET', `/api/history-certificates/${id}/progress`],
      ['GET', `/api/files/${file.id}`],
    ];
    // Then each is refused before any state is read
    for (const [method, url, payload] of routes) {
      const res = await t.request(method, url, { user: 'jj_hr', body: payload });
      expect([403, 404], `${method} ${url}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
    }
    // and the workbook upload too
    expect((await postWorkbook(t, 'jj_hr', id, await historyWorkbook([row(42)]))).statusCode).toBe(403);
    // and someone without the permission gets 403 on the lists
    for (const url of ['/api/history-bodies', '/api/history-uploads', '/api/history-reviews', '/api/history-certificates']) {
      expect((await t.request('GET', url, { user: 'kj_hr' })).statusCode, url).toBe(403);
    }
    // while the batch is untouched
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ status: 'reviewing', total: 1 });
  });
});

describe('多岗审核 at a level', () => {
  it('walks a level through its configured posts before the batch goes up', async () => {
    // Given the city bureau reviews 历史职称数据审核 with two posts (初审, 复审)
    const clerk = Number((await db.knex('users').where({ username: 'cd_hr' }).first('id')).id);
    await db.knex('review_levels').insert([
      { unit_id: units.city, matter_type: 'history_data', level_no: 1, name: '初审', user_ids: [clerk] },
      { unit_id: units.city, matter_type: 'history_data', level_no: 2, name: '复审', user_ids: [clerk] },
    ]);
    await createBody();
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(51)])));
    const file = await uploadPdf(t, 'cd_jxj', '任职资格文件.pdf');
    json(await t.request('POST', `/api/history-uploads/${id}/submit`, { user: 'cd_jxj', body: { issuerUnitId: units.province, fileId: file.id } }));
    // When the first post passes, Then the batch stays at the city, at 复审
    expect(json<{ openStep: string }>(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_hr' })).openStep).toContain('（初审）');
    const first = await shownStep('cd_hr', id);
    json(await t.request('POST', `/api/history-uploads/${id}/review`, { user: 'cd_hr', body: { action: 'pass', taskId: first } }));
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_hr' }))).toMatchObject({ currentUnitId: units.city, openStep: expect.stringContaining('（复审）') });
    // When the clerk (holding both posts) clicks 审核通过 again from the screen of 初审, Then 409 and 复审 is still open
    const again = await t.request('POST', `/api/history-uploads/${id}/review`, { user: 'cd_hr', body: { action: 'pass', taskId: first } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('该记录已由他人处理，请刷新');
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_hr' }))).toMatchObject({ currentUnitId: units.city, openStep: expect.stringContaining('（复审）') });
    // When the second post passes, Then it goes up to the province
    json(await decide('cd_hr', id, { action: 'pass' }));
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ status: 'reviewing', currentUnitId: units.province });
  });

  it('passes a batch review and 一键审核 only at the steps the list showed', async () => {
    // Given a batch at the city's 初审 (the city's clerk holds both posts, as configured above)
    await createBody();
    const id = await newUpload();
    json(await postWorkbook(t, 'cd_jxj', id, await historyWorkbook([row(52)])));
    const file = await uploadPdf(t, 'cd_jxj', '任职资格文件.pdf');
    json(await t.request('POST', `/api/history-uploads/${id}/submit`, { user: 'cd_jxj', body: { issuerUnitId: units.province, fileId: file.id } }));
    const shown = json<Array<{ id: number; taskId: string }>>(await t.request('GET', '/api/history-reviews', { user: 'cd_hr' })).filter((u) => u.id === id).map((u) => u.taskId);
    // When 一键审核 is clicked twice from that list, Then the first passes 初审 and the second is a 409
    expect(json(await t.request('POST', '/api/history-reviews/pass-all', { user: 'cd_hr', body: { taskIds: shown } }))).toMatchObject({ passed: 1 });
    const again = await t.request('POST', '/api/history-reviews/pass-all', { user: 'cd_hr', body: { taskIds: shown } });
    expect(again.statusCode).toBe(409);
    expect(json<{ openStep: string }>(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_hr' })).openStep).toContain('（复审）');
    // When 批量审核 names no step, Then 400 naming taskIds; with the stale step, 409 and nothing moves
    const none = await t.request('POST', '/api/history-reviews/pass', { user: 'cd_hr', body: { uploadIds: [id] } });
    expect(none.statusCode).toBe(400);
    expect(none.json().details).toEqual([expect.objectContaining({ field: 'taskIds' })]);
    expect((await t.request('POST', '/api/history-reviews/pass', { user: 'cd_hr', body: { uploadIds: [id], taskIds: shown } })).statusCode).toBe(409);
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_hr' }))).toMatchObject({ currentUnitId: units.city });
    // When it names the step now shown, Then 复审 passes and the batch goes up
    expect(json(await t.request('POST', '/api/history-reviews/pass', { user: 'cd_hr', body: { uploadIds: [id], taskIds: [await shownStep('cd_hr', id)] } }))).toMatchObject({ passed: 1 });
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'cd_jxj' }))).toMatchObject({ currentUnitId: units.province });
  });
});

describe('初定 data uploaded by the issuer itself', () => {
  it('is reviewed inside the issuer and then waits for issuing', async () => {
    // Given the province's clerk uploads a 初定 batch whose rows name 初定 as review body
    const id = json<{ id: number }>(await t.request('POST', '/api/history-uploads', { user: 'sc_hr', body: { acquisitionType: 'initial', documentNo: '川人社职〔2020〕5号' } }), 201).id;
    const initial = (n: number, over: Partial<RecordValues> = {}) =>
      row(n, { acquisition: '初定', reviewBody: '初定', titleName: '助理工程师', level: '初级', reviewDate: '', approvalDate: '2020-06-30', documentNo: '川人社职〔2020〕5号', ...over });
    const upload = json<{ good: number; bad: number }>(await postWorkbook(t, 'sc_hr', id, await historyWorkbook([initial(61), initial(62, { reviewBody: BODY }), initial(63)])));
    // Then a row naming a committee is refused, and the path is the province alone
    expect(upload).toMatchObject({ good: 2, bad: 1 });
    json(await t.request('POST', `/api/history-uploads/${id}/records/delete`, { user: 'sc_hr', body: { allBad: true } }));
    const path = json<Array<{ unitId: number }>>(await t.request('GET', `/api/history-uploads/${id}/audit-path?issuerUnitId=${units.province}`, { user: 'sc_hr' }));
    expect(path.map((p) => p.unitId)).toEqual([units.province]);
    // When submitted and passed by the province, Then it is approved
    const file = await uploadPdf(t, 'sc_hr', '任职资格文件.pdf');
    expect(json(await t.request('POST', `/api/history-uploads/${id}/submit`, { user: 'sc_hr', body: { issuerUnitId: units.province, fileId: file.id } }))).toMatchObject({ currentUnitId: units.province, step: 'review' });
    json(await decide('sc_hr', id, { action: 'pass' }));
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'sc_hr' }))).toMatchObject({ status: 'approved', step: 'issue' });
    // When the issuer returns one doubtful person with a reason
    const [doubtful] = json<{ records: Array<{ id: number }> }>(await t.request('GET', `/api/history-uploads/${id}/records?bad=false`, { user: 'sc_hr' })).records;
    expect((await t.request('POST', `/api/history-certificates/${id}/return-records`, { user: 'sc_hr', body: { recordIds: [doubtful!.id] } })).statusCode).toBe(400);
    const split = json<{ uploadId: number; moved: number }>(await t.request('POST', `/api/history-certificates/${id}/return-records`, { user: 'sc_hr', body: { recordIds: [doubtful!.id], reason: '初定时间有误' } }));
    // Then the person is in a new 待提交 batch of the uploader with the reason, and the rest waits for issuing
    expect(split.moved).toBe(1);
    expect(json(await t.request('GET', `/api/history-uploads/${split.uploadId}`, { user: 'sc_hr' }))).toMatchObject({ status: 'draft', total: 1, returnReason: '初定时间有误', documentNo: '川人社职〔2020〕5号' });
    expect(json(await t.request('GET', `/api/history-uploads/${id}`, { user: 'sc_hr' }))).toMatchObject({ status: 'approved', good: 1 });
    // and the whole batch cannot be returned person by person
    const [last] = json<{ records: Array<{ id: number }> }>(await t.request('GET', `/api/history-uploads/${id}/records?bad=false`, { user: 'sc_hr' })).records;
    expect((await t.request('POST', `/api/history-certificates/${id}/return-records`, { user: 'sc_hr', body: { recordIds: [last!.id], reason: 'x' } })).statusCode).toBe(409);
    // and a unit below cannot be chosen as issuer by the city
    const cityUpload = await newUpload('cd_hr');
    expect((await t.request('GET', `/api/history-uploads/${cityUpload}/audit-path?issuerUnitId=${units.department}`, { user: 'cd_hr' })).statusCode).toBe(400);
  });
});
