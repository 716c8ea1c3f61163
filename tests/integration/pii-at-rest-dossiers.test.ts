import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, startDossier, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { createPiiCipher, parsePiiKeys } from '../../api/src/pii.ts';
import { createPersonalInformationRepository } from '../../api/modules/personal-information/personal-information.repository.ts';
import { createSealer } from '../../api/modules/personal-information/personal-information.service.ts';
import { DOSSIERS_SEALED } from '../../api/modules/dossiers/dossiers.pii.ts';
import { sealImportRows } from '../../api/modules/meeting-prep/meeting-prep.service.ts';
import { checkPrepRows } from '../../api/modules/meeting-prep/meeting-prep.import.ts';
import * as migration from '../../migrations/20261207020000_pii_sealed_dossiers.ts';

// 张伟 (demo applicant of 成都示范科技有限公司) and the numbers of his declaration
const ZHANG_ID = '51010419900307231X';
const ZHANG_MASKED = '5101**********231X';
const DRAFT_PHONE = '13977770001';
const FIRST_PHONE = '13977770002';
const SECOND_PHONE = '13977770003';
const PHONES = [DRAFT_PHONE, FIRST_PHONE, SECOND_PHONE];

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let dossierId: number;
let instanceId: string;

/** Every row of every table of the database whose text holds the value: `table` → rows. */
async function rowsHolding(value: string): Promise<Record<string, number>> {
  const tables = (await db.knex('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).pluck('table_name')) as string[];
  const found: Record<string, number> = {};
  for (const table of tables) {
    const [row] = (await db.knex(table).count<{ n: string }[]>({ n: '*' }).whereRaw(`strpos(??::text, ?) > 0`, [table, value])) as Array<{ n: string }>;
    if (Number(row?.n) > 0) found[table] = Number(row!.n);
  }
  return found;
}

const piiViews = () => db.knex('audit_events').where({ action: 'pii.view', target_type: 'person' }).orderBy('id');

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // given 张伟's declaration: a draft saved with one phone, submitted with another, returned by his
  // employer, and resubmitted with a third
  instanceId = await startDossier(t, 'zhangwei');
  dossierId = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
  const draft = await t.request('PUT', `/api/dossiers/${dossierId}/draft`, { user: 'zhangwei', body: { data: { ...VALID_DOSSIER, phone: DRAFT_PHONE } } });
  expect(draft.statusCode, draft.body).toBe(200);
  await completeOk(t, 'zhangwei', (await taskOf(t, 'zhangwei', instanceId, 'submit')).id, 'submit', undefined, { ...VALID_DOSSIER, phone: FIRST_PHONE });
  await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id, 'return', '联系电话有误');
  await completeOk(t, 'zhangwei', (await taskOf(t, 'zhangwei', instanceId, 'resubmit')).id, 'submit', undefined, { ...VALID_DOSSIER, phone: SECOND_PHONE });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('a declaration’s phone at rest', () => {
  it('is in no row of any table after draft, submission, return and resubmission — before any sweep', async () => {
    // given the declaration above (no sweep ran since the demo data)
    // when every table is searched for the three numbers typed
    const found = await Promise.all(PHONES.map(rowsHolding));
    // then none is stored anywhere: not the dossier, its snapshot, the case's variables, its history, its tasks or messages
    expect(found).toEqual([{}, {}, {}]);
  });

  it('keeps the number sealed on the dossier and only its masked form in the JSON of the dossier, the case and its history', async () => {
    // given the resubmitted dossier
    const row = await db.knex('dossiers').where({ id: dossierId }).first('phone', 'phone_enc', 'returned_phone', 'returned_phone_enc', 'data', 'returned_data');
    // then the plain columns are empty and the seals are SM4 seals
    expect(row.phone).toBeNull();
    expect(row.returned_phone).toBeNull();
    expect(row.phone_enc).toMatch(/^sm4:/);
    expect(row.returned_phone_enc).toMatch(/^sm4:/);
    expect(t.app.pii.open(row.phone_enc)).toBe(SECOND_PHONE);
    expect(t.app.pii.open(row.returned_phone_enc)).toBe(FIRST_PHONE);
    // and the JSON copies carry the masked form
    expect(row.data.phone).toBe('139****0003');
    expect(row.returned_data.phone).toBe('139****0002');
    const instance = await db.knex('process_instances').where({ id: instanceId }).first('variables');
    expect(instance.variables.dossier.phone).toBe('139****0003');
    const submissions = await db.knex('history_events').where({ root_instance_id: instanceId, type: 'task.complete', action: 'submit' }).orderBy('id').pluck('data');
    expect(submissions.map((d: { phone: string }) => d.phone)).toEqual(['139****0002', '139****0003']);
  });

  it('leaves no plain phone in any dossier once the sweep ran', async () => {
    // given every dossier of the database, and the sweep
    await t.app.sealer.sweep();
    // then no dossier keeps a plain number, and no declaration JSON a whole one
    const plain = await db.knex('dossiers').whereNotNull('phone').orWhereNotNull('returned_phone').count<{ n: string }[]>({ n: '*' });
    expect(Number(plain[0]!.n)).toBe(0);
    const whole = await db.knex('dossiers').whereRaw("data->>'phone' ~ '^[0-9-]+$' or returned_data->>'phone' ~ '^[0-9-]+$'").count<{ n: string }[]>({ n: '*' });
    expect(Number(whole[0]!.n)).toBe(0);
    // and every declaration with a phone has its seal
    const unsealed = await db.knex('dossiers').whereRaw("data->'phone' is not null").whereNull('phone_enc').count<{ n: string }[]>({ n: '*' });
    expect(Number(unsealed[0]!.n)).toBe(0);
  });
});

describe('the applicant gets the number back', () => {
  it('in their declaration form, whole', async () => {
    // when 张伟 opens his declaration
    const res = await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user: 'zhangwei' });
    // then his phone is there in full, as the form needs it to resubmit
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { data: { phone: string } }).data.phone).toBe(SECOND_PHONE);
  });

  it('in the draft he saves and reads back', async () => {
    // given a second applicant's dossier with a draft
    const other = await startDossier(t, 'lina');
    const id = Number((await db.knex('dossiers').where({ instance_id: other }).first('id')).id);
    // when she saves a draft with her phone
    const res = await t.request('PUT', `/api/dossiers/${id}/draft`, { user: 'lina', body: { data: { ...VALID_DOSSIER, phone: '13977770009' } } });
    // then the answer has it whole, and the row only sealed
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { data: { phone: string } }).data.phone).toBe('13977770009');
    expect(await rowsHolding('13977770009')).toEqual({});
  });

  it('in the case with its 修改痕迹, whole', async () => {
    // when 张伟 reads his case
    const res = await t.request('GET', `/api/dossiers/${dossierId}/case`, { user: 'zhangwei' });
    // then the change names both whole numbers
    expect(res.statusCode, res.body).toBe(200);
    const texts = (res.json() as { changes: { items: Array<{ text: string }> } }).changes.items.map((i) => i.text);
    expect(texts).toContain(`修改 基本信息 联系电话：${FIRST_PHONE} → ${SECOND_PHONE}`);
  });
});

