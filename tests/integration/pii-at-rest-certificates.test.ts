import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload, uploadPdf } from '../helpers/files.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { HISTORY_BODY, HISTORY_DOC, historyRow, historyWorkbook, postWorkbook } from '../helpers/history-data.ts';
import { createPiiCipher, maskIdNumber, parsePiiKeys } from '../../api/src/pii.ts';
import type { CertificateSubject } from '../../api/modules/certificates/certificates.types.ts';
import { createPersonalInformationRepository } from '../../api/modules/personal-information/personal-information.repository.ts';
import { createSealer } from '../../api/modules/personal-information/personal-information.service.ts';
import { CERTIFICATES_SEALED } from '../../api/modules/certificates/certificates.pii.ts';
import { INITIAL_PERSONS_SEALED } from '../../api/modules/certificate-issuance/certificate-issuance.pii.ts';
import { HISTORY_RECORDS_SEALED } from '../../api/modules/history-data/history-data.pii.ts';

/**
 * 个人信息 at rest for certificates, 初定 persons and 历史职称数据 (issue 21): the ID numbers are
 * sealed (SM4) with a keyed hash beside them; lookups, the 初定 duplicate and the 高风险提醒 of an
 * import find people by the hash, lists and exports stay masked, the holder's PDF still carries
 * their (masked) number.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let cityBureau: number;
let department: number;

const TABLES = ['certificates', 'initial_persons', 'history_records'] as const;

/** An ID number whose check character is X (the lower-case x case of the lookups). */
function idWithX(birth: string, from: number): string {
  for (let seq = from; seq < from + 200; seq++) {
    const id = idNumber(birth, seq);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X');
}

const plainLeft = async (table: string) => Number((await db.knex(table).whereNotNull('id_number').count({ n: '*' }).first())?.n);
const rowsContaining = async (table: string, value: string) =>
  Number((await db.knex.raw(`select count(*)::int as n from ${table} t where position(? in row_to_json(t)::text) > 0`, [value])).rows[0].n);

const subject = (n: number, over: Partial<CertificateSubject> = {}): CertificateSubject => ({
  kind: 'initial',
  sourceType: 'initial',
  sourceId: 91_000 + n,
  personName: `密存证书${n}`,
  idNumber: idNumber('19870512', 500 + n),
  series: '工程技术',
  specialty: '机械工程',
  titleName: '助理工程师',
  level: '初级',
  issuerUnitId: cityBureau,
  approvalDate: '2026-06-30',
  documentNo: '成人社职〔2026〕21号',
  ...over,
});
const issueOne = async (s: CertificateSubject) => (await db.knex.transaction((trx) => t.app.certificates.issue(trx, [s], { actorId: null, now: t.clock.now() })))[0]!;

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pii-cert-')), 'c.pdf');
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

async function xlsxText(payload: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? '')))));
  return cells.join('\n');
}

async function historyBatch(): Promise<number> {
  const bodies = (await t.request('GET', '/api/history-bodies', { user: 'cd_hr' })).json() as Array<{ name: string }>;
  if (!bodies.some((b) => b.name === HISTORY_BODY)) {
    const made = await t.request('POST', '/api/history-bodies', { user: 'cd_hr', body: { name: HISTORY_BODY, series: ['engineering'], levels: ['intermediate'], unitIds: [department] } });
    expect(made.statusCode, made.body).toBe(201);
  }
  const created = await t.request('POST', '/api/history-uploads', { user: 'cd_jxj', body: { acquisitionType: 'review', documentNo: HISTORY_DOC } });
  expect(created.statusCode, created.body).toBe(201);
  return (created.json() as { id: number }).id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const unit = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  cityBureau = await unit('成都市人力资源和社会保障局');
  department = await unit('成都市经济和信息化局');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the sweep over rows an old release wrote in the clear', () => {
  it('leaves no plain ID number in certificates, 初定 persons or history records, and the seals open to them', async () => {
    // given one row of each table written with its number in the clear (as before the migration)
    const certId = idWithX('19750101', 10);
    const initialId = idWithX('19760101', 10);
    const historyId = idWithX('19770101', 10);
    const issued = await issueOne(subject(1));
    const { id: _id, id_number_enc: _e, id_number_hash: _h, pii_key_id: _k, ...copy } = await db.knex('certificates').where({ id: issued.id }).first();
    await db.knex('certificates').insert({ ...copy, certificate_no: `${copy.certificate_no}9`, source_id: 99_001, id_number: certId });
    await db.knex('initial_persons').insert({ unit_id: cityBureau, person_name: '旧初定', id_number: initialId, series: '工程技术', specialty: '机械工程', title_name: '助理工程师', level: '初级', created_at: t.clock.now() });
    const uploadId = await historyBatch();
    await db.knex('history_records').insert({ upload_id: uploadId, row_no: 1, person_name: '旧历史', id_number: historyId });
    // when the sweep runs
    await t.app.sealer.sweep();
    // then no plain column holds a number, no stored column contains one, and each seal opens to it
    for (const table of TABLES) expect({ table, plain: await plainLeft(table) }).toEqual({ table, plain: 0 });
    for (const [table, id] of [['certificates', certId], ['initial_persons', initialId], ['history_records', historyId]] as const) {
      expect({ table, rows: await rowsContaining(table, id) }).toEqual({ table, rows: 0 });
      const row = await db.knex(table).where({ id_number_hash: t.app.pii.hash('idNumber', id.toLowerCase()) }).first();
      expect(t.app.pii.open(row.id_number_enc)).toBe(id);
    }
  });
});

