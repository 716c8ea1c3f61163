import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload, uploadPdf } from '../helpers/files.ts';
import { addApplicants, atConfirmation as dossierAtConfirmation, closedMeeting as closedMeetingOf, requestConfirmation as requestConfirmationOf } from '../helpers/result-confirmation.ts';
import { sm2Verify } from '../../api/modules/certificates/sm2.ts';
import { pdfText } from '../helpers/ballots.ts';
import { idNumber as personId } from '../helpers/fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const APPLICANTS = ['ci_a', 'ci_b', 'ci_c', 'ci_d'];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await addApplicants(db.knex, APPLICANTS);
  // the applicants' accounts carry their ID numbers (what registration asks)
  for (const [i, username] of APPLICANTS.entries()) await db.knex('users').where({ username }).update({ id_number: idNumber(900 + i, '19850101') });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

type Batch = { id: number; batchNo: string; documentNo: string | null; state: string; pendingCount: number; issuedCount: number; taskId: string | null; generationRef: string | null };
type Person = { id: number; dossierId: number | null; personName: string; state: string; documentNo: string | null; approvalDate: string | null; certificateNo: string | null };

const call = async (user: string, method: string, url: string, body?: unknown) => t.request(method, url, { user, body });
const json = async <T,>(user: string, method: string, url: string, body?: unknown): Promise<T> => {
  const res = await call(user, method, url, body);
  expect({ url, status: res.statusCode, body: res.statusCode === 200 ? null : res.json() }).toEqual({ url, status: 200, body: null });
  return res.json() as T;
};
const batches = (user: string, kind: string, tab = 'pending') => json<Batch[]>(user, 'GET', `/api/certificate-issuance/${kind}/batches?tab=${tab}`);
const detail = (user: string, id: number) => json<{ batch: Batch; persons: Person[]; progress: { total: number; issued: number; state: string } | null }>(user, 'GET', `/api/certificate-issuance/batches/${id}`);
const dossierStatus = async (dossierId: number) => String((await db.knex('dossiers').where({ id: dossierId }).first('status')).status);
const issuedMessages = (dossierId: number) => db.knex('process_messages').where({ name: 'certificate-issued', correlation_key: `dossier:${dossierId}` }).select('payload');

/** The stamped summary uploaded, then 发证; the background generation runs and its message is delivered. */
async function stampAndIssue(user: string, batchId: number) {
  const stamped = await uploadPdf(t, user, '盖章汇总表.pdf');
  await json(user, 'PUT', `/api/certificate-issuance/batches/${batchId}/stamped-file`, { fileId: stamped.id });
  await json(user, 'POST', `/api/certificate-issuance/batches/${batchId}/issue`);
  await t.app.certificates.runGenerations();
  await t.app.engine.deliverMessages();
}

