import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, instanceView, openTasksAt, passEmployer, publicityPeriod, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let next = 0;

/** A new applicant of the demo employer (each applies once to the demo activity). */
const applicant = () => `batch_${++next}`;

interface BatchField {
  name: string;
  title: string;
  widget: string;
  required: boolean;
  options?: Array<{ value: string; label: string }>;
}

const batch = (user: string, body: Record<string, unknown>) => t.request('POST', '/api/tasks/batch-complete', { user, body });
const batchForm = async (user: string, taskIds: string[], action: string) => {
  const res = await t.request('POST', '/api/tasks/batch-form', { user, body: { taskIds, action } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { fields: BatchField[] }).fields;
};

/** The demo chain up to 人社部门审核: the employer and the department pass it. */
async function atBureau(user: string, employerClerk = 'kj_hr'): Promise<string> {
  const id = await submitDossier(t, user);
  await passEmployer(t, employerClerk, (await taskOf(t, employerClerk, id, 'unit_review')).id, '同意推荐');
  const department = await db.knex('tasks').where({ root_instance_id: id, element_id: 'department_review', status: 'open' }).first();
  if (department) await completeOk(t, 'cd_jxj', department.id, 'pass', '同意');
  return id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  const { city, employer } = await demoChainUnits(k);
  const hash = await hashPassword(DEMO_PASSWORD);
  // an institute directly under the city's HR bureau: its dossiers pass no 主管部门
  const [institute] = await k('units')
    .insert({ parent_id: city.id, name: '成都市直属研究院', unit_type: 'employer', admin_level: 'city', region_code: '510100', nature: 'institution', path: '/' })
    .returning('*');
  await k('units').where({ id: institute.id }).update({ path: `${city.path}${institute.id}/` });
  await k('users').insert([
    { username: 'yjy_hr', password_hash: hash, display_name: '研究院经办人', unit_id: institute.id, roles: ['unit_clerk'] },
    { username: 'yjy_1', password_hash: hash, display_name: '研究院申报人', unit_id: institute.id, roles: ['applicant'] },
    ...Array.from({ length: 20 }, (_, i) => ({ username: `batch_${i + 1}`, password_hash: hash, display_name: `批量申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })),
  ]);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('batch pass at 申报单位审核 with one shared 公示证明 and 推荐材料', () => {
  it('asks for the two uploads once and attaches them to every dossier of the batch', async () => {
    // given three dossiers waiting at the employer's review
    const ids = [await submitDossier(t, applicant()), await submitDossier(t, applicant()), await submitDossier(t, applicant())];
    const taskIds = await Promise.all(ids.map(async (id) => (await taskOf(t, 'kj_hr', id, 'unit_review')).id));

    // when the clerk opens the batch pass, then it asks for the uploads the pass needs
    const fields = await batchForm('kj_hr', taskIds, 'pass');
    expect(fields.map((f) => [f.name, f.title, f.widget, f.required])).toEqual([
      ['publicityStart', '公示开始日期', 'date', true],
      ['publicityEnd', '公示结束日期', 'date', true],
      ['publicityProof', '公示证明材料', 'file', true],
      ['recommendation', '综合推荐材料', 'file', true],
    ]);

    // when the clerk uploads them once and passes the three
    const data = { ...publicityPeriod(t.clock.now()), publicityProof: [await uploadPdf(t, 'kj_hr', '公示证明.pdf')], recommendation: [await uploadPdf(t, 'kj_hr', '综合推荐材料.pdf')] };
    const res = await batch('kj_hr', { taskIds, action: 'pass', opinion: '同意推荐。', data });

    // then each passes on to the department, carrying files of its own with the uploaded bytes
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ succeeded: 3, failed: 0 });
    const seen = new Set<string>();
    for (const id of ids) {
      expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
      const pass = (await instanceView(t, 'kj_hr', id)).history.find((h) => h.type === 'task.complete' && h.action === 'pass');
      const carried = pass?.data as { publicityProof: Array<{ id: string; name: string }>; recommendation: Array<{ id: string; name: string }> };
      expect(carried.publicityProof.map((f) => f.name)).toEqual(['公示证明.pdf']);
      expect(carried.recommendation.map((f) => f.name)).toEqual(['综合推荐材料.pdf']);
      for (const file of [...carried.publicityProof, ...carried.recommendation]) {
        expect(seen.has(file.id), 'each case has its own copy').toBe(false);
        seen.add(file.id);
        const row = await db.knex('files').where({ id: file.id }).first();
        expect(row.root_instance_id).toBe(id);
        // whoever reads the case reads its files: the department that holds it now
        const download = await t.request('GET', `/api/files/${file.id}`, { user: 'cd_jxj' });
        expect(download.statusCode).toBe(200);
        expect(download.body).toContain(file.name);
      }
    }
  });

  it('refuses another clerk’s upload for the whole batch, and nothing moves', async () => {
    // given two dossiers at the employer and a file the applicant uploaded
    const ids = [await submitDossier(t, applicant()), await submitDossier(t, applicant())];
    const taskIds = await Promise.all(ids.map(async (id) => (await taskOf(t, 'kj_hr', id, 'unit_review')).id));
    const foreign = await uploadPdf(t, 'zhangwei', '他人的文件.pdf');

    // when the clerk passes them with it
    const res = await batch('kj_hr', { taskIds, action: 'pass', data: { ...publicityPeriod(t.clock.now()), publicityProof: [foreign], recommendation: [await uploadPdf(t, 'kj_hr', '推荐.pdf')] } });

    // then the batch is refused and both wait at the employer still
    expect(res.statusCode).toBe(403);
    for (const id of ids) expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
  });
});

describe('batch return with 退回至', () => {
  it('offers the levels every selected case allows and returns each to the chosen one', async () => {
    // given two demo dossiers at the city's HR bureau
    const ids = [await atBureau(applicant()), await atBureau(applicant())];
    const taskIds = await Promise.all(ids.map(async (id) => (await taskOf(t, 'cd_hr', id, 'bureau_review')).id));

    // when the clerk opens the batch return, then it offers 退回至 with the chain's levels below it
    const [returnTo, ...others] = await batchForm('cd_hr', taskIds, 'return');
    expect(others).toEqual([]);
    expect(returnTo).toMatchObject({ name: 'returnTo', title: '退回至', widget: 'select' });
    expect(returnTo!.options!.map((o) => o.label)).toEqual(['申报人', '申报单位', '主管部门']);

    // when they are returned to 主管部门
    const res = await batch('cd_hr', { taskIds, action: 'return', opinion: '请主管部门补充意见', data: { returnTo: 'department' } });

    // then both wait at the department again
    expect(res.json()).toMatchObject({ succeeded: 2, failed: 0 });
    for (const id of ids) {
      expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
      expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(0);
    }
  });

  it('refuses a level one of the cases does not have, and moves none of them', async () => {
    // given a demo dossier and one of an institute without 主管部门, both at the city's HR bureau
    const withDepartment = await atBureau(applicant());
    const without = await atBureau('yjy_1', 'yjy_hr');
    const taskIds = [(await taskOf(t, 'cd_hr', withDepartment, 'bureau_review')).id, (await taskOf(t, 'cd_hr', without, 'bureau_review')).id];

    // when the clerk opens the batch return, then 主管部门 is not offered
    const [returnTo] = await batchForm('cd_hr', taskIds, 'return');
    expect(returnTo!.options!.map((o) => o.value)).toEqual(['applicant', 'employer']);

    // when the clerk sends the batch back to 主管部门 anyway
    const res = await batch('cd_hr', { taskIds, action: 'return', opinion: '请补充', data: { returnTo: 'department' } });

    // then it is refused, naming the field and the case that cannot go there, and neither moved
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('1 项不能选择退回至“主管部门”');
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.returnTo', taskIds: [taskIds[1]] })]);
    for (const id of [withDepartment, without]) expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
  });

  it('does not ask 退回至 where the step has none (the employer returns to the applicant)', async () => {
    const id = await submitDossier(t, applicant());
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    expect(await batchForm('kj_hr', [task.id], 'return')).toEqual([]);
    // a 退回至 sent anyway is refused rather than ignored
    const res = await batch('kj_hr', { taskIds: [task.id], action: 'return', opinion: '请补充', data: { returnTo: 'employer' } });
    expect(res.statusCode).toBe(400);
    expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
  });
});

describe('常用意见 out of the box', () => {
  it('lists the presets to a new account first, beside its own, and keeps them from being deleted', async () => {
    // given a clerk who has saved nothing yet
    const hash = await hashPassword(DEMO_PASSWORD);
    const unit = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
    await db.knex('users').insert({ username: 'new_clerk', password_hash: hash, display_name: '新经办人', unit_id: unit.id, roles: ['unit_clerk'] });

    // when they list their 常用意见
    const own = await t.request('POST', '/api/saved-opinions', { user: 'new_clerk', body: { text: '已核实。' } });
    const list = await t.request('GET', '/api/saved-opinions', { user: 'new_clerk' });

    // then the presets come first, then their own
    expect(list.json().map((o: { text: string; preset: boolean }) => [o.text, o.preset])).toEqual([
      ['同意推荐。', true],
      ['材料不齐全，请补充后重新提交。', true],
      ['已核实。', false],
    ]);
    const preset = list.json()[0] as { id: number };
    const refused = await t.request('DELETE', `/api/saved-opinions/${preset.id}`, { user: 'new_clerk' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('系统预置的常用意见不能删除');
    expect((await t.request('DELETE', `/api/saved-opinions/${own.json().id}`, { user: 'new_clerk' })).statusCode).toBe(200);
  });
});

describe('the inbox reads due dates for the clerk', () => {
  it('marks overdue tasks with their days late and tasks due within a day, by the server’s clock', async () => {
    // given four dossiers at the employer, due 3 days ago, in 2 hours, in 20 hours (tomorrow) and in 3 days
    const now = t.clock.now().getTime();
    const hour = 3600 * 1000;
    const dues = [now - 72 * hour, now + 2 * hour, now + 20 * hour, now + 72 * hour];
    const ids: string[] = [];
    for (const due of dues) {
      const id = await submitDossier(t, applicant());
      await db.knex('tasks').where({ root_instance_id: id, element_id: 'unit_review', status: 'open' }).update({ due_at: new Date(due) });
      ids.push(id);
    }

    // when the clerk lists the inbox
    const res = await t.request('GET', `/api/tasks?range=${encodeURIComponent('[0,999]')}`, { user: 'kj_hr' });
    const rows = res.json() as Array<{ rootInstanceId: string; dueState: { level: string; label: string } | null }>;
    const stateOf = (id: string) => rows.find((r) => r.rootInstanceId === id)?.dueState ?? null;

    // then (the test clock stands at 09:00 in Shanghai) each reads as it stands
    expect(stateOf(ids[0]!)).toEqual({ level: 'overdue', label: '已超期 3 天' });
    expect(stateOf(ids[1]!)).toEqual({ level: 'soon', label: '今日到期' });
    expect(stateOf(ids[2]!)).toEqual({ level: 'soon', label: '明日到期' });
    expect(stateOf(ids[3]!)).toBeNull();
  });
});