describe('certificates', () => {
  it('stores a new certificate sealed at once and finds it by ID number typed with a lower-case x, shown masked', async () => {
    // given a certificate issued now (no sweep after it)
    const id = idWithX('19880808', 20);
    const issued = await issueOne(subject(2, { idNumber: id }));
    const stored = await db.knex('certificates').where({ id: issued.id }).first();
    expect(stored.id_number).toBeNull();
    expect(stored.id_number_hash).toBe(t.app.pii.hash('idNumber', id));
    // when the issuer searches 已发放 by the number with a lower-case x
    const res = await t.request('GET', `/api/certificates?filter=${encodeURIComponent(JSON.stringify({ q: id.toLowerCase() }))}`, { user: 'cd_hr' });
    // then the one certificate is found, its number masked
    expect(res.statusCode).toBe(200);
    expect((res.json() as Array<{ id: number; idNumber: string }>).map((c) => [c.id, c.idNumber])).toEqual([[issued.id, maskIdNumber(id)]]);
  });

  it('exports 已发放 with masked numbers only', async () => {
    // given a certificate of the unit
    const id = idNumber('19880809', 21);
    await issueOne(subject(3, { idNumber: id }));
    // when the list is exported
    const res = await t.request('GET', '/api/certificates/export', { user: 'cd_hr' });
    // then the sheet shows the masked number and never the full one
    expect(res.statusCode).toBe(200);
    const text = await xlsxText(res.rawPayload);
    expect(text).toContain(maskIdNumber(id));
    expect(text).not.toContain(id);
  });

  it('gives the holder their certificate PDF with their number on it (masked as printed)', async () => {
    // given a certificate of the demo applicant 张伟, sealed at rest
    const account = await db.knex('users').where({ username: 'zhangwei' }).first('id', 'display_name', 'id_number_enc');
    // the account's number is sealed too: open it as the certificate flow does
    const zhang = { ...account, id_number: t.app.pii.open(account.id_number_enc) as string };
    const issued = await issueOne(subject(4, { userId: Number(zhang.id), personName: zhang.display_name, idNumber: zhang.id_number }));
    expect((await db.knex('certificates').where({ id: issued.id }).first()).id_number).toBeNull();
    // when the holder downloads it
    const res = await t.request('GET', `/api/my/certificates/${issued.id}/pdf`, { user: 'zhangwei' });
    // then the PDF names them and carries their number as the certificate prints it
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain(zhang.display_name);
    expect(text).toContain(maskIdNumber(zhang.id_number));
  });

  it('keeps no ID number in the clear in a background generation, before or after it is issued', async () => {
    // given a generation queued for two persons
    const ids = [idNumber('19880810', 30), idNumber('19880810', 31)];
    const ref = 'pii-test-generation';
    await db.knex.transaction((trx) => t.app.certificates.startGeneration(trx, { ref, issuerUnitId: cityBureau, actorId: null, subjects: ids.map((id, i) => subject(10 + i, { idNumber: id })) }));
    const generation = await db.knex('certificate_generations').where({ ref }).first('id');
    const queued = JSON.stringify(await db.knex('certificate_generation_items').where({ generation_id: generation.id }).pluck('subject'));
    // when it runs to the end (the run the commit started in the background, then any chunk left)
    await new Promise((resolve) => setImmediate(resolve));
    await t.app.certificates.runGenerations();
    while (await t.app.certificates.generateChunk(Number(generation.id)));
    const done = JSON.stringify(await db.knex('certificate_generation_items').where({ generation_id: generation.id }).pluck('subject'));
    // then neither the queued nor the issued items hold a number, and both certificates carry theirs
    for (const id of ids) {
      expect(queued).not.toContain(id);
      expect(done).not.toContain(id);
    }
    const rows = await db.knex('certificates').whereIn('source_id', [91_010, 91_011]).where({ source_type: 'initial' }).orderBy('source_id');
    expect(rows.map((r) => t.app.pii.open(r.id_number_enc))).toEqual(ids);
  });
});