describe('评审发证 and 委托发证', () => {
  let meetingId: number;
  let department: number;
  let a: number, b: number, c: number, d: number;

  beforeAll(async () => {
    // Given a meeting whose four candidates were confirmed (d delegated by the 经信局) and handed over
    meetingId = await closedMeetingOf(db.knex, 'normal');
    department = Number((await db.knex('units').where({ name: '成都市经济和信息化局' }).first('id')).id);
    a = await dossierAtConfirmation(t, db.knex, 'ci_a', meetingId);
    b = await dossierAtConfirmation(t, db.knex, 'ci_b', meetingId);
    c = await dossierAtConfirmation(t, db.knex, 'ci_c', meetingId);
    d = await dossierAtConfirmation(t, db.knex, 'ci_d', meetingId, department);
    await requestConfirmationOf(t, db.knex, meetingId, [a, b, c, d]);
    for (const [user, kind] of [['cd_hr', 'direct'], ['cd_jxj', 'delegated']] as const) {
      const file = await uploadPdf(t, user, '任职资格文件.pdf');
      await json(user, 'PUT', `/api/result-confirmations/${meetingId}/qualification-file`, { fileId: file.id });
      await json(user, 'POST', `/api/result-confirmations/${meetingId}/pass-all?kind=${kind}`);
    }
    await t.app.engine.deliverMessages();
    const setNo = (dossierIds: number[], documentNo: string) => json('cd_pw', 'PUT', `/api/meetings/${meetingId}/confirmation/document-numbers`, { dossierIds, documentNo, approvalDate: '2026-07-01' });
    await setNo([a, b], '川人社职〔2026〕10号');
    await setNo([c], '川人社职〔2026〕11号');
    await setNo([d], '川人社职〔2026〕12号');
    await json('cd_pw', 'POST', `/api/meetings/${meetingId}/confirmation/handover`);
  });

  it('lists the committee’s handed-over persons in 待处理 of the 授权管理单位 and the delegated one in 未处理 of the delegating unit', async () => {
    // When the city bureau opens 待处理 and the 经信局 opens 未处理
    const review = await json<Array<{ meetingId: number; persons: Array<{ dossierId: number; documentNo: string; idNumber: string }> }>>('cd_hr', 'GET', '/api/certificate-issuance/review/pending');
    const delegated = await json<Array<{ committeeName: string; persons: Array<{ dossierId: number }> }>>('cd_jxj', 'GET', '/api/certificate-issuance/delegated/pending');
    // Then the bureau has the three directly reviewed ones under the meeting, with masked ID numbers
    expect(review).toHaveLength(1);
    expect(review[0]!.meetingId).toBe(meetingId);
    expect(review[0]!.persons.map((p) => p.dossierId).sort()).toEqual([a, b, c].sort());
    expect(review[0]!.persons.every((p) => /^\d{4}\*{10}[\dX]{4}$/.test(p.idNumber))).toBe(true);
    // and the 经信局 has the delegated one, grouped by committee; neither sees the other's
    expect(delegated.flatMap((g) => g.persons.map((p) => p.dossierId))).toEqual([d]);
    expect(delegated[0]!.committeeName).toBeTruthy();
    expect(await json('cd_jxj', 'GET', '/api/certificate-issuance/review/pending')).toEqual([]);
    expect(await json('cd_hr', 'GET', '/api/certificate-issuance/delegated/pending')).toEqual([]);
  });

  it('审核通过 makes one batch per 文号; a double click makes no second batch', async () => {
    // When 审核通过 is pressed twice at once for the three
    const [first, second] = await Promise.all([
      call('cd_hr', 'POST', '/api/certificate-issuance/review/approve', { dossierIds: [a, b, c] }),
      call('cd_hr', 'POST', '/api/certificate-issuance/review/approve', { dossierIds: [a, b, c] }),
    ]);
    // Then one succeeds and the other is refused with 409
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    // and 待发放 holds two batches (10号: a and b; 11号: c), each with its flow waiting at 生成证书
    const list = await batches('cd_hr', 'review');
    expect(list.map((x) => [x.documentNo, x.pendingCount]).sort()).toEqual([['川人社职〔2026〕10号', 2], ['川人社职〔2026〕11号', 1]]);
    expect(list.every((x) => x.taskId != null)).toBe(true);
    expect(await db.knex('issuance_batch_items').whereIn('source_id', [a, b, c]).where({ source_type: 'dossier' }).count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(3);
    expect(await json('cd_hr', 'GET', '/api/certificate-issuance/review/pending')).toEqual([]);
  });

  it('取消发证 needs a reason, hands the person back to the committee with it, and 提交发证信息 hands them again', async () => {
    const batch11 = (await batches('cd_hr', 'review')).find((x) => x.documentNo === '川人社职〔2026〕11号')!;
    const [person] = (await detail('cd_hr', batch11.id)).persons;
    // When the bureau cancels c without a reason, then with one
    const noReason = await call('cd_hr', 'POST', `/api/certificate-issuance/batches/${batch11.id}/cancel`, { itemIds: [person!.id] });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details).toEqual([expect.objectContaining({ field: 'reason' })]);
    await json('cd_hr', 'POST', `/api/certificate-issuance/batches/${batch11.id}/cancel`, { itemIds: [person!.id], reason: '身份证号与档案不一致，请核实' });

    // Then the batch, left empty, is withdrawn (撤销批次) and c is back with the committee with the reason
    expect((await detail('cd_hr', batch11.id)).batch.state).toBe('discarded');
    const view = await json<{ candidates: Array<{ dossierId: number; handedAt: string | null; certificateReturnReason: string | null }> }>('cd_pw', 'GET', `/api/meetings/${meetingId}/confirmation`);
    expect(view.candidates.find((x) => x.dossierId === c)).toMatchObject({ handedAt: null, certificateReturnReason: '身份证号与档案不一致，请核实' });
    expect(view.candidates.find((x) => x.dossierId === a)?.certificateReturnReason).toBeNull();

    // When the committee hands the person over again (提交发证信息)
    const again = await json<{ handedOver: number }>('cd_pw', 'POST', `/api/meetings/${meetingId}/confirmation/handover`);
    // Then only c is handed, and arrives again in 待处理
    expect(again.handedOver).toBe(1);
    const pending = await json<Array<{ persons: Array<{ dossierId: number }> }>>('cd_hr', 'GET', '/api/certificate-issuance/review/pending');
    expect(pending.flatMap((g) => g.persons.map((p) => p.dossierId))).toEqual([c]);
    expect((await json<{ batches: unknown[] }>('cd_hr', 'POST', '/api/certificate-issuance/review/approve', { dossierIds: [c] })).batches).toHaveLength(1);
  });

  it('refuses a 文号 whose year is not the approval year, naming the field, and 发证 without the stamped PDF', async () => {
    const batch10 = (await batches('cd_hr', 'review')).find((x) => x.documentNo === '川人社职〔2026〕10号')!;
    // When the 文号 of the wrong year is set
    const wrongYear = await call('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batch10.id}/issuing-data`, { documentNo: '川人社职〔2025〕10号', approvalDate: '2026-07-01' });
    // Then 400 names documentNo, and nothing changed
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().details).toEqual([expect.objectContaining({ field: 'documentNo' })]);
    expect((await detail('cd_hr', batch10.id)).persons.map((p) => p.documentNo)).toEqual(['川人社职〔2026〕10号', '川人社职〔2026〕10号']);
    // When 发证 is pressed before the stamped summary is uploaded
    const early = await call('cd_hr', 'POST', `/api/certificate-issuance/batches/${batch10.id}/issue`);
    // Then it is refused, naming the 盖章汇总表; the batch still waits
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('盖章汇总表');
    expect((await detail('cd_hr', batch10.id)).batch.state).toBe('pending');
    // and a stamped file that is not a PDF is refused
    const res = await upload(t, 'cd_hr', [{ name: '汇总表.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: Buffer.from('not a pdf') }]);
    const [xlsx] = res.json() as Array<{ id: string }>;
    const notPdf = await call('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batch10.id}/stamped-file`, { fileId: xlsx!.id });
    expect(notPdf.statusCode).toBe(400);
    expect(notPdf.json().details).toEqual([expect.objectContaining({ field: 'fileId' })]);

    // When the stamped PDF is there but a person's account has lost its ID number
    await json('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batch10.id}/stamped-file`, { fileId: (await uploadPdf(t, 'cd_hr', '盖章汇总表.pdf')).id });
    // (the number is sealed at rest: its plain column, seal and hash all go, and come back after)
    const idNumberOfA = await db.knex('users').where({ username: 'ci_a' }).first('id_number', 'id_number_enc', 'id_number_hash');
    await db.knex('users').where({ username: 'ci_a' }).update({ id_number: null, id_number_enc: null, id_number_hash: null });
    const noId = await call('cd_hr', 'POST', `/api/certificate-issuance/batches/${batch10.id}/issue`);
    await db.knex('users').where({ username: 'ci_a' }).update(idNumberOfA);
    // Then 发证 is refused naming the person, rather than failing in the background
    expect(noId.statusCode).toBe(409);
    expect(noId.json().message).toContain('身份证号缺失或无效');
    expect(noId.json().message).toContain('确认申报人1');
    expect((await detail('cd_hr', batch10.id)).batch.state).toBe('pending');
  });

  it('exports the summary table as Excel and as a Chinese PDF', async () => {
    const batch10 = (await batches('cd_hr', 'review')).find((x) => x.documentNo === '川人社职〔2026〕10号')!;
    const xlsx = await call('cd_hr', 'GET', `/api/certificate-issuance/batches/${batch10.id}/summary.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('发证汇总表')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('姓名');
    expect(sheet.rowCount).toBe(3);
    expect(String(sheet.getRow(2).getCell(11).value)).toBe('川人社职〔2026〕10号');
    const pdf = await call('cd_hr', 'GET', `/api/certificate-issuance/batches/${batch10.id}/summary.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // the text is Chinese, with the persons and the 文号, and no full ID number
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('评审发证汇总表');
    expect(text).toContain('确认申报人1');
    expect(text).toContain('川人社职〔2026〕10号');
    expect(text).toContain('成都市人力资源和社会保障局（盖章）');
    const idOfA = (await db.knex('users').where({ username: 'ci_a' }).first('id_number')).id_number as string;
    expect(text).not.toContain(idOfA);
  });

  it('issues a review batch: the generation runs in the background, the dossiers become certified, 办结 is allowed once all are', async () => {
    const list = await batches('cd_hr', 'review');
    const ab = list.find((x) => x.documentNo === '川人社职〔2026〕10号')!;
    const cBatch = list.find((x) => x.documentNo === '川人社职〔2026〕11号' && x.state === 'pending')!;

    // When the stamped summary is uploaded and 发证 pressed twice
    const stamped = await uploadPdf(t, 'cd_hr', '盖章汇总表.pdf');
    await json('cd_hr', 'PUT', `/api/certificate-issuance/batches/${ab.id}/stamped-file`, { fileId: stamped.id });
    const [one, two] = await Promise.all([call('cd_hr', 'POST', `/api/certificate-issuance/batches/${ab.id}/issue`), call('cd_hr', 'POST', `/api/certificate-issuance/batches/${ab.id}/issue`)]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 409]);
    await t.app.certificates.runGenerations();
    await t.app.engine.deliverMessages();

    // Then the batch is 已发放 with a certificate each, signed by the bureau's key, and progress says done
    const done = await detail('cd_hr', ab.id);
    expect(done.batch.state).toBe('issued');
    expect(done.persons.map((p) => p.state)).toEqual(['issued', 'issued']);
    expect(done.progress).toMatchObject({ total: 2, issued: 2, state: 'done' });
    const progress = await json<{ issued: number; state: string }>('cd_hr', 'GET', `/api/certificate-generations/${encodeURIComponent(done.batch.generationRef!)}`);
    expect(progress).toMatchObject({ issued: 2, state: 'done' });
    const certs = await json<Array<{ id: number; certificateNo: string; dossierId: number; titleName: string; idNumber: string }>>('cd_hr', 'GET', `/api/certificate-issuance/batches/${ab.id}/certificates`);
    expect(certs.map((x) => x.dossierId).sort()).toEqual([a, b].sort());
    expect(certs.every((x) => x.titleName === '工程师' && x.idNumber.includes('*'))).toBe(true);
    const cityBureau = Number((await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id')).id);
    for (const row of await db.knex('certificates').whereIn('dossier_id', [a, b])) {
      expect(row).toMatchObject({ kind: 'review', source_type: 'dossier', document_no: '川人社职〔2026〕10号', issuer_unit_id: expect.anything() });
      expect(Number(row.issuer_unit_id)).toBe(cityBureau);
      const key = await db.knex('certificate_keys').where({ key_id: row.key_id }).first();
      expect(sm2Verify(row.payload, row.signature, key.public_key)).toBe(true);
    }
    // and each dossier got 证书已发放 once, with its number, and is certified
    for (const id of [a, b]) {
      expect(await dossierStatus(id)).toBe('certified');
      const messages = await issuedMessages(id);
      expect(messages).toHaveLength(1);
      expect(messages[0].payload.certificateNo).toBe(certs.find((x) => x.dossierId === id)!.certificateNo);
    }
    expect((await batches('cd_hr', 'review', 'issued')).map((x) => x.id)).toContain(ab.id);

    // When the committee tries 办结 while c and d are still without certificates
    const early = await call('cd_pw', 'POST', `/api/meetings/${meetingId}/confirmation/close`);
    expect(early.statusCode).toBe(409);

    // When c's batch is issued too, and the 经信局 enters its delegated person's data and issues (next test)
    await stampAndIssue('cd_hr', cBatch.id);
    expect(await dossierStatus(c)).toBe('certified');
  });

  it('委托发证: the delegating unit enters the issuing data and issues under its own key; then 办结 is allowed', async () => {
    // When the 经信局 enters a 文号 of the wrong year, then the right one
    const wrong = await call('cd_jxj', 'POST', '/api/certificate-issuance/delegated/batches', { dossierIds: [d], documentNo: '成经信发〔2025〕3号', approvalDate: '2026-07-10' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details).toEqual([expect.objectContaining({ field: 'documentNo' })]);
    // and the bureau cannot take the delegated person
    expect((await call('cd_hr', 'POST', '/api/certificate-issuance/delegated/batches', { dossierIds: [d], documentNo: '成经信发〔2026〕3号', approvalDate: '2026-07-10' })).statusCode).toBe(404);
    const created = await json<{ batches: Array<{ id: number }> }>('cd_jxj', 'POST', '/api/certificate-issuance/delegated/batches', { dossierIds: [d], documentNo: '成经信发〔2026〕3号', approvalDate: '2026-07-10' });
    const batchId = created.batches[0]!.id;
    expect((await batches('cd_jxj', 'delegated')).map((x) => x.id)).toEqual([batchId]);
    // the flow is the 委托发证 diagram
    const instance = await db.knex('process_instances').where({ business_key: `issuance-batch:${batchId}` }).first('process_key');
    expect(instance.process_key).toBe('delegated-certificate');

    // When it uploads the stamped summary and issues
    await stampAndIssue('cd_jxj', batchId);

    // Then the certificate is the delegating unit's (kind delegated), and the dossier is certified
    const cert = await db.knex('certificates').where({ dossier_id: d }).first();
    expect(cert).toMatchObject({ kind: 'delegated', document_no: '成经信发〔2026〕3号' });
    expect(Number(cert.issuer_unit_id)).toBe(department);
    expect(await dossierStatus(d)).toBe('certified');
    expect(await issuedMessages(d)).toHaveLength(1);

    // and the committee's 办结 now goes through
    expect((await call('cd_pw', 'POST', `/api/meetings/${meetingId}/confirmation/close`)).statusCode).toBe(200);
  });

  it('answers 403 to a unit without 证书生成 and 404 to another issuing unit on every batch route', async () => {
    const [batch] = await batches('cd_hr', 'review', 'issued');
    const id = batch!.id;
    const batchRoutes: Array<[string, string, unknown?]> = [
      ['GET', `/api/certificate-issuance/batches/${id}`],
      ['POST', `/api/certificate-issuance/batches/${id}/cancel`, { itemIds: [1], reason: '核实' }],
      ['PUT', `/api/certificate-issuance/batches/${id}/issuing-data`, { documentNo: '川人社职〔2026〕1号', approvalDate: '2026-07-01' }],
      ['GET', `/api/certificate-issuance/batches/${id}/summary.xlsx`],
      ['GET', `/api/certificate-issuance/batches/${id}/summary.pdf`],
      ['PUT', `/api/certificate-issuance/batches/${id}/stamped-file`, { fileId: '00000000-0000-4000-8000-000000000000' }],
      ['POST', `/api/certificate-issuance/batches/${id}/issue`],
      ['GET', `/api/certificate-issuance/batches/${id}/certificates`],
    ];
    const anyRoutes: Array<[string, string, unknown?]> = [
      ['GET', '/api/certificate-issuance/review/pending'],
      ['GET', '/api/certificate-issuance/delegated/pending'],
      ['POST', '/api/certificate-issuance/review/approve', { dossierIds: [1] }],
      ['POST', '/api/certificate-issuance/delegated/batches', { dossierIds: [1], documentNo: '川人社职〔2026〕1号', approvalDate: '2026-07-01' }],
      ['GET', '/api/certificate-issuance/review/batches'],
      ['GET', '/api/certificate-issuance/initial/persons'],
      ['POST', '/api/certificate-issuance/initial/persons', {}],
      ['POST', '/api/certificate-issuance/initial/import', { fileId: '00000000-0000-4000-8000-000000000000' }],
      ['GET', '/api/certificate-issuance/initial/template'],
      ['GET', '/api/certificate-issuance/initial/options'],
      ['POST', '/api/certificate-issuance/initial/batches', { personIds: [1] }],
    ];
    // Given the committee's clerk (no 证书生成) and an employer clerk: 403 everywhere
    for (const user of ['cd_pw', 'kj_hr']) {
      for (const [method, url, body] of [...batchRoutes, ...anyRoutes]) {
        expect({ user, url, status: (await call(user, method, url, body)).statusCode }).toEqual({ user, url, status: 403 });
      }
    }
    // Given the province bureau's clerk (证书生成, another unit): the bureau's batch is not found
    for (const [method, url, body] of batchRoutes) {
      expect({ url, status: (await call('sc_hr', method, url, body)).statusCode }).toEqual({ url, status: 404 });
    }
    // and the bureau's persons are not theirs to approve
    expect((await call('sc_hr', 'POST', '/api/certificate-issuance/review/approve', { dossierIds: [a] })).statusCode).toBe(404);
    // and a department (not an HR bureau) has no 初定发证
    expect((await call('cd_jxj', 'GET', '/api/certificate-issuance/initial/persons')).statusCode).toBe(403);
  });
});

const idNumber = (serial: number, birth = '19900307') => personId(birth, serial % 1000);

async function initialWorkbook(rows: Array<Record<string, string>>): Promise<Buffer> {
  const template = await call('cd_hr', 'GET', '/api/certificate-issuance/initial/template');
  expect(template.statusCode).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('初定人员')!;
  sheet.spliceRows(2, sheet.rowCount);
  for (const r of rows) sheet.addRow([r.name, r.id, r.gender ?? '', '工程技术', '机械工程', '助理工程师', '初级', '成都示范科技有限公司', '大学本科']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function importInitial(rows: Array<Record<string, string>>) {
  const content = await initialWorkbook(rows);
  const res = await upload(t, 'cd_hr', [{ name: '初定人员.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content }]);
  const [file] = res.json() as Array<{ id: string }>;
  return call('cd_hr', 'POST', '/api/certificate-issuance/initial/import', { fileId: file!.id });
}

describe('初定发证', () => {
  it('imports persons from the template, refusing a file with a bad row, and issues a batch', async () => {
    // When a workbook with a bad ID number in row 3 is imported
    const bad = await importInitial([{ name: '初定甲', id: idNumber(1) }, { name: '初定乙', id: '510104199003070000' }]);
    // Then nothing is imported and the problem names the row and field
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([expect.objectContaining({ field: 'rows.3.idNumber' })]);
    expect(await json('cd_hr', 'GET', '/api/certificate-issuance/initial/persons')).toEqual([]);

    // When a good one is imported (twice: the second adds nobody) and one person entered by hand
    expect((await importInitial([{ name: '初定甲', id: idNumber(1) }, { name: '初定乙', id: idNumber(2) }])).json()).toEqual({ imported: 2, skipped: 0 });
    expect((await importInitial([{ name: '初定甲', id: idNumber(1) }, { name: '初定乙', id: idNumber(2) }])).json()).toEqual({ imported: 0, skipped: 2 });
    const wrongGender = await call('cd_hr', 'POST', '/api/certificate-issuance/initial/persons', { personName: '初定丙', idNumber: idNumber(3), gender: '女', series: '工程技术', specialty: '电气工程', titleName: '助理工程师', level: '初级' });
    expect(wrongGender.statusCode).toBe(400);
    expect(wrongGender.json().details).toEqual([expect.objectContaining({ field: 'gender' })]);
    await json('cd_hr', 'POST', '/api/certificate-issuance/initial/persons', { personName: '初定丙', idNumber: idNumber(3), series: '工程技术', specialty: '电气工程', titleName: '助理工程师', level: '初级', education: '大学专科' });
    const persons = await json<Array<{ id: number; personName: string; gender: string }>>('cd_hr', 'GET', '/api/certificate-issuance/initial/persons');
    expect(persons.map((p) => p.personName)).toEqual(['初定甲', '初定乙', '初定丙']);
    expect(persons[2]!.gender).toBe('男');

    // When 添加批次 is pressed twice at once
    const ids = persons.map((p) => p.id);
    const [x, y] = await Promise.all([call('cd_hr', 'POST', '/api/certificate-issuance/initial/batches', { personIds: ids }), call('cd_hr', 'POST', '/api/certificate-issuance/initial/batches', { personIds: ids })]);
    // Then one batch holds the three (发放中) and 未发放 is empty
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const [batch] = await batches('cd_hr', 'initial');
    expect(batch!.pendingCount).toBe(3);
    expect(await json('cd_hr', 'GET', '/api/certificate-issuance/initial/persons')).toEqual([]);

    // When 发证 is pressed before the approval date and 文号 are set
    await json('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batch!.id}/stamped-file`, { fileId: (await uploadPdf(t, 'cd_hr', '盖章汇总表.pdf')).id });
    const missing = await call('cd_hr', 'POST', `/api/certificate-issuance/batches/${batch!.id}/issue`);
    expect(missing.statusCode).toBe(409);
    expect(missing.json().message).toContain('职称文件文号');
    // When the data is set for all and the batch issued
    await json('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batch!.id}/issuing-data`, { documentNo: '成人社初〔2026〕5号', approvalDate: '2026-08-01' });
    await json('cd_hr', 'POST', `/api/certificate-issuance/batches/${batch!.id}/issue`);
    await t.app.certificates.runGenerations();
    await t.app.engine.deliverMessages();

    // Then the three have 初定 certificates, the batch is 已发放 and its flow ended without dossier messages
    const done = await detail('cd_hr', batch!.id);
    expect(done.batch.state).toBe('issued');
    const certs = await db.knex('certificates').where({ source_type: 'initial' }).whereIn('source_id', ids).orderBy('source_id');
    expect(certs.map((r) => [r.kind, r.person_name, r.title_name, r.level, r.gender])).toEqual([
      ['initial', '初定甲', '助理工程师', '初级', '男'],
      ['initial', '初定乙', '助理工程师', '初级', '女'],
      ['initial', '初定丙', '助理工程师', '初级', '男'],
    ]);
    expect(certs.every((r) => r.certificate_no.slice(4, 5) === '2')).toBe(true);
    const instance = await db.knex('process_instances').where({ business_key: `issuance-batch:${batch!.id}` }).first('status');
    expect(instance.status).toBe('completed');
    expect(await db.knex('initial_persons').whereIn('id', ids).pluck('state')).toEqual(['issued', 'issued', 'issued']);
  });

  it('a restart in the middle of a generation issues nothing twice', async () => {
    // Given 120 imported persons in one batch, ready to issue
    const rows = Array.from({ length: 120 }, (_, i) => ({ name: `重启${i + 1}`, id: idNumber(100 + i, '19880512') }));
    expect((await importInitial(rows)).json()).toEqual({ imported: 120, skipped: 0 });
    // (the list is paged: one page of 200 holds the 120)
    const persons = await json<Array<{ id: number }>>('cd_hr', 'GET', '/api/certificate-issuance/initial/persons?pageSize=200');
    expect(persons).toHaveLength(120);
    const created = await json<{ id: number }>('cd_hr', 'POST', '/api/certificate-issuance/initial/batches', { personIds: persons.map((p) => p.id) });
    const batchId = created.id;
    await json('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batchId}/issuing-data`, { documentNo: '成人社初〔2026〕6号', approvalDate: '2026-08-02' });
    await json('cd_hr', 'PUT', `/api/certificate-issuance/batches/${batchId}/stamped-file`, { fileId: (await uploadPdf(t, 'cd_hr', '盖章汇总表.pdf')).id });

    // the process dies while a chunk of the background generation is inserting: the test holds the
    // certificates table and cancels the waiting insert, as a killed process would leave it
    // `mustBlock`: the work starts a chunk that must be caught; otherwise a stop that writes nothing (a
    // server that leaves the rest to the next start) is as good as one whose chunk is killed
    const blocked = async (work: () => Promise<unknown>, mustBlock: boolean) => {
      const holder = await db.knex.transaction();
      await holder.raw('lock table certificates in share mode');
      let settled = false;
      const running = work().finally(() => {
        settled = true;
      });
      let pid: number | undefined;
      for (let i = 0; i < 400 && pid == null && (mustBlock || !settled); i++) {
        const { rows: waiting } = await db.knex.raw("select pid from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'insert into \"certificates\"%'");
        pid = waiting[0]?.pid;
        if (pid == null) await new Promise((r) => setTimeout(r, 25));
      }
      if (mustBlock) expect(pid).toBeDefined();
      if (pid != null) await db.knex.raw('select pg_cancel_backend(?)', [pid]);
      await holder.commit();
      await running;
    };
    // When 发证 is pressed and the first run dies
    await blocked(() => json('cd_hr', 'POST', `/api/certificate-issuance/batches/${batchId}/issue`), true);
    // (the dead run leaves its error on the generation, nothing issued)
    const ref = `issuance-batch:${batchId}`;
    for (let i = 0; i < 200 && !(await t.app.certificates.progress(ref))?.lastError; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await t.app.certificates.progress(ref)).toMatchObject({ issued: 0, state: 'running', lastError: expect.any(String) });
    // and the process issues one chunk, then is stopped while the next one is being written
    const generation = await db.knex('certificate_generations').where({ ref: `issuance-batch:${batchId}` }).first('id');
    expect(await t.app.certificates.generateChunk(Number(generation.id))).toBe(true);
    expect(await db.knex('certificates').where({ generation_ref: `issuance-batch:${batchId}` }).count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(100);
    await blocked(() => t.close(), false);
    expect((await db.knex('issuance_batches').where({ id: batchId }).first('state')).state).toBe('generating');

    // When a new process starts on the same database and finishes the work
    t = await startTestApp(db, { deploy: false });
    await t.app.certificates.runGenerations();
    await t.app.engine.deliverMessages();

    // Then each of the 120 has exactly one certificate, the batch is 已发放, and the finish came once
    const certs = await db.knex('certificates').where({ source_type: 'initial' }).whereIn('source_id', persons.map((p) => p.id)).select('source_id');
    expect(certs).toHaveLength(120);
    expect(new Set(certs.map((r) => Number(r.source_id))).size).toBe(120);
    expect((await detail('cd_hr', batchId)).batch).toMatchObject({ state: 'issued', issuedCount: 120, pendingCount: 0 });
    expect(await db.knex('process_messages').where({ name: 'certificate-generation-finished', correlation_key: `issuance-batch:${batchId}` })).toHaveLength(1);
  });
});
