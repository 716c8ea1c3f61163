import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { CertificateSubject } from '../../api/modules/certificates/certificates.types.ts';
import { sm2Verify } from '../../api/modules/certificates/sm2.ts';
import { checkCertificateNo } from '../../api/modules/certificates/certificates.number.ts';
import { idNumber as personId } from '../helpers/fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let cityBureau: number;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  cityBureau = Number((await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id')).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const idNumber = (serial: number) => personId('19900307', serial % 1000);

const subject = (n: number, extra: Partial<CertificateSubject> = {}): CertificateSubject => ({
  kind: 'initial',
  sourceType: 'initial',
  sourceId: n,
  personName: `测试人员${n}`,
  idNumber: idNumber(n),
  series: '工程技术',
  specialty: '机械工程',
  titleName: '助理工程师',
  level: '初级',
  issuerUnitId: cityBureau,
  approvalDate: '2026-06-30',
  documentNo: '成人社发〔2026〕12号',
  ...extra,
});

const issue = (subjects: CertificateSubject[]) => db.knex.transaction((trx) => t.app.certificates.issue(trx, subjects, { actorId: null, now: t.clock.now() }));

describe('issuing certificates', () => {
  it('gives each source one certificate with a checked number and a payload signed with the issuer key', async () => {
    // Given two persons, When they are issued twice (a retried step), Then each has one certificate
    const first = await issue([subject(1), subject(2)]);
    const again = await issue([subject(1), subject(2)]);
    expect(first.map((c) => c.created)).toEqual([true, true]);
    expect(again.map((c) => c.created)).toEqual([false, false]);
    expect(again.map((c) => c.certificateNo)).toEqual(first.map((c) => c.certificateNo));
    expect(await db.knex('certificates').where({ source_type: 'initial' }).whereIn('source_id', [1, 2]).count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(2);
    for (const c of first) expect(checkCertificateNo(c.certificateNo).ok).toBe(true);

    const row = await db.knex('certificates').where({ id: first[0]!.id }).first();
    const key = await db.knex('certificate_keys').where({ key_id: row.key_id }).first();
    expect(Number(key.unit_id)).toBe(cityBureau);
    expect(sm2Verify(row.payload, row.signature, key.public_key)).toBe(true);
    expect(row.id_number).toBeNull();
    expect(row.payload).not.toContain(t.app.pii.open(row.id_number_enc));
    // the private key is not in the database in the clear
    expect(key.private_key_enc.startsWith('sm4:')).toBe(true);
  });

  it('refuses a 文号 whose year is not the approval year, naming the field and issuing nothing', async () => {
    await expect(issue([subject(3, { documentNo: '成人社发〔2025〕12号' })])).rejects.toMatchObject({ code: 'VALIDATION', fields: [{ field: 'subjects.0.documentNo' }] });
    await expect(issue([subject(3, { idNumber: '510104199003072310' })])).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await db.knex('certificates').where({ source_type: 'initial', source_id: 3 }).first()).toBeUndefined();
  });

  it('rotating the key signs new certificates with the new key and keeps the old ones verifiable', async () => {
    const [before] = await issue([subject(4)]);
    const rotated = await t.app.certificates.rotateKey(cityBureau);
    const [after] = await issue([subject(5)]);
    const rows = await db.knex('certificates').whereIn('id', [before!.id, after!.id]).orderBy('id');
    expect(rows[0].key_id).toBe(rotated.retired);
    expect(rows[1].key_id).toBe(rotated.keyId);
    for (const row of rows) {
      const key = await db.knex('certificate_keys').where({ key_id: row.key_id }).first();
      expect(sm2Verify(row.payload, row.signature, key.public_key)).toBe(true);
    }
    expect(await db.knex('certificate_keys').where({ unit_id: cityBureau }).whereNull('retired_at').count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(1);
  });
});

describe('background generation', () => {
  it('goes on after a restart from where it stopped, issuing nothing twice, and sends its message once', async () => {
    // Given a batch of 250 queued by a process that issued one chunk and died
    const subjects = Array.from({ length: 250 }, (_, i) => subject(1000 + i));
    const ref = 'test-batch:1';
    const { repo } = t.app.certificates;
    const id = await db.knex.transaction(async (trx) => {
      const gid = await repo.insertGeneration({ ref, issuer_unit_id: cityBureau, total: subjects.length, message_name: 'certificate-generation-finished', correlation_key: 'test-batch:1', created_by: null, created_at: t.clock.now() }, trx);
      await repo.insertGenerationItems(gid!, subjects, trx);
      return gid!;
    });
    expect(await t.app.certificates.generateChunk(id)).toBe(true);
    expect(await t.app.certificates.progress(ref)).toMatchObject({ total: 250, issued: 100, state: 'running' });
    await t.close();

    // When a new process starts on the same database and runs its generations
    t = await startTestApp(db, { deploy: false });
    await Promise.all([t.app.certificates.runGenerations(), t.app.certificates.runGenerations()]);

    // Then all 250 are issued once, and the finish message is there once with their count
    expect(await t.app.certificates.progress(ref)).toMatchObject({ total: 250, issued: 250, state: 'done' });
    const issued = await db.knex('certificates').where({ generation_ref: ref }).select('source_id');
    expect(issued).toHaveLength(250);
    expect(new Set(issued.map((r) => Number(r.source_id))).size).toBe(250);
    const messages = await db.knex('process_messages').where({ name: 'certificate-generation-finished', correlation_key: 'test-batch:1' });
    expect(messages).toHaveLength(1);
    expect(messages[0].payload).toMatchObject({ generationRef: ref, issued: 250 });
  });

  it('startGeneration queues once per ref and runs after the commit; progress is for the issuer unit only', async () => {
    const subjects = Array.from({ length: 30 }, (_, i) => subject(2000 + i));
    const queue = () => db.knex.transaction((trx) => t.app.certificates.startGeneration(trx, { ref: 'test-batch:2', issuerUnitId: cityBureau, subjects, actorId: null }));
    const [a, b] = await Promise.all([queue(), queue()]);
    expect(a.id).toBe(b.id);
    await t.app.certificates.runGenerations();
    expect(await db.knex('certificates').where({ generation_ref: 'test-batch:2' }).count({ n: '*' }).first().then((r) => Number(r?.n))).toBe(30);

    const own = await t.request('GET', `/api/certificate-generations/${encodeURIComponent('test-batch:2')}`, { user: 'cd_hr' });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ total: 30, issued: 30, state: 'done' });
    // another unit's clerk and a missing batch get the same 404
    const other = await t.request('GET', `/api/certificate-generations/${encodeURIComponent('test-batch:2')}`, { user: 'sc_hr' });
    const missing = await t.request('GET', `/api/certificate-generations/nope`, { user: 'cd_hr' });
    expect([other.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(other.json().message).toBe(missing.json().message);
  });
});
