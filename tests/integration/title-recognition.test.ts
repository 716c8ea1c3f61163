import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { uploadPdf } from '../helpers/files.ts';
import { recognitionApplication } from '../helpers/title-recognition.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let units: { city: number; department: number; employer: number; county: number };

type Recognition = { id: number; status: string; currentUnitId: number | null; returnReason: string | null; rejectReason: string | null; certificateId: number | null; certificateNo: string | null; confirming: boolean; taskId: string | null; specialty: string; auditPath: Array<{ unitId: number }>; confirmUnitId: number };

const json = <T = Record<string, unknown>>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): T => {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};

const apply = async (user: string, overrides: Record<string, unknown> = {}) =>
  json<Recognition>(await t.request('POST', '/api/my/title-recognitions', { user, body: await recognitionApplication(t, user, overrides) }), 201);
/** The reviewer's step of an application as its screen shows it (`taskId`; none outside the caller's scope). */
const shownStep = async (user: string, id: number): Promise<string | undefined> => {
  const res = await t.request('GET', `/api/title-recognitions/${id}`, { user });
  return res.statusCode === 200 ? ((res.json() as { taskId: string | null }).taskId ?? undefined) : undefined;
};
/** A decision sent from the reviewing screen, with the step it showed. */
const review = async (user: string, id: number, body: Record<string, unknown>) => t.request('POST', `/api/title-recognitions/${id}/review`, { user, body: { taskId: await shownStep(user, id), ...body } });
const batchOf = async (user: string, ids: number[]) => ({ ids, taskIds: (await Promise.all(ids.map((id) => shownStep(user, id)))).filter((x): x is string => x != null) });
const CONFIRM = { action: 'pass', approvalDate: '2026-02-20', documentNo: '成人社职〔2026〕15号' };

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const id = async (name: string) => Number((await db.knex('units').where({ name }).first('id')).id);
  units = {
    city: await id('成都市人力资源和社会保障局'),
    department: await id('成都市经济和信息化局'),
    employer: await id('成都示范科技有限公司'),
    county: await id('成都市锦江区人力资源和社会保障局'),
  };
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('提交职称确认申请', () => {
  it('answers 400 naming the field in Chinese, and refuses someone else’s attachment', async () => {
    // Given an applicant, When the specialty is empty, Then 400 on specialty
    const empty = await t.request('POST', '/api/my/title-recognitions', { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { specialty: ' ' }) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details[0]).toMatchObject({ field: 'body.specialty', message: '专业：请填写专业' });
    // When the level is not one of the catalogue's, Then 400 on level
    const level = await t.request('POST', '/api/my/title-recognitions', { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { level: 'senior' }) });
    expect(level.statusCode).toBe(400);
    expect(level.json().details[0].field).toBe('body.level');
    expect(level.json().details[0].message).toContain('职称层级');
    // When the certificate scan is a file another account uploaded, Then 400 on certificateFileId
    const foreign = await uploadPdf(t, 'lina', '别人的扫描件.pdf');
    const stolen = await t.request('POST', '/api/my/title-recognitions', { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { certificateFileId: foreign.id }) });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().details[0].field).toBe('certificateFileId');
    // and staff have no 我的职称确认
    expect((await t.request('POST', '/api/my/title-recognitions', { user: 'kj_hr', body: await recognitionApplication(t, 'kj_hr') })).statusCode).toBe(403);
    expect(Number((await db.knex('title_recognitions').count({ n: '*' }).first())!.n)).toBe(0);
  });

});