describe('a declaration sent back as stored (its phone masked)', () => {
  it('keeps the sealed number when the mask is its own, and refuses a masked phone that is not', async () => {
    // given a returned dossier whose applicant resubmits the declaration as the API stores it
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
    await db.knex('users').insert({ username: 'pd_echo', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '原样提交', unit_id: employer.id, roles: ['applicant'] });
    const id = await submitDossier(t, 'pd_echo', { ...VALID_DOSSIER, phone: '13922220001' });
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, 'return', '请补充');
    const stored = (await db.knex('dossiers').where({ instance_id: id }).first('data')).data as Record<string, unknown>;
    const resubmit = (await taskOf(t, 'pd_echo', id, 'resubmit')).id;
    // when a masked phone that is not the dossier's is sent, then it is refused naming the field
    const wrong = await t.request('POST', `/api/tasks/${resubmit}/complete`, { user: 'pd_echo', body: { action: 'submit', data: { ...stored, phone: '139****9999' } } });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(JSON.stringify(wrong.json().details)).toContain('data.phone');
    // when the stored declaration is sent unchanged, then it is accepted and the sealed number kept
    await completeOk(t, 'pd_echo', resubmit, 'submit', undefined, stored);
    const row = await db.knex('dossiers').where({ instance_id: id }).first('phone_enc', 'data', 'status');
    expect(row.status).toBe('submitted');
    expect(row.data.phone).toBe('139****0001');
    expect(t.app.pii.open(row.phone_enc)).toBe('13922220001');
  });
});