describe('初定 persons', () => {
  it('seals a person entered by hand at once and refuses the same person again, typed with a lower-case x', async () => {
    // given a person entered through the API
    const id = idWithX('19930303', 40);
    const person = { personName: '密存初定', idNumber: id, series: '工程技术', specialty: '机械工程', titleName: '助理工程师', level: '初级' };
    const first = await t.request('POST', '/api/certificate-issuance/initial/persons', { user: 'cd_hr', body: person });
    expect(first.statusCode, first.body).toBe(200);
    const stored = await db.knex('initial_persons').where({ id: (first.json() as { id: number }).id }).first();
    expect([stored.id_number, t.app.pii.open(stored.id_number_enc)]).toEqual([null, id]);
    // when the same person is entered again with a lower-case x
    const again = await t.request('POST', '/api/certificate-issuance/initial/persons', { user: 'cd_hr', body: { ...person, idNumber: id.toLowerCase() } });
    // then it is a 409 and the list shows the one person, masked
    expect(again.statusCode).toBe(409);
    const listed = (await t.request('GET', '/api/certificate-issuance/initial/persons', { user: 'cd_hr' })).json() as Array<{ personName: string; idNumber: string }>;
    expect(listed.filter((p) => p.personName === '密存初定').map((p) => p.idNumber)).toEqual([maskIdNumber(id)]);
  });

  it('imports a persons sheet matching people already entered by the hash, also one the sweep has not reached', async () => {
    // given one person entered (sealed) and one left in the clear by an old release
    const sealed = idNumber('19940404', 50);
    const unsealed = idNumber('19940404', 51);
    const fresh = idNumber('19940404', 52);
    const entry = (name: string, id: string) => ({ personName: name, idNumber: id, series: '工程技术', specialty: '机械工程', titleName: '助理工程师', level: '初级' });
    expect((await t.request('POST', '/api/certificate-issuance/initial/persons', { user: 'cd_hr', body: entry('导入已有', sealed) })).statusCode).toBe(200);
    await db.knex('initial_persons').insert({ unit_id: cityBureau, person_name: '导入旧有', id_number: unsealed, series: '工程技术', specialty: '机械工程', title_name: '助理工程师', level: '初级', created_at: t.clock.now() });
    // when a sheet with both of them and a new person is imported
    const template = await t.request('GET', '/api/certificate-issuance/initial/template', { user: 'cd_hr' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('初定人员')!;
    sheet.spliceRows(2, sheet.rowCount);
    for (const [name, id] of [['导入已有', sealed], ['导入旧有', unsealed], ['导入新人', fresh]]) sheet.addRow([name, id, '', '工程技术', '机械工程', '助理工程师', '初级', '成都示范科技有限公司', '大学本科']);
    const uploaded = await upload(t, 'cd_hr', [{ name: '初定人员.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    const [file] = uploaded.json() as Array<{ id: string }>;
    const res = await t.request('POST', '/api/certificate-issuance/initial/import', { user: 'cd_hr', body: { fileId: file!.id } });
    // then only the new person is added, sealed
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 1, skipped: 2 });
    const added = await db.knex('initial_persons').where({ person_name: '导入新人' }).first();
    expect([added.id_number, added.id_number_hash]).toEqual([null, t.app.pii.hash('idNumber', fresh)]);
  });
});

describe('历史职称数据', () => {
  it('stores imported rows sealed and warns of a person already holding the title, found by hash with a lower-case x', async () => {
    // given a certificate of 工程师 for a person, sealed at rest
    const id = idWithX('19800101', 60);
    await issueOne(subject(20, { idNumber: id, personName: '已持证人', titleName: '工程师', level: '中级' }));
    const uploadId = await historyBatch();
    // when a workbook names the same person under another name, the number typed with a lower-case x
    const res = await postWorkbook(t, 'cd_jxj', uploadId, await historyWorkbook([historyRow(601, { idNumber: id.toLowerCase(), personName: '另一个名字' }), historyRow(602)]));
    expect(res.statusCode, res.body).toBe(200);
    // then the row carries the 高风险提醒 of the certificate (another name, the same title)
    const records = (await t.request('GET', `/api/history-uploads/${uploadId}/records`, { user: 'cd_jxj' })).json() as { records: Array<{ values: { personName: string }; warnings: Array<{ message: string }> }> };
    const warned = records.records.find((r) => r.values.personName === '另一个名字')!;
    expect(warned.warnings.map((w) => w.message)).toEqual([expect.stringContaining('已发证书中的姓名为“已持证人”'), expect.stringContaining('已有“工程师”的电子证书')]);
    // and the rows are stored with no plain number
    const stored = await db.knex('history_records').where({ upload_id: uploadId });
    expect(stored.map((r) => r.id_number)).toEqual([null, null]);
    expect(stored.map((r) => t.app.pii.open(r.id_number_enc)).sort()).toEqual([id, historyRow(602).idNumber].sort());
  });

  it('warns of a person in another batch, found by the hash of a sealed record', async () => {
    // given a batch whose row (sealed) names a person
    const id = idNumber('19810202', 70);
    const earlier = await historyBatch();
    expect((await postWorkbook(t, 'cd_jxj', earlier, await historyWorkbook([historyRow(701, { idNumber: id, personName: '早先的人', birthDate: '1981-02-02' })]))).statusCode).toBe(200);
    // when a later batch names the same number under another name
    const later = await historyBatch();
    expect((await postWorkbook(t, 'cd_jxj', later, await historyWorkbook([historyRow(702, { idNumber: id, personName: '后来的人', birthDate: '1981-02-02' })]))).statusCode).toBe(200);
    // then the later row warns of the other batch's name
    const records = (await t.request('GET', `/api/history-uploads/${later}/records`, { user: 'cd_jxj' })).json() as { records: Array<{ warnings: Array<{ message: string }> }> };
    expect(records.records[0]!.warnings.map((w) => w.message)).toEqual([expect.stringContaining('其他历史数据中的姓名为“早先的人”')]);
  });

  it('exports the batch with masked numbers only', async () => {
    // given a batch with one row
    const id = idNumber('19820303', 80);
    const uploadId = await historyBatch();
    expect((await postWorkbook(t, 'cd_jxj', uploadId, await historyWorkbook([historyRow(801, { idNumber: id, birthDate: '1982-03-03' })]))).statusCode).toBe(200);
    // when the uploader exports it
    const res = await t.request('GET', `/api/history-uploads/${uploadId}/export`, { user: 'cd_jxj' });
    // then the number is masked in the sheet
    expect(res.statusCode, res.body).toBe(200);
    const text = await xlsxText(res.rawPayload);
    expect(text).toContain(maskIdNumber(id));
    expect(text).not.toContain(id);
  });

  it('shows the uploader its rows as typed and the reviewing bureau the ID number masked', async () => {
    // given a batch submitted to the city bureau
    const id = idNumber('19830404', 90);
    const uploadId = await historyBatch();
    expect((await postWorkbook(t, 'cd_jxj', uploadId, await historyWorkbook([historyRow(901, { idNumber: id, birthDate: '1983-04-04' })]))).statusCode).toBe(200);
    const file = await uploadPdf(t, 'cd_jxj', '任职资格文件.pdf');
    const submitted = await t.request('POST', `/api/history-uploads/${uploadId}/submit`, { user: 'cd_jxj', body: { issuerUnitId: cityBureau, fileId: file.id } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    // when the uploader and the reviewer read the rows
    const numberFor = async (user: string) => ((await t.request('GET', `/api/history-uploads/${uploadId}/records`, { user })).json() as { records: Array<{ values: { idNumber: string } }> }).records.map((r) => r.values.idNumber);
    // then the uploader sees the number it typed, the reviewer the masked one
    expect(await numberFor('cd_jxj')).toEqual([id]);
    expect(await numberFor('cd_hr')).toEqual([maskIdNumber(id)]);
  });
});

describe('rotation', () => {
  it('re-seals the three tables under the new key; lookups by hash keep working', async () => {
    // given every table sealed under k1 and a rotated key list k2,k1
    await t.app.sealer.sweep();
    const rotated = createPiiCipher(parsePiiKeys('k2:00112233445566778899aabbccddeeff,k1:0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    const repo = createPersonalInformationRepository(db.knex);
    const sealer = createSealer(db.knex, repo, rotated);
    for (const spec of [CERTIFICATES_SEALED, INITIAL_PERSONS_SEALED, HISTORY_RECORDS_SEALED]) sealer.register(spec);
    const before = await db.knex('certificates').whereNotNull('id_number_enc').first('id', 'id_number_enc', 'id_number_hash');
    const number = t.app.pii.open(before.id_number_enc);
    // when the rotation sweeps them
    await sealer.sweep({ tables: [...TABLES] });
    // then no row is left on k1, the seal opens under k2 and the hash is the same
    for (const spec of [CERTIFICATES_SEALED, INITIAL_PERSONS_SEALED, HISTORY_RECORDS_SEALED]) expect(Object.keys(await repo.countsByKey(spec)).filter((k) => k === 'k1' || k === 'pending')).toEqual([]);
    const after = await db.knex('certificates').where({ id: before.id }).first('id_number_enc', 'id_number_hash');
    expect(rotated.keyIdOf(after.id_number_enc)).toBe('k2');
    expect(rotated.open(after.id_number_enc)).toBe(number);
    expect(after.id_number_hash).toBe(before.id_number_hash);
  });
});