describe('职称确认 up the chain to the HR bureau', () => {
  let id: number;

  it('starts at the person’s unit with the path up to the nearest HR bureau', async () => {
    // Given 张伟 of 示范科技 (under 经信局, under 成都市人社局), When he applies
    const created = await apply('zhangwei');
    id = created.id;
    // Then it waits at his unit, and the city bureau confirms
    expect(created).toMatchObject({ status: 'reviewing', currentUnitId: units.employer, confirmUnitId: units.city });
    expect(created.auditPath.map((p) => p.unitId)).toEqual([units.employer, units.department, units.city]);
    const pending = json<Recognition[]>(await t.request('GET', '/api/title-recognitions', { user: 'kj_hr' }));
    expect(pending.map((r) => r.id)).toEqual([id]);
    expect(json<Recognition[]>(await t.request('GET', '/api/title-recognitions', { user: 'cd_jxj' }))).toEqual([]);
  });

  it('goes to the next unit on a pass, and back to the person on a return with the reason', async () => {
    // When the employer passes, Then the department has it
    expect(json<Recognition>(await review('kj_hr', id, { action: 'pass' }))).toMatchObject({ currentUnitId: units.department });
    // When the department returns it without a reason, Then 400 on reason
    const noReason = await review('cd_jxj', id, { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].field).toBe('reason');
    // When it returns it with a reason, Then the person sees it returned with the reason
    json(await review('cd_jxj', id, { action: 'return', reason: '任职资格文件不清晰' }));
    const mine = json<Recognition>(await t.request('GET', `/api/my/title-recognitions/${id}`, { user: 'zhangwei' }));
    expect(mine).toMatchObject({ status: 'returned', returnReason: '任职资格文件不清晰', currentUnitId: null });
    expect(mine.taskId).not.toBeNull();
  });

  it('starts again at the first level when the person resubmits', async () => {
    // When 张伟 corrects and resubmits, Then it waits at his unit again with the new content
    const again = json<Recognition>(await t.request('PUT', `/api/my/title-recognitions/${id}`, { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei', { specialty: '机械设计制造' }) }));
    expect(again).toMatchObject({ status: 'reviewing', currentUnitId: units.employer, specialty: '机械设计制造' });
    // and a second resubmission is refused
    expect((await t.request('PUT', `/api/my/title-recognitions/${id}`, { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei') })).statusCode).toBe(409);
  });

  it('walks the department’s 多岗审核 posts for 职称确认审核 before going up', async () => {
    // Given the department reviews 职称确认审核 with two posts
    const clerk = Number((await db.knex('users').where({ username: 'cd_jxj' }).first('id')).id);
    await db.knex('review_levels').insert([
      { unit_id: units.department, matter_type: 'title_recognition', level_no: 1, name: '初审', user_ids: [clerk] },
      { unit_id: units.department, matter_type: 'title_recognition', level_no: 2, name: '复审', user_ids: [clerk] },
    ]);
    // When the employer passes (batch) and the department's first post passes, Then it stays at the department
    expect(json(await t.request('POST', '/api/title-recognitions/pass', { user: 'kj_hr', body: await batchOf('kj_hr', [id]) }))).toEqual({ done: 1, skipped: 0 });
    json(await review('cd_jxj', id, { action: 'pass' }));
    expect(json<Recognition>(await t.request('GET', `/api/title-recognitions/${id}`, { user: 'cd_jxj' })).currentUnitId).toBe(units.department);
    // When the second post passes, Then the city bureau has it, as the confirming level
    json(await review('cd_jxj', id, { action: 'pass' }));
    expect(json<Recognition>(await t.request('GET', `/api/title-recognitions/${id}`, { user: 'cd_hr' }))).toMatchObject({ currentUnitId: units.city, confirming: true });
    // and the matter is in use for 多岗审核配置
    const matters = json<Array<{ id: string; inUse: boolean }>>(await t.request('GET', '/api/review-levels/matter-types', { user: 'cd_hr' }));
    expect(matters.find((m) => m.id === 'title_recognition')).toMatchObject({ inUse: true });
  });

  it('needs the approval date and a well-formed 文号 for the confirming pass', async () => {
    // When the bureau passes without a 文号, or with a malformed one, or one of another year, Then 400 on documentNo
    expect((await review('cd_hr', id, { action: 'pass', approvalDate: '2026-02-20' })).json().details[0].field).toBe('documentNo');
    const bad = await review('cd_hr', id, { ...CONFIRM, documentNo: '成人社职(2026)15号' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.documentNo');
    const year = await review('cd_hr', id, { ...CONFIRM, documentNo: '成人社职〔2025〕15号' });
    expect(year.statusCode).toBe(400);
    expect(year.json().details[0].field).toBe('documentNo');
    // and the batch pass leaves the confirming level alone
    expect(json(await t.request('POST', '/api/title-recognitions/pass', { user: 'cd_hr', body: await batchOf('cd_hr', [id]) }))).toEqual({ done: 0, skipped: 1 });
    expect(json<Recognition>(await t.request('GET', `/api/title-recognitions/${id}`, { user: 'cd_hr' })).status).toBe('reviewing');
  });

  it('confirms on the bureau’s pass and issues exactly one 确认 certificate, even when the pass is sent twice', async () => {
    // When the bureau's pass is sent twice at once, Then one is 200 and the other 409
    const [a, b] = await Promise.all([review('cd_hr', id, CONFIRM), review('cd_hr', id, CONFIRM)]);
    expect([a.statusCode, b.statusCode].sort(), a.body + b.body).toEqual([200, 409]);
    // and once more afterwards, Then 409
    expect((await review('cd_hr', id, CONFIRM)).statusCode).toBe(409);
    // Then the record is confirmed with its certificate, issued by the bureau, of kind 确认, once
    const done = json<Recognition>(await t.request('GET', `/api/my/title-recognitions/${id}`, { user: 'zhangwei' }));
    expect(done).toMatchObject({ status: 'confirmed', certificateId: expect.any(Number) });
    const certs = await db.knex('certificates').where({ source_type: 'recognition', source_id: id });
    expect(certs).toHaveLength(1);
    expect(Number(certs[0].issuer_unit_id)).toBe(units.city);
    expect(certs[0]).toMatchObject({ kind: 'confirm', document_no: '成人社职〔2026〕15号', specialty: '机械设计制造' });
    // and it is among the person's certificates, downloadable as a PDF
    const my = json<Array<{ id: number; certificateNo: string }>>(await t.request('GET', '/api/my/certificates', { user: 'zhangwei' }));
    expect(my.map((c) => c.id)).toContain(done.certificateId);
    expect(done.certificateNo).toBe(my.find((c) => c.id === done.certificateId)!.certificateNo);
    const pdf = await t.request('GET', `/api/my/certificates/${done.certificateId}/pdf`, { user: 'zhangwei' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('pdf');
  });
});

describe('不通过', () => {
  it('ends the application and keeps it: neither the person nor staff can delete it', async () => {
    // Given 李娜's application at her unit, When the unit rejects it
    const { id } = await apply('lina', { titleName: '高级工程师', level: 'senior_deputy' });
    expect(json<Recognition>(await review('kj_hr', id, { action: 'reject', reason: '原评审机构无相应评审权' }))).toMatchObject({ status: 'rejected', rejectReason: '原评审机构无相应评审权' });
    // Then no one can act on it any more
    expect((await review('kj_hr', id, { action: 'pass' })).statusCode).toBe(409);
    // and the person may not delete it (409), nor may the unit
    expect((await t.request('DELETE', `/api/my/title-recognitions/${id}`, { user: 'lina' })).statusCode).toBe(409);
    expect((await t.request('DELETE', `/api/title-recognitions/${id}`, { user: 'kj_hr' })).statusCode).toBe(409);
    // and it is still there, with no certificate
    expect(json<Recognition>(await t.request('GET', `/api/my/title-recognitions/${id}`, { user: 'lina' }))).toMatchObject({ status: 'rejected', certificateId: null });
    expect(Number((await db.knex('certificates').where({ source_type: 'recognition', source_id: id }).count({ n: '*' }).first())!.n)).toBe(0);
  });
});

describe('scope before state', () => {
  it('answers 403 to another unit’s clerk and 404 to another person, whether the record exists or not', async () => {
    // Given an application pending at 示范科技
    const { id } = await apply('lina');
    const missing = id + 1000;
    // When the county bureau's clerk (not on its path) reads, reviews or deletes it, Then 403 as for a missing one
    for (const target of [id, missing]) {
      expect((await t.request('GET', `/api/title-recognitions/${target}`, { user: 'jj_hr' })).statusCode).toBe(403);
      expect((await review('jj_hr', target, { action: 'pass' })).statusCode).toBe(403);
      expect((await t.request('DELETE', `/api/title-recognitions/${target}`, { user: 'jj_hr' })).statusCode).toBe(403);
    }
    // even with a malformed body, scope is answered first
    expect((await review('jj_hr', id, { action: 'return' })).statusCode).toBe(403);
    // and a batch naming it is refused
    expect((await t.request('POST', '/api/title-recognitions/pass', { user: 'jj_hr', body: { ids: [id] } })).statusCode).toBe(403);
    // When another applicant asks for it, Then 404 as for a missing one
    expect((await t.request('GET', `/api/my/title-recognitions/${id}`, { user: 'zhangwei' })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/my/title-recognitions/${missing}`, { user: 'zhangwei' })).statusCode).toBe(404);
    expect((await t.request('PUT', `/api/my/title-recognitions/${id}`, { user: 'zhangwei', body: await recognitionApplication(t, 'zhangwei') })).statusCode).toBe(404);
    // When the department (on the path, not yet its turn) tries to pass it, Then 409
    expect((await review('cd_jxj', id, { action: 'pass' })).statusCode).toBe(409);
    // and staff without the permission get 403 on the list
    expect((await t.request('GET', '/api/title-recognitions', { user: 'cd_pw' })).statusCode).toBe(403);
    // and the person's attachment can be read by a unit on the path but not by another
    const row = await db.knex('title_recognitions').where({ id }).first('certificate_file_id');
    expect((await t.request('GET', `/api/files/${row.certificate_file_id}`, { user: 'kj_hr' })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/files/${row.certificate_file_id}`, { user: 'jj_hr' })).statusCode).toBe(404);
  });
});

describe('a double click', () => {
  it('makes one application of a double click on 提交', async () => {
    // Given one filled-in application of 李娜, When it is posted twice at once
    const body = await recognitionApplication(t, 'lina', { titleName: '助理工程师', level: 'junior' });
    const [a, b] = await Promise.all([t.request('POST', '/api/my/title-recognitions', { user: 'lina', body }), t.request('POST', '/api/my/title-recognitions', { user: 'lina', body })]);
    // Then one is created and the other is a 409, with one case
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const rows = await db.knex('title_recognitions').join('users', 'users.id', 'title_recognitions.user_id').where('users.username', 'lina').where('title_recognitions.title_name', '助理工程师').select('title_recognitions.id');
    expect(rows).toHaveLength(1);
  });
});

describe('多岗审核: the decision names the step the screen showed', () => {
  it('refuses a second click from the same screen after the first committed, and leaves the next post undecided', async () => {
    // Given the unit reviews 职称确认 through two posts held by one clerk, and an application at 初审
    const clerk = Number((await db.knex('users').where({ username: 'kj_hr' }).first('id')).id);
    await db.knex('review_levels').insert([
      { unit_id: units.employer, matter_type: 'title_recognition', level_no: 1, name: '初审', user_ids: [clerk] },
      { unit_id: units.employer, matter_type: 'title_recognition', level_no: 2, name: '复审', user_ids: [clerk] },
    ]);
    const { id } = await apply('zhangwei', { titleName: '正高级工程师', level: 'senior_full' });
    const seen = await shownStep('kj_hr', id);
    // When the clerk clicks 通过 twice from that screen, one after the other
    const first = await t.request('POST', `/api/title-recognitions/${id}/review`, { user: 'kj_hr', body: { action: 'pass', taskId: seen } });
    const second = await t.request('POST', `/api/title-recognitions/${id}/review`, { user: 'kj_hr', body: { action: 'pass', taskId: seen } });
    // Then the first passes 初审, the second is a 409 and the application still waits at the unit
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toBe('该记录已由他人处理，请刷新');
    expect(json<Recognition>(await t.request('GET', `/api/title-recognitions/${id}`, { user: 'kj_hr' })).currentUnitId).toBe(units.employer);
    // and a batch from that screen skips it, while a batch naming no step is a 400 naming taskIds
    expect(json(await t.request('POST', '/api/title-recognitions/pass', { user: 'kj_hr', body: { ids: [id], taskIds: [seen] } }))).toEqual({ done: 0, skipped: 1 });
    const none = await t.request('POST', '/api/title-recognitions/pass', { user: 'kj_hr', body: { ids: [id] } });
    expect(none.statusCode).toBe(400);
    expect(none.json().details).toEqual([expect.objectContaining({ field: 'taskIds' })]);
    await db.knex('review_levels').where({ unit_id: units.employer, matter_type: 'title_recognition' }).del();
  });
});
