import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, submitDossier, taskOf, passEmployer } from '../helpers/flow.ts';
import { upload as uploadFiles, type UploadFile } from '../helpers/files.ts';
import { shanghaiDate } from '../../api/modules/calendar/calendar.service.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const upload = (user: string, files: UploadFile[]) => uploadFiles(t, user, files);

describe('saved opinions (常用意见)', () => {
  it('are each user’s own', async () => {
    const created = await t.request('POST', '/api/saved-opinions', { user: 'kj_hr', body: { text: '材料齐全，同意推荐' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const list = await t.request('GET', '/api/saved-opinions', { user: 'kj_hr' });
    const own = (rows: Array<{ preset: boolean }>) => rows.filter((o) => !o.preset);
    expect(own(list.json())).toEqual([{ id, text: '材料齐全，同意推荐', sortOrder: 0, preset: false }]);
    expect(own((await t.request('GET', '/api/saved-opinions', { user: 'cd_hr' })).json())).toEqual([]);
    expect((await t.request('PUT', `/api/saved-opinions/${id}`, { user: 'cd_hr', body: { text: 'x' } })).statusCode).toBe(404);
    expect((await t.request('DELETE', `/api/saved-opinions/${id}`, { user: 'cd_hr' })).statusCode).toBe(404);
    const empty = await t.request('POST', '/api/saved-opinions', { user: 'kj_hr', body: { text: '  ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('意见内容不能为空');
    expect((await t.request('DELETE', `/api/saved-opinions/${id}`, { user: 'kj_hr' })).statusCode).toBe(200);
  });
});

describe('attachments', () => {
  it('keep the bytes once by hash, and only the uploader reads an unattached file', async () => {
    const content = Buffer.from('学历证书扫描件');
    const first = await upload('zhangwei', [{ name: '学历证书.pdf', type: 'application/pdf', content }]);
    expect(first.statusCode).toBe(201);
    const second = await upload('zhangwei', [{ name: '学历证书-副本.pdf', type: 'application/pdf', content }]);
    const [a] = first.json();
    const [b] = second.json();
    expect(a.sha256).toBe(b.sha256);
    expect(a.id).not.toBe(b.id);
    expect((await db.knex('file_blobs').where({ sha256: a.sha256 })).length).toBe(1);

    const own = await t.request('GET', `/api/files/${a.id}`, { user: 'zhangwei' });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.toString()).toBe('学历证书扫描件');
    expect(own.headers['content-disposition']).toContain(encodeURIComponent('学历证书.pdf'));
    expect((await t.request('GET', `/api/files/${a.id}`, { user: 'kj_hr' })).statusCode).toBe(404);
  });

  it('refuses an empty upload with a message', async () => {
    const res = await upload('zhangwei', [{ name: 'empty.txt', type: 'text/plain', content: Buffer.alloc(0) }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('空文件');
  });
});

describe('due dates per flow step (期限设置)', () => {
  it('lets an administrator change a step’s due date for tasks created from then on', async () => {
    const id = 'dossier-review:unit_review';
    const fiveWorkingDays = { amount: 5, unit: 'working_days' };
    expect((await t.request('PUT', `/api/settings/task-due-dates/${id}`, { user: 'kj_hr', body: fiveWorkingDays })).statusCode).toBe(403);
    const bad = await t.request('PUT', `/api/settings/task-due-dates/${id}`, { user: 'admin', body: { amount: 5, unit: 'days' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.unit');
    const ok = await t.request('PUT', `/api/settings/task-due-dates/${id}`, { user: 'admin', body: fiveWorkingDays });
    expect(ok.json()).toMatchObject({ kind: 'task', diagramDueDate: 'P3D', dueDate: '5 工作日', effective: '5 工作日', effectiveLabel: '5 个工作日', amount: 5, unit: 'working_days' });

    const instance = await submitDossier(t, 'lina');
    const task = await taskOf(t, 'kj_hr', instance, 'unit_review');
    const row = await db.knex('tasks').where({ id: task.id }).first();
    expect(new Date(row.due_at).toISOString()).toBe(endOfWorkingDay(5));

    expect((await t.request('DELETE', `/api/settings/task-due-dates/${id}`, { user: 'admin' })).statusCode).toBe(200);
    const list = await t.request('GET', '/api/settings/task-due-dates?processKey=dossier-review', { user: 'admin' });
    expect(list.json().find((r: { id: string }) => r.id === id)).toMatchObject({ dueDate: null, effective: 'P3D', effectiveLabel: '3 个工作日' });
    // the step that calls the multi-post review is listed too: its setting applies to every post's task
    const posts = list.json().find((r: { id: string }) => r.id === 'dossier-review:unit_review_posts');
    expect(posts).toMatchObject({ kind: 'call', diagramDueDate: null, effective: null });
    expect(posts.note).toContain('每个岗位各自计算');

    // with the setting gone, the diagram's due date applies again
    const lina = await db.knex('users').where({ username: 'lina' }).first();
    await db.knex('users').insert({ ...lina, id: undefined, username: 'wangwu', display_name: '王五', id_number: null, id_number_enc: null, id_number_hash: null });
    const next = await submitDossier(t, 'wangwu');
    const again = await db.knex('tasks').where({ id: (await taskOf(t, 'kj_hr', next, 'unit_review')).id }).first();
    expect(new Date(again.due_at).toISOString()).toBe(endOfWorkingDay(3));
  });
});

/** The end (24:00 Asia/Shanghai) of the n-th working day after today, by the 工作日历. */
function endOfWorkingDay(n: number): string {
  const day = t.app.calendar.addWorkingDays(shanghaiDate(t.clock.now()), n);
  return new Date(`${day}T23:59:59.999+08:00`).toISOString();
}

describe('multi-post review levels (多岗审核配置)', () => {
  it('saves ordered posts whose staff belong to the unit', async () => {
    const employer = await db.knex('units').where({ unit_type: 'employer' }).first();
    const clerk = await db.knex('users').where({ username: 'kj_hr' }).first();
    const outsider = await db.knex('users').where({ username: 'cd_hr' }).first();
    const wrong = await t.request('PUT', '/api/review-levels', {
      user: 'admin',
      body: { unitId: employer.id, matterType: 'dossier_review', posts: [{ name: '初审岗', userIds: [outsider.id] }] },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toContain('不是本单位工作人员');
    const noStaff = await t.request('PUT', '/api/review-levels', { user: 'admin', body: { unitId: employer.id, matterType: 'dossier_review', posts: [{ name: '初审岗', userIds: [] }] } });
    expect(noStaff.statusCode).toBe(400);
    expect(noStaff.json().message).toContain('至少需要一名审核人员');
    const saved = await t.request('PUT', '/api/review-levels', {
      user: 'admin',
      body: { unitId: employer.id, matterType: 'dossier_review', posts: [{ name: '初审岗', userIds: [clerk.id] }, { name: '复核岗', userIds: [clerk.id] }] },
    });
    expect(saved.statusCode).toBe(200);
    const read = await t.request('GET', `/api/review-levels?unitId=${employer.id}&matterType=dossier_review`, { user: 'admin' });
    expect(read.json().posts.map((p: { levelNo: number; name: string }) => [p.levelNo, p.name])).toEqual([
      [1, '初审岗'],
      [2, '复核岗'],
    ]);
    expect((await t.request('GET', `/api/review-levels?unitId=${employer.id}&matterType=nope`, { user: 'admin' })).statusCode).toBe(400);
    // the staff picker offers the unit's staff, never its applicants, and only to those who configure it
    expect((await t.request('GET', `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: employer.id }))}`, { user: 'admin' })).json().map((u: { username: string }) => u.username)).toEqual(['kj_hr']);
    expect((await t.request('GET', '/api/staff', { user: 'kj_hr' })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/staff?filter=${encodeURIComponent(JSON.stringify({ unitId: employer.id }))}`, { user: 'cd_pw' })).statusCode).toBe(403);
  });
});

describe('diagrams', () => {
  it('keeps drafts for administrators and shows an instance’s own diagram to those who may see it', async () => {
    expect((await t.request('PUT', '/api/process-definitions/dossier-review/draft', { user: 'kj_hr', body: { xml: '<x/>' } })).statusCode).toBe(403);
    expect((await t.request('PUT', '/api/process-definitions/dossier-review/draft', { user: 'admin', body: { xml: '<draft/>', baseVersion: 1 } })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/process-definitions/dossier-review/draft', { user: 'admin' })).json()).toMatchObject({ xml: '<draft/>', baseVersion: 1 });
    expect((await t.request('DELETE', '/api/process-definitions/dossier-review/draft', { user: 'admin' })).json()).toEqual({ key: 'dossier-review', deleted: true });
    expect((await t.request('GET', '/api/process-definitions/dossier-review/draft', { user: 'admin' })).statusCode).toBe(404);

    const id = await submitDossier(t, 'zhangwei');
    const own = await t.request('GET', `/api/process-instances/${id}/diagram`, { user: 'zhangwei' });
    expect(own.json()).toMatchObject({ key: 'dossier-review', version: 1 });
    expect(own.json().xml).toContain('申报单位审核');
    expect((await t.request('GET', `/api/process-instances/${id}/diagram`, { user: 'cd_pw' })).statusCode).toBe(404);
    // the employer has two review posts (configured above), both held by kj_hr
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review_posts')).id, 'pass');
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review_posts')).id, 'pass');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_materials')).id);
    // the department, now holding it, may look
    expect((await t.request('GET', `/api/process-instances/${id}/diagram`, { user: 'cd_jxj' })).statusCode).toBe(200);
  });

  it('publishes the moddle extension and the forms for the editor', async () => {
    const moddle = await t.request('GET', '/api/process-definitions/moddle', { user: 'admin' });
    expect(moddle.json()).toMatchObject({ prefix: 'zcps', uri: 'http://zcps.gov.cn/schema/bpmn/1.0' });
    const forms = await t.request('GET', '/api/forms', { user: 'admin' });
    expect(forms.json().map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(['dossier-submit', 'review', 'committee-receipt']));
  });
});

describe('labels (界面名称)', () => {
  it('are published without login, and are the names the API itself gives a record', async () => {
    // given the caller's unit as the API describes it
    const unit = (await t.request('GET', '/api/my-unit', { user: 'kj_hr' })).json();
    // when the console asks for the labels, before anybody logs in
    const res = await t.request('GET', '/api/labels');
    // then they name the unit's type, nature and status as the unit's own answer does
    expect(res.statusCode).toBe(200);
    const labels = res.json();
    expect(labels.unitTypes[unit.unitType]).toBe(unit.unitTypeName);
    expect(labels.unitNatures[unit.nature]).toBe(unit.natureName);
    expect(labels.unitStatuses[unit.status]).toBe(unit.statusName);
    expect(labels.actions).toMatchObject({ pass: '审核通过', return: '退回', reject: '不通过' });
    expect(labels.achievementTitles.papers).toBe('论文论著');
    expect(Object.keys(labels.registrableUnitTypes)).not.toContain('hr_bureau');
  });
});