describe('staff get the number masked', () => {
  it('in the case and the declaration', async () => {
    // when the employer's clerk reads them
    const view = await t.request('GET', `/api/dossiers/${dossierId}/case`, { user: 'kj_hr' });
    const declaration = await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user: 'kj_hr' });
    // then the change is told masked and no whole number is sent
    expect(view.statusCode, view.body).toBe(200);
    expect(view.body).toContain('修改 基本信息 联系电话：139****0002 → 139****0003');
    for (const res of [view, declaration]) for (const phone of PHONES) expect(res.body).not.toContain(phone);
  });

  it('on the 办理 task page: the task, its form data, the case variables and the submissions', async () => {
    // given the employer's review task of the resubmitted case
    const task = await taskOf(t, 'kj_hr', instanceId, 'unit_review');
    // when the clerk opens it
    const res = await t.request('GET', `/api/tasks/${task.id}`, { user: 'kj_hr' });
    // then the declaration it shows has the phone masked, and no whole number is in the answer
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json() as { case: { variables: { dossier: { phone: string } } }; submissions: Array<{ formKey: string; data: { phone?: string } }> };
    expect(detail.case.variables.dossier.phone).toBe('139****0003');
    expect(detail.submissions.find((s) => s.formKey === 'dossier-submit')!.data.phone).toBe('139****0003');
    for (const phone of PHONES) expect(res.body).not.toContain(phone);
  });

  it('with 查看 giving the whole number and writing who saw it to the audit', async () => {
    // when the clerk asks for the phone
    const before = (await piiViews()).length;
    const res = await t.request('GET', `/api/dossiers/${dossierId}/pii?field=phone`, { user: 'kj_hr' });
    // then it is the number as resubmitted, and the view is recorded
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'phone', value: SECOND_PHONE });
    const views = await piiViews();
    expect(views).toHaveLength(before + 1);
    expect(views.at(-1)).toMatchObject({ target_id: `dossier:${dossierId}` });
    expect(views.at(-1).data).toMatchObject({ fields: ['phone'] });
  });
});

