import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, inbox, instanceView, submitDossier, taskOf, passEmployer } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

async function dossierStatus(instanceId: string): Promise<string> {
  const row = await db.knex('dossiers').where({ instance_id: instanceId }).first();
  return String(row?.status);
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // a second employer under the same department, with its own clerk and applicant
  const department = await db.knex('units').where({ unit_type: 'department' }).first();
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  const [other] = await db.knex('units').insert({ parent_id: department.id, name: '另一家企业', unit_type: 'employer', path: '/' }).returning('*');
  await db.knex('units').where({ id: other.id }).update({ path: `${department.path}${other.id}/` });
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert([
    { username: 'other_hr', password_hash: hash, display_name: '另一家企业经办人', unit_id: other.id, roles: ['unit_clerk'] },
    { username: 'wangfang', password_hash: hash, display_name: '王芳', unit_id: other.id, roles: ['applicant'] },
    { username: 'zhaolei', password_hash: hash, display_name: '赵磊', unit_id: employer.id, roles: ['applicant'] },
    { username: 'sunli', password_hash: hash, display_name: '孙丽', unit_id: employer.id, roles: ['applicant'] },
  ]);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('dossier review, the proving flow', () => {
  it('passes from the applicant through employer, department and HR bureau to the committee', async () => {
    // given an applicant who submitted a dossier
    const id = await submitDossier(t, 'zhangwei');
    expect(await dossierStatus(id)).toBe('submitted');

    // when each level passes it
    const unit = await taskOf(t, 'kj_hr', id, 'unit_review');
    expect(unit.summary).toMatchObject({ applicantName: '张伟', series: 'engineering' });
    await passEmployer(t, 'kj_hr', unit.id, '同意推荐');
    const dept = await taskOf(t, 'cd_jxj', id, 'department_review');
    await completeOk(t, 'cd_jxj', dept.id, 'pass', '同意');
    const bureau = await taskOf(t, 'cd_hr', id, 'bureau_review');
    await completeOk(t, 'cd_hr', bureau.id, 'pass');
    const receipt = await taskOf(t, 'cd_pw', id, 'committee_receipt');
    const done = await completeOk(t, 'cd_pw', receipt.id, 'pass', '材料齐全，予以接收');

    // then the committee has received it, the case waits for 评审结果, and every step is in the history
    expect(done.instance.status).toBe('running');
    expect(await dossierStatus(id)).toBe('received');
    expect(await t.app.engine.waitingMessages(id)).toMatchObject([{ elementId: 'wait_review', name: 'review-result' }]);
    const view = await instanceView(t, 'zhangwei', id);
    const steps = view.history.filter((h) => h.type === 'task.complete').map((h) => [h.elementName, h.action, h.actorName]);
    expect(steps).toEqual([
      ['提交申报材料', 'submit', '张伟'],
      ['申报单位审核', 'pass', '示范科技经办人'],
      ['主管部门审核', 'pass', '成都市经信局经办人'],
      ['人社部门审核', 'pass', '成都市人社局经办人'],
      ['评委会接收', 'pass', '成都市评委会经办人'],
    ]);
    expect(view.trail).toEqual(expect.arrayContaining(['unit_review', 'department_review', 'bureau_review', 'committee_receipt', 'received', 'gw_has_exam']));
  });

  it('returns to the applicant, who edits and resubmits; the first submission stays in history', async () => {
    const id = await submitDossier(t, 'lina');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意');

    // when the department returns it
    const dept = await taskOf(t, 'cd_jxj', id, 'department_review');
    await completeOk(t, 'cd_jxj', dept.id, 'return', '继续教育学时证明缺失，请补充', { returnTo: 'applicant' });

    // then it is back with the applicant for revision, and nobody else holds it
    expect(await dossierStatus(id)).toBe('returned');
    const resubmit = await taskOf(t, 'lina', id, 'resubmit');
    expect(resubmit.name).toBe('修改并重新提交');
    expect((await inbox(t, 'cd_jxj')).some((i) => i.rootInstanceId === id)).toBe(false);
    const mine = await t.request('GET', '/api/dossiers/mine', { user: 'lina' });
    expect(mine.json()[0]).toMatchObject({ status: 'returned', lastOpinion: { opinion: '继续教育学时证明缺失，请补充' } });

    // when the applicant resubmits with corrected data
    await completeOk(t, 'lina', resubmit.id, 'submit', undefined, { ...VALID_DOSSIER, continuingEducationHours: 96 });

    // then the review starts again at the employer, and both submissions are in the history
    await taskOf(t, 'kj_hr', id, 'unit_review');
    const view = await instanceView(t, 'lina', id);
    const submissions = view.history.filter((h) => h.type === 'task.complete' && h.action === 'submit');
    expect(submissions.map((s) => s.data?.continuingEducationHours)).toEqual([120, 96]);
    expect(view.variables.dossier).toMatchObject({ continuingEducationHours: 96 });
  });

  it('rejects: the flow ends and the applicant cannot apply to that activity again', async () => {
    const id = await submitDossier(t, 'wangfang');
    await passEmployer(t, 'other_hr', (await taskOf(t, 'other_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');

    // when the HR bureau rejects it
    const bureau = await taskOf(t, 'cd_hr', id, 'bureau_review');
    const res = await completeOk(t, 'cd_hr', bureau.id, 'reject', '不符合申报条件');

    // then the instance has ended as rejected
    expect(res.instance.status).toBe('completed');
    expect(await dossierStatus(id)).toBe('rejected');
    expect((await instanceView(t, 'wangfang', id)).trail).toContain('end_rejected');

    // and a new application to the same activity is refused with the reason
    const again = await t.request('POST', '/api/process-instances', { user: 'wangfang', body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('不通过');
    expect(again.json().message).toContain('不能再次申报');
  });

  it('refuses a return or reject without an opinion, naming the field', async () => {
    const id = await submitDossier(t, 'zhaolei');
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    for (const action of ['return', 'reject']) {
      const res = await complete(t, 'kj_hr', task.id, action);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'ValidationError', details: [{ field: 'opinion' }] });
      expect(res.json().message).toContain('审核意见');
    }
    // nothing moved
    expect((await instanceView(t, 'zhaolei', id)).tasks.map((x) => x.name)).toEqual(['申报单位审核']);
  });

  it('keeps another unit out: its clerk neither sees nor completes the task (404, as if it did not exist)', async () => {
    const id = await submitDossier(t, 'sunli');
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    expect((await inbox(t, 'other_hr')).some((i) => i.id === task.id)).toBe(false);
    const res = await complete(t, 'other_hr', task.id, 'pass', '越权');
    expect(res.statusCode).toBe(404);
    expect((await t.request('GET', `/api/tasks/${task.id}`, { user: 'other_hr' })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/process-instances/${id}`, { user: 'other_hr' })).statusCode).toBe(404);
    // the rightful clerk still can
    await passEmployer(t, 'kj_hr', task.id);
  });

  it('refuses submitting twice for the same activity while a dossier is open', async () => {
    const again = await t.request('POST', '/api/process-instances', { user: 'lina', body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已申报');
  });
});
