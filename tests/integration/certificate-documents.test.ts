import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { sm2 } from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { ROOT, startTestApp, type TestApp } from '../helpers/app.ts';
import { addReceivedDossiers } from '../helpers/meeting-fixtures.ts';
import type { CertificateSubject } from '../../api/modules/certificates/certificates.types.ts';
import { sm2Sign, sm2Verify } from '../../api/modules/certificates/sm2.ts';
import { certificateNo } from '../../api/modules/certificates/certificates.number.ts';
import { parseQrText, verifyOffline, type PublishedKey } from '../../api/modules/certificate-documents/certificate-documents.verify.ts';
import { idNumber as personId } from '../helpers/fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let cityBureau: number;
let applicant: { id: number; username: string; name: string; idNumber: string };
let dossierId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, config: { PUBLIC_URL: 'https://zcps.example.cn' } });
  cityBureau = Number((await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id')).id);
  // a received dossier and its applicant: the certificate of a review (评审发证)
  [dossierId] = (await addReceivedDossiers(db.knex, [{ name: '证书申报人' }])) as [number];
  const d = await db.knex('dossiers as d').join('users as u', 'u.id', 'd.applicant_id').where('d.id', dossierId).first('u.id as user_id', 'u.username', 'u.display_name', 'u.id_number');
  applicant = { id: Number(d.user_id), username: String(d.username), name: String(d.display_name), idNumber: String(d.id_number) };
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const idNumber = (serial: number) => personId('19850611', serial % 1000);

const subject = (n: number, extra: Partial<CertificateSubject> = {}): CertificateSubject => ({
  kind: 'initial',
  sourceType: 'initial',
  sourceId: 7000 + n,
  personName: `证书人员${n}`,
  idNumber: idNumber(n),
  series: '工程技术',
  specialty: '机械工程',
  titleName: '助理工程师',
  level: '初级',
  committeeName: null,
  issuerUnitId: cityBureau,
  approvalDate: '2026-06-30',
  documentNo: '成人社职〔2026〕21号',
  ...extra,
});

const issueOne = async (s: CertificateSubject) => (await db.knex.transaction((trx) => t.app.certificates.issue(trx, [s], { actorId: null, now: t.clock.now() })))[0]!;

const reviewSubject = (): CertificateSubject =>
  subject(1, { kind: 'review', sourceType: 'dossier', sourceId: dossierId, dossierId, userId: applicant.id, personName: applicant.name, idNumber: applicant.idNumber, titleName: '工程师', level: '中级', committeeName: '成都市工程技术中级职称评审委员会' });

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-cert-'));

function pdfText(pdf: Buffer): string {
  const file = path.join(tmp(), 'certificate.pdf');
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** The QR code of the PDF's first page: rendered at 150 dpi, decoded from the pixels. */
function pdfQr(pdf: Buffer): string | null {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'c.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', path.join(dir, 'c.pdf'), path.join(dir, 'page')]);
  const png = PNG.sync.read(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.png'))!)));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

const keys = async () => (await t.request('GET', '/api/public/certificate-keys')).json() as Array<PublishedKey & { unitId: number; active: boolean }>;
const verifyOnline = async (qrText: string) => {
  const url = new URL(qrText);
  return t.request('GET', `/api/public/certificates/verify?p=${url.searchParams.get('p')}&s=${url.searchParams.get('s')}`);
};
const qrOf = async (id: number) => ((await t.request('GET', `/api/certificates/${id}`, { user: 'cd_hr' })).json() as { qrText: string }).qrText;

describe('SM2 interoperability with sm-crypto (GB/T 32918, default user ID 1234567812345678)', () => {
  it('our signature verifies with sm-crypto, and sm-crypto’s with our sm2Verify', () => {
    // Given a key pair made by sm-crypto and a certificate-like message with Chinese text
    const pair = sm2.generateKeyPairHex();
    const message = 'ZCPS1|20262000000011|张三|5101**********231X|初定|工程技术';
    // When we sign, Then sm-crypto (SM3 with Z, its default user ID) accepts it and refuses a changed message
    const ours = sm2Sign(message, pair.privateKey);
    expect(sm2.doVerifySignature(message, ours, pair.publicKey, { hash: true })).toBe(true);
    expect(sm2.doVerifySignature(`${message}X`, ours, pair.publicKey, { hash: true })).toBe(false);
    // When sm-crypto signs, Then our sm2Verify accepts it and refuses it under another key
    const theirs = sm2.doSignature(message, pair.privateKey, { hash: true, publicKey: pair.publicKey });
    expect(sm2Verify(message, theirs.padStart(128, '0'), pair.publicKey)).toBe(true);
    expect(sm2Verify(message, theirs.padStart(128, '0'), sm2.generateKeyPairHex().publicKey)).toBe(false);
  });

  it('an issued certificate’s signature verifies with sm-crypto against the published key', async () => {
    // Given an issued certificate
    const issued = await issueOne(subject(2));
    const row = await db.knex('certificates').where({ id: issued.id }).first('payload', 'signature', 'key_id');
    // When sm-crypto checks it with the key GET /api/public/certificate-keys publishes
    const key = (await keys()).find((k) => k.keyId === row.key_id)!;
    // Then it is valid
    expect(sm2.doVerifySignature(row.payload, row.signature, key.publicKey, { hash: true })).toBe(true);
  });
});

describe('the certificate PDF', () => {
  it('prints the title in Chinese with the ID number masked, and a QR code that verifies against the published key', async () => {
    // Given the certificate of a reviewed dossier
    const issued = await issueOne(reviewSubject());
    // When the issuer's clerk downloads it
    const res = await t.request('GET', `/api/certificates/${issued.id}/pdf`, { user: 'cd_hr' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    // Then its text has the facts in Chinese and never the full ID number
    const text = pdfText(pdf).replace(/\s+/g, '');
    for (const s of ['专业技术职务任职资格证书', applicant.name, '工程技术', '机械工程', '工程师', '中级', '评审', '成都市工程技术中级职称评审委员会', '成人社职〔2026〕21号', issued.certificateNo, '成都市人力资源和社会保障局', '2026年6月30日']) expect(text).toContain(s);
    expect(text).toContain(`${applicant.idNumber.slice(0, 4)}**********${applicant.idNumber.slice(-4)}`);
    expect(text).not.toContain(applicant.idNumber);
    // And its QR code, decoded from the rendered page, is the public address with a payload signed by the published key
    const qr = pdfQr(pdf);
    expect(qr).toBe(await qrOf(issued.id));
    expect(qr!.startsWith('https://zcps.example.cn/verify?p=')).toBe(true);
    const offline = verifyOffline(qr!, await keys());
    expect(offline).toMatchObject({ valid: true, certificateNo: issued.certificateNo });
    // And the same row renders the same document (nothing stored, nothing random)
    expect((await t.request('GET', `/api/certificates/${issued.id}/pdf`, { user: 'cd_hr' })).rawPayload.equals(pdf)).toBe(true);
  });

  it('gives the dossier’s 评审表 beside its certificate, and a clear 404 for a certificate without a dossier', async () => {
    // Given a review certificate (dossier source) and an initial one
    const review = await issueOne(reviewSubject());
    const initial = await issueOne(subject(3));
    // When the issuer downloads the 评审表 of each
    const form = await t.request('GET', `/api/certificates/${review.id}/review-form.pdf`, { user: 'cd_hr' });
    const none = await t.request('GET', `/api/certificates/${initial.id}/review-form.pdf`, { user: 'cd_hr' });
    // Then the dossier's form comes, and the other one says why not
    expect(form.statusCode).toBe(200);
    expect(pdfText(form.rawPayload)).toContain('专业技术职务任职资格评审表');
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toContain('初定');
  });
});

describe('public verification', () => {
  it('answers 有效 for a valid certificate, 已撤销 with date and reason after a revocation, 伪造 for a changed payload — online and offline', async () => {
    // Given a valid certificate
    const issued = await issueOne(subject(4));
    const qr = await qrOf(issued.id);
    // Then the public check says 有效 and shows what the public page shows, the ID number masked
    const valid = (await verifyOnline(qr)).json();
    expect(valid).toMatchObject({ result: 'valid', resultLabel: '有效', certificate: { certificateNo: issued.certificateNo, personName: '证书人员4', issuerName: '成都市人力资源和社会保障局', approvalDate: '2026-06-30', documentNo: '成人社职〔2026〕21号', statusLabel: '有效' } });
    expect(valid.certificate.idNumber).toBe(`${idNumber(4).slice(0, 4)}**********${idNumber(4).slice(-4)}`);
    expect(JSON.stringify(valid)).not.toContain(idNumber(4));
    expect(verifyOffline(qr, await keys()).valid).toBe(true);

    // When the payload is changed (another name) and the signature kept
    const signed = parseQrText(qr)!;
    const forgedPayload = signed.payload.replace('证书人员4', '冒名顶替');
    const forgedQr = `https://zcps.example.cn/verify?p=${Buffer.from(forgedPayload).toString('base64url')}&s=${new URL(qr).searchParams.get('s')}`;
    // Then online and offline it is 伪造/签名无效, showing nothing of a certificate
    expect((await verifyOnline(forgedQr)).json()).toMatchObject({ result: 'forged', resultLabel: '伪造/签名无效', certificate: null });
    expect(verifyOffline(forgedQr, await keys())).toMatchObject({ valid: false, reason: '签名无效' });
    // and a signature that is not one (truncated) is 伪造 as well, not an error
    expect((await t.request('GET', `/api/public/certificates/verify?p=${new URL(qr).searchParams.get('p')}&s=AAAA`)).json().result).toBe('forged');

    // When the issuer revokes it
    t.clock.set(new Date('2026-07-15T02:00:00Z'));
    const revoked = await t.request('POST', `/api/certificates/${issued.id}/revoke`, { user: 'cd_hr', body: { reason: '材料造假，经核实撤销' } });
    expect(revoked.statusCode).toBe(200);
    // Then the public check says 已撤销 with the date and the reason; the signature alone (offline) is still genuine
    expect((await verifyOnline(qr)).json()).toMatchObject({ result: 'revoked', resultLabel: '已撤销', certificate: { statusLabel: '已撤销', revokedOn: '2026-07-15', revokeReason: '材料造假，经核实撤销' } });
    expect(verifyOffline(qr, await keys()).valid).toBe(true);
    // and the lookup by number agrees
    expect((await t.request('GET', `/api/public/certificates/${issued.certificateNo}`)).json()).toMatchObject({ result: 'revoked' });
  });

  it('looks a certificate up by number: the check character first (400), then 404 for a number never issued', async () => {
    // Given an issued certificate
    const issued = await issueOne(subject(5));
    // Then its number finds it, without logging in
    expect((await t.request('GET', `/api/public/certificates/${issued.certificateNo}`)).json()).toMatchObject({ result: 'valid', certificate: { certificateNo: issued.certificateNo } });
    // and a number with a wrong check character is refused naming the field
    const wrong = issued.certificateNo.slice(0, 13) + (issued.certificateNo.endsWith('0') ? '1' : '0');
    const bad = await t.request('GET', `/api/public/certificates/${wrong}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('certificateNo');
    // and a well-formed number nobody issued is 404
    expect((await t.request('GET', `/api/public/certificates/${certificateNo(2026, 'initial', 99_999_999)}`)).statusCode).toBe(404);
  });

  it('verifies offline with scripts/verify-certificate.ts and a keys.json, with no database', async () => {
    // Given a certificate's QR text and the published keys saved to a file
    const issued = await issueOne(subject(7));
    const qr = await qrOf(issued.id);
    const keysFile = path.join(tmp(), 'keys.json');
    fs.writeFileSync(keysFile, JSON.stringify(await keys()));
    const run = (text: string) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-certificate.ts', text, keysFile], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    // When the script checks it, Then the signature is valid and the number named
    const valid = run(qr);
    expect(valid.status, valid.stderr).toBe(0);
    expect(valid.stdout).toContain(`签名有效：证书编号 ${issued.certificateNo}`);
    // When it checks a changed payload, Then it says 伪造 and exits 1
    const signed = parseQrText(qr)!;
    const forged = run(`https://zcps.example.cn/verify?p=${Buffer.from(signed.payload.replace('证书人员7', '他人')).toString('base64url')}&s=${new URL(qr).searchParams.get('s')}`);
    expect(forged.status).toBe(1);
    expect(forged.stdout).toContain('伪造/签名无效：签名无效');
  });

  it('sends the QR code’s address to the console’s verification page with the same query', async () => {
    // When a phone opens the address printed in the QR code
    const res = await t.request('GET', '/verify?p=abc&s=def');
    // Then it lands on the console's /verify page
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/#/verify?p=abc&s=def');
  });
});

describe('revocation', () => {
  it('requires a reason, records it in the audit log, and refuses a second revocation with 409', async () => {
    // Given a valid certificate
    const issued = await issueOne(subject(6));
    // When revoked without a reason, Then 400 names the field
    const empty = await t.request('POST', `/api/certificates/${issued.id}/revoke`, { user: 'cd_hr', body: { reason: '  ' } });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json().details)).toContain('reason');
    // When revoked with a reason, Then the row and the audit log hold who, when and why
    expect((await t.request('POST', `/api/certificates/${issued.id}/revoke`, { user: 'cd_hr', body: { reason: '重复发证' } })).json()).toMatchObject({ status: 'revoked', statusLabel: '已撤销', revokeReason: '重复发证' });
    const row = await db.knex('certificates').where({ id: issued.id }).first('status', 'revoked_by', 'revoke_reason');
    const clerk = await db.knex('users').where({ username: 'cd_hr' }).first('id');
    expect(row).toMatchObject({ status: 'revoked', revoke_reason: '重复发证' });
    expect(Number(row.revoked_by)).toBe(Number(clerk.id));
    const events = await db.knex('audit_events').where({ action: 'certificate.revoke', target_type: 'certificate', target_id: String(issued.id) });
    expect(events).toHaveLength(1);
    expect(events[0].actor_name).toBe('成都市人社局经办人');
    // When revoked again (a double click), Then 409 and nothing more is written
    expect((await t.request('POST', `/api/certificates/${issued.id}/revoke`, { user: 'cd_hr', body: { reason: '再次撤销' } })).statusCode).toBe(409);
    expect(await db.knex('audit_events').where({ action: 'certificate.revoke', target_id: String(issued.id) }).count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(1);
  });
});

describe('key rotation', () => {
  it('retires the active key and signs with a new one; certificates signed with the old key still verify', async () => {
    // Given a certificate signed with the unit's current key
    const before = await issueOne(subject(8));
    const oldKey = (await db.knex('certificates').where({ id: before.id }).first('key_id')).key_id as string;
    // When the clerk rotates, naming the key they saw
    const rotated = await t.request('POST', '/api/certificate-keys/rotate', { user: 'cd_hr', body: { currentKeyId: oldKey } });
    expect(rotated.statusCode).toBe(200);
    const newKey = rotated.json().keyId as string;
    expect(newKey).not.toBe(oldKey);
    // Then the unit's screen lists the new key in use and the old one retired, both published
    const unitKeys = (await t.request('GET', '/api/certificate-keys', { user: 'cd_hr' })).json() as Array<{ keyId: string; active: boolean; validTo: string | null }>;
    expect(unitKeys.find((k) => k.keyId === newKey)).toMatchObject({ active: true, validTo: null });
    expect(unitKeys.find((k) => k.keyId === oldKey)).toMatchObject({ active: false });
    expect((await keys()).map((k) => k.keyId)).toEqual(expect.arrayContaining([oldKey, newKey]));
    // And the old certificate still verifies online and offline, and a new one is signed with the new key
    const qr = await qrOf(before.id);
    expect((await verifyOnline(qr)).json()).toMatchObject({ result: 'valid', keyId: oldKey });
    expect(verifyOffline(qr, await keys())).toMatchObject({ valid: true, key: { keyId: oldKey } });
    const after = await issueOne(subject(9));
    expect((await db.knex('certificates').where({ id: after.id }).first('key_id')).key_id).toBe(newKey);
    expect((await verifyOnline(await qrOf(after.id))).json().result).toBe('valid');
    // And a second click with the key it saw before is refused: one rotation only
    expect((await t.request('POST', '/api/certificate-keys/rotate', { user: 'cd_hr', body: { currentKeyId: oldKey } })).statusCode).toBe(409);
    expect(await db.knex('audit_events').where({ action: 'certificate_key.rotate', target_id: newKey }).count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(1);
  });
});

describe('scope: the issuer unit only, the applicant their own', () => {
  it('refuses another unit’s clerk (403) on detail, PDF, 评审表 and revoke, and its list holds none of them', async () => {
    // Given a certificate of the city bureau, and the clerk of a county bureau (证书生成 in another unit)
    const issued = await issueOne(reviewSubject());
    // Then every route of that certificate is 403 for them, the same as for an id that does not exist
    for (const [method, url, body] of [
      ['GET', `/api/certificates/${issued.id}`],
      ['GET', `/api/certificates/${issued.id}/pdf`],
      ['GET', `/api/certificates/${issued.id}/review-form.pdf`],
      ['POST', `/api/certificates/${issued.id}/revoke`, { reason: '越权撤销' }],
      ['GET', '/api/certificates/999999/pdf'],
    ] as Array<[string, string, unknown?]>) {
      expect((await t.request(method, url, { user: 'jj_hr', body }))?.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await db.knex('certificates').where({ id: issued.id }).first('status')).status).toBe('valid');
    // And their 已发放 list does not show it, while the issuer's does
    const theirs = (await t.request('GET', '/api/certificates', { user: 'jj_hr' })).json() as Array<{ id: number }>;
    expect(theirs.map((c) => c.id)).not.toContain(issued.id);
    const ours = await t.request('GET', `/api/certificates?filter=${encodeURIComponent(JSON.stringify({ q: issued.certificateNo }))}`, { user: 'cd_hr' });
    expect(ours.json().map((c: { id: number }) => c.id)).toEqual([issued.id]);
    // And staff without 证书生成 (a committee clerk) and applicants get 403 on the list and on rotation
    expect((await t.request('GET', '/api/certificates', { user: 'cd_pw' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/certificates', { user: applicant.username })).statusCode).toBe(403);
    expect((await t.request('POST', '/api/certificate-keys/rotate', { user: 'cd_pw', body: {} })).statusCode).toBe(403);
  });

  it('filters 已发放 by kind, 文号 and approval date, pages it, and exports it to Excel', async () => {
    // Given certificates of two kinds and two 文号
    await issueOne(subject(11, { kind: 'confirm', sourceType: 'recognition', documentNo: '成人社职〔2026〕88号' }));
    await issueOne(subject(12, { kind: 'confirm', sourceType: 'recognition', documentNo: '成人社职〔2026〕88号', approvalDate: '2026-08-01' }));
    const list = async (filter: Record<string, unknown>, range = [0, 24]) =>
      t.request('GET', `/api/certificates?filter=${encodeURIComponent(JSON.stringify(filter))}&range=${encodeURIComponent(JSON.stringify(range))}`, { user: 'cd_hr' });
    // Then each filter narrows the list
    expect(((await list({ kind: 'confirm' })).json() as Array<{ kindLabel: string }>).map((c) => c.kindLabel)).toEqual(['确认', '确认']);
    expect((await list({ documentNo: '〔2026〕88号', from: '2026-07-01' })).json()).toHaveLength(1);
    const page = await list({}, [0, 1]);
    expect(page.json()).toHaveLength(2);
    expect(page.headers['content-range']).toMatch(/^certificates 0-1\/\d+$/);
    // and a bad kind is a 400 naming the filter
    expect((await list({ kind: 'nonsense' })).json().details[0].field).toBe('filter.kind');
    // And the export is an xlsx of the filtered rows, ID numbers masked
    const xlsx = await t.request('GET', `/api/certificates/export?filter=${encodeURIComponent(JSON.stringify({ kind: 'confirm' }))}`, { user: 'cd_hr' });
    expect(xlsx.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(String(sheet.getRow(2).getCell(3).value)).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  });

  it('lets the applicant list and download their own certificate, and answers 404 for another person’s', async () => {
    // Given the applicant's certificate and someone else's
    const own = await issueOne(reviewSubject());
    const other = await issueOne(subject(13));
    // When the applicant lists theirs, Then it is there with the dossier and the number
    const mine = (await t.request('GET', '/api/my/certificates', { user: applicant.username })).json() as Array<{ id: number; dossierId: number; certificateNo: string }>;
    expect(mine).toEqual([expect.objectContaining({ id: own.id, dossierId, certificateNo: own.certificateNo })]);
    // And they download it
    const pdf = await t.request('GET', `/api/my/certificates/${own.id}/pdf`, { user: applicant.username });
    expect(pdf.statusCode).toBe(200);
    expect(pdfText(pdf.rawPayload)).toContain(own.certificateNo);
    // But another person's answers as if it did not exist
    expect((await t.request('GET', `/api/my/certificates/${other.id}/pdf`, { user: applicant.username })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/my/certificates/${own.id}/pdf`, { user: 'lina' })).statusCode).toBe(404);
  });

  it('shows the certificate number on the dossier’s result (我的申报 and 申报详情)', async () => {
    // Given the applicant's dossier passed, with its 文号, and its certificate issued
    await db.knex('dossiers').where({ id: dossierId }).update({ status: 'certified', result: 'passed', result_stage: 'plenary', result_at: t.clock.now(), document_no: '成人社职〔2026〕21号' });
    const own = await issueOne(reviewSubject());
    // When they read 我的申报 and the dossier, Then the result carries the 文号 and the certificate number
    const mine = (await t.request('GET', '/api/dossiers/mine', { user: applicant.username })).json() as Array<{ id: number; result: { documentNo: string; certificateNo: string } | null }>;
    expect(mine.find((d) => d.id === dossierId)?.result).toMatchObject({ documentNo: '成人社职〔2026〕21号', certificateNo: own.certificateNo });
    expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user: applicant.username })).json().result).toMatchObject({ certificateNo: own.certificateNo });
  });
});