describe('评审表 PDF', () => {
  const textOf = async (user: string) => {
    const res = await t.request('GET', `/api/dossiers/${dossierId}/review-form.pdf`, { user });
    expect(res.statusCode, res.body).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pdf-'));
    try {
      const file = path.join(dir, 'form.pdf');
      fs.writeFileSync(file, res.rawPayload);
      return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('prints the ID number and phone masked for a reviewing clerk', async () => {
    // when the employer's clerk prints the form
    const text = await textOf('kj_hr');
    // then both numbers are masked
    expect(text).toContain(ZHANG_MASKED);
    expect(text).toContain('139****0003');
    expect(text).not.toContain(ZHANG_ID);
    expect(text).not.toContain(SECOND_PHONE);
  });

  it('prints them whole for the applicant', async () => {
    // when 张伟 prints his own form
    const text = await textOf('zhangwei');
    // then his numbers are whole
    expect(text).toContain(ZHANG_ID);
    expect(text).toContain(SECOND_PHONE);
  });
});

describe('公示投诉: the complainant’s numbers', () => {
  const PHONE = '13966660001';
  const IDENTITY = '510104198201010015';
  const CANDIDATE_PHONE = '13944440001';
  let meetingId: number;
  let complaintId: number;

  beforeAll(async () => {
    // given a published notice of a meeting with one passed candidate, received through the chain
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
    await db.knex('users').insert({ username: 'pd_pub', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '公示人员', unit_id: employer.id, roles: ['applicant'] });
    const id = await submitDossier(t, 'pd_pub', { ...VALID_DOSSIER, phone: CANDIDATE_PHONE });
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
    const candidate = Number((await db.knex('dossiers').where({ instance_id: id }).first('id')).id);
    const publish = async (name: string, correlationKey: string, payload: Record<string, unknown>) => {
      await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey, payload }));
      await t.app.engine.deliverMessages();
    };
    await publish('review-result', `dossier:${candidate}`, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
    const activity = await db.knex('activities').where({ id: 1 }).first('committee_id');
    const at = t.clock.now();
    const [meeting] = await db.knex('review_meetings').insert({ activity_id: 1, committee_id: activity.committee_id, kind: 'normal', name: '个人信息测试评审会议', status: 'closed', created_at: at, updated_at: at }).returning('id');
    meetingId = Number(meeting.id);
    await db.knex('meeting_candidates').insert({ meeting_id: meetingId, dossier_id: candidate, order_no: 1, status: 'passed', result_round: 'plenary', created_at: at });
    await publish('result-publicity-requested', `publicity:meeting:${meetingId}`, { meetingId, activityId: 1, committeeId: Number(activity.committee_id) });
    const taskId = (await t.request('GET', `/api/meetings/${meetingId}/publicity`, { user: 'cd_pw' })).json().publishTaskId as string;
    await completeOk(t, 'cd_pw', taskId, 'complete', undefined, { periodStart: '2026-03-02', periodEnd: '2026-03-13', contactPerson: '王老师', contactPhone: '028-61888888', contactAddress: '成都市高新区天府大道1号' });
    // and an offline complaint entered with the complainant's phone and ID number
    const res = await t.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, {
      user: 'cd_pw',
      body: { dossierId: candidate, reason: '电话反映其任职年限不足', complainantName: '王五', complainantPhone: PHONE, complainantIdentity: IDENTITY },
    });
    expect(res.statusCode, res.body).toBe(201);
    // (the clerk who typed them gets them back as typed)
    expect(res.json()).toMatchObject({ complainantPhone: PHONE, complainantIdentity: IDENTITY });
    complaintId = Number(res.json().id);
  });

  it('are sealed as written: plain columns empty, in no row of any table', async () => {
    // given the complaint just entered (no sweep since)
    const row = await db.knex('publicity_complaints').where({ id: complaintId }).first();
    // then only the seals hold them
    expect(row).toMatchObject({ complainant_phone: null, complainant_identity: null, pii_key_id: 'k1' });
    expect(t.app.pii.open(row.complainant_phone_enc)).toBe(PHONE);
    expect(t.app.pii.open(row.complainant_identity_enc)).toBe(IDENTITY);
    expect(await rowsHolding(PHONE)).toEqual({});
    expect(await rowsHolding(IDENTITY)).toEqual({});
  });

  it('leave the candidate’s declaration phone in no row after receipt, result, meeting and publicity', async () => {
    // given the candidate's case, through the committee's receipt, its result message, the meeting and the notice
    // when every table is searched for the phone of the candidate's declaration
    // then none holds it (candidates, results, messages, the publicity rows)
    expect(await rowsHolding(CANDIDATE_PHONE)).toEqual({});
  });

  it('are masked on the committee’s publicity page, the office number of the notice left as published', async () => {
    // when the committee's clerk opens the meeting's publicity
    const res = await t.request('GET', `/api/meetings/${meetingId}/publicity`, { user: 'cd_pw' });
    // then the complaint names the complainant with masked numbers
    expect(res.statusCode, res.body).toBe(200);
    const complaint = (res.json().complaints as Array<{ id: number; complainantPhone: string; complainantIdentity: string }>).find((c) => c.id === complaintId)!;
    expect(complaint).toMatchObject({ complainantPhone: '139****0001', complainantIdentity: '5101**********0015' });
    expect(res.body).not.toContain(PHONE);
    expect(res.body).not.toContain(IDENTITY);
    expect(res.json().notice.contactPhone).toBe('028-61888888');
  });

  it('open with 查看 for the organiser’s clerk, each view written to the audit', async () => {
    // when the clerk who investigates asks for the phone, to call back
    const before = (await piiViews()).length;
    const res = await t.request('GET', `/api/meetings/${meetingId}/publicity/complaints/${complaintId}/pii?field=phone`, { user: 'cd_pw' });
    // then it is whole, and the audit records the view
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ field: 'phone', value: PHONE });
    const views = await piiViews();
    expect(views).toHaveLength(before + 1);
    expect(views.at(-1)).toMatchObject({ target_id: `complaint:${complaintId}` });
    expect(views.at(-1).data).toMatchObject({ fields: ['phone'], personName: '王五' });
  });

  it('refuses 查看 outside the organiser’s unit, and answers 404 for a complaint of another meeting', async () => {
    // when an applicant asks, and the clerk asks under a meeting the complaint is not of
    const stranger = await t.request('GET', `/api/meetings/${meetingId}/publicity/complaints/${complaintId}/pii?field=phone`, { user: 'zhangwei' });
    const elsewhere = await t.request('GET', `/api/meetings/${meetingId}/publicity/complaints/${complaintId + 1000}/pii?field=phone`, { user: 'cd_pw' });
    // then neither gets a number
    expect(stranger.statusCode).toBe(403);
    expect(elsewhere.statusCode).toBe(404);
    expect(stranger.body + elsewhere.body).not.toContain(PHONE);
  });
});

describe('评审会议准备 imports (笔试成绩 / 答辩安排) at rest', () => {
  it('keep the candidates’ ID numbers masked in the good rows, and a wrongly typed one sealed, masked in its row and message', () => {
    // given a checked exam sheet: 张伟's row right, a row with an ID number of nobody in the meeting
    const candidates = [{ dossierId: 1, name: '张伟', idNumber: ZHANG_ID, employer: null }];
    const stranger = '510104199001010012';
    const checked = checkPrepRows('exam', [
      { row: 2, values: { name: '张伟', idNumber: ZHANG_ID, score: '80', result: '合格' } },
      { row: 3, values: { name: '王五', idNumber: stranger, score: '70', result: '合格' } },
    ], candidates, false);
    // when the rows are stored as the import keeps them until confirmed
    const stored = sealImportRows(t.app.pii, checked.good, checked.bad);
    // then neither number is in what is stored, the good row still names its dossier
    const json = JSON.stringify(stored);
    expect(json).not.toContain(ZHANG_ID);
    expect(json).not.toContain(stranger);
    expect(stored.good).toEqual([expect.objectContaining({ dossierId: 1, idNumber: ZHANG_MASKED })]);
    expect(stored.bad[0]!.values.idNumber).toBe('5101**********0012');
    expect(stored.bad[0]!.errors[0]!.message).toContain('5101**********0012');
    // and the typed number opens from its seal for the 错误数据 workbook
    expect(t.app.pii.open(stored.bad[0]!.sealed!.idNumber!)).toBe(stranger);
  });
});

describe('rotation', () => {
  it('re-seals a dossier’s phones under the new key and still opens them', async () => {
    // given the dossier sealed under the test key, and a new key listed first
    const old = await db.knex('dossiers').where({ id: dossierId }).first('phone_enc', 'pii_key_id');
    // (the test app's keys: tests/helpers/app.ts)
    const rotated = createPiiCipher(parsePiiKeys(`k9:${'ab'.repeat(16)},k1:0123456789abcdef0123456789abcdef`, 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210'));
    const sealer = createSealer(db.knex, createPersonalInformationRepository(db.knex), rotated);
    sealer.register(DOSSIERS_SEALED);
    // when the sealer runs over the dossiers
    const report = await sealer.sweep({ tables: ['dossiers'] });
    // then the row is on the new key, its phones open to the same numbers
    expect(report.resealed).toBeGreaterThan(0);
    const row = await db.knex('dossiers').where({ id: dossierId }).first('phone_enc', 'returned_phone_enc', 'pii_key_id');
    expect(old.pii_key_id).not.toBe('k9');
    expect(row.pii_key_id).toBe('k9');
    expect(rotated.keyIdOf(row.phone_enc)).toBe('k9');
    expect(rotated.open(row.phone_enc)).toBe(SECOND_PHONE);
    expect(rotated.open(row.returned_phone_enc)).toBe(FIRST_PHONE);
  });
});

describe('the migration, on numbers stored before it', () => {
  it('moves a declaration’s phone out of the dossier, its snapshot, the case variable and the history, and the sweep seals it', async () => {
    // given the layout before the migration, with 张伟's numbers stored whole as an older release kept them
    await migration.down(db.knex);
    const OLD = '13955550001';
    const RETURNED = '13955550002';
    await db.knex('dossiers').where({ id: dossierId }).update({ data: db.knex.raw("jsonb_set(data, '{phone}', to_jsonb(?::text))", [OLD]), returned_data: db.knex.raw("jsonb_set(returned_data, '{phone}', to_jsonb(?::text))", [RETURNED]) });
    await db.knex('process_instances').where({ id: instanceId }).update({ variables: db.knex.raw("jsonb_set(variables, '{dossier,phone}', to_jsonb(?::text))", [OLD]) });
    const submit = await db.knex('history_events').where({ root_instance_id: instanceId, type: 'task.complete', action: 'submit' }).orderBy('id', 'desc').first();
    await db.knex('history_events').insert({ ...submit, id: undefined, data: JSON.stringify({ ...submit.data, phone: OLD }) });
    expect(Object.keys(await rowsHolding(OLD)).sort()).toEqual(['dossiers', 'history_events', 'process_instances']);

    // when the migration runs, then the sweep
    await migration.up(db.knex);
    await t.app.sealer.sweep();

    // then no row holds either number, and the dossier opens them from their seals
    expect(await rowsHolding(OLD)).toEqual({});
    expect(await rowsHolding(RETURNED)).toEqual({});
    const row = await db.knex('dossiers').where({ id: dossierId }).first('data', 'phone', 'phone_enc', 'returned_phone_enc');
    expect(row).toMatchObject({ phone: null, data: expect.objectContaining({ phone: '139****0001' }) });
    expect(t.app.pii.open(row.phone_enc)).toBe(OLD);
    expect(t.app.pii.open(row.returned_phone_enc)).toBe(RETURNED);
    // and the applicant reads his phone whole again
    const res = await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user: 'zhangwei' });
    expect((res.json() as { data: { phone: string } }).data.phone).toBe(OLD);
  });
});
