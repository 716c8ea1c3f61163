import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { FIXTURES_DIR, PROCESSES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, completedSteps, inbox, openTasksAt, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let department: { id: number };
let employer: { id: number; name: string };
let subUnit: { id: number; name: string };
let next = 0;

/** A new applicant of the sub-unit (each applies once to the demo activity). */
const applicant = () => `fgs_${++next}`;
const dossierOf = (instanceId: string) => db.knex('dossiers').where({ instance_id: instanceId }).first();

/** The 退回至 options the task's form offers its clerk. */
async function returnOptions(user: string, taskId: string): Promise<string[]> {
  const res = await t.request('GET', `/api/tasks/${taskId}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().form.properties.returnTo.options as Array<{ value: string; label: string }>).map((o) => o.label);
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  ({ department, employer } = await demoChainUnits(k));
  const hash = await hashPassword(DEMO_PASSWORD);
  // 示范科技's branch: an employer under an employer (下级单位)
  const parent = await k('units').where({ id: employer.id }).first();
  const [branch] = await k('units')
    .insert({ parent_id: employer.id, name: '成都示范科技有限公司第一分公司', unit_type: 'employer', region_code: parent.region_code, nature: parent.nature, path: '/' })
    .returning('*');
  await k('units').where({ id: branch.id }).update({ path: `${parent.path}${branch.id}/` });
  subUnit = { id: Number(branch.id), name: String(branch.name) };
  await k('users').insert([
    { username: 'fgs_hr', password_hash: hash, display_name: '分公司经办人', unit_id: branch.id, roles: ['unit_clerk'] },
    ...Array.from({ length: 8 }, (_, i) => ({ username: `fgs_${i + 1}`, password_hash: hash, display_name: `分公司申报人${i + 1}`, unit_id: branch.id, roles: ['applicant'] })),
  ]);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('下级单位人员审核: the employer above a sub-unit reviews its applicants', () => {
  it('puts the superior employer on the chain between the sub-unit and the department', async () => {
    // given an applicant of the branch who submits
    const id = await submitDossier(t, applicant());

    // then the chain names the branch, then 示范科技 as 上级单位, then the department
    const instance = await db.knex('process_instances').where({ id }).first();
    expect(instance.variables.chain).toMatchObject({ employer: subUnit.id, superior: Number(employer.id), superiorName: employer.name, department: Number(department.id) });
    expect(instance.variables.posts).toMatchObject({ employer: false, superior: false });
    expect(await dossierOf(id)).toMatchObject({ holder_unit_id: subUnit.id });

    // when the branch passes it, 示范科技 (not the department) holds it and reviews it with the superior's form
    await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id, '同意推荐');
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(employer.id));
    expect(await openTasksAt(db.knex, id, 'department_review')).toBe(0);
    const task = await taskOf(t, 'kj_hr', id, 'superior_review');
    expect(task.name).toBe('上级单位审核');
    expect((await db.knex('tasks').where({ id: task.id }).first()).form_key).toBe('superior-review');
    // the branch's clerk has no part in it
    expect((await inbox(t, 'fgs_hr')).some((i) => i.id === task.id)).toBe(false);

    // and the applicant's progress shows the level with the unit's name
    const progress = (await t.request('GET', `/api/process-instances/${id}/progress`, { user: 'fgs_1' })).json();
    expect(progress.steps.map((s: { label: string }) => s.label)).toEqual(['申报人', '申报单位', '上级单位', '主管部门', '人社部门', '评委会']);
    expect(progress.steps[2]).toMatchObject({ key: 'superior', holder: employer.name, state: 'current' });
  });

  it('returns from the superior to the sub-unit, which reviews again, and passes on to the department', async () => {
    // given a dossier at the superior's review
    const id = await submitDossier(t, applicant());
    await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id);
    const first = await taskOf(t, 'kj_hr', id, 'superior_review');
    // the superior may send it back to the applicant or to the branch, nowhere else
    expect(await returnOptions('kj_hr', first.id)).toEqual(['申报人', '申报单位']);
    const refused = await complete(t, 'kj_hr', first.id, 'return', '退回', { returnTo: 'department' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([expect.objectContaining({ field: 'data.returnTo' })]);
    const noOpinion = await complete(t, 'kj_hr', first.id, 'return', undefined, { returnTo: 'employer' });
    expect(noOpinion.statusCode).toBe(400);

    // when it returns the dossier to the branch
    await completeOk(t, 'kj_hr', first.id, 'return', '请分公司补充推荐意见', { returnTo: 'employer' });

    // then the branch holds it and reviews it again
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: subUnit.id });
    await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id, '已补充');
    // and after the superior's pass the department has it
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'superior_review')).id, 'pass', '同意报送');
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(department.id));
    expect(await completedSteps(db.knex, id)).toEqual(['提交申报材料', '申报单位审核', '上级单位审核', '申报单位审核', '上级单位审核']);
  });

  it('lets the department return to the superior (退回至 上级单位), which reviews it again', async () => {
    const id = await submitDossier(t, applicant());
    await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'superior_review')).id, 'pass');
    const dep = await taskOf(t, 'cd_jxj', id, 'department_review');
    expect(await returnOptions('cd_jxj', dep.id)).toEqual(['申报人', '申报单位', '上级单位']);

    await completeOk(t, 'cd_jxj', dep.id, 'return', '请上级单位复核', { returnTo: 'superior' });

    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: Number(employer.id) });
    expect(await openTasksAt(db.knex, id, 'superior_review')).toBe(1);
  });

  it('lets the superior reject the dossier, which ends it', async () => {
    const id = await submitDossier(t, applicant());
    await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'superior_review')).id, 'reject', '不符合申报条件');
    expect(await dossierOf(id)).toMatchObject({ status: 'rejected' });
  });

  it('offers no 上级单位 to a dossier of an employer without one', async () => {
    // given the demo employer's own applicant at the department
    await db.knex('users').insert({ ...(await db.knex('users').where({ username: 'lina' }).first(['password_hash', 'unit_id', 'roles'])), username: 'subunit_plain', display_name: '本单位申报人' });
    const id = await submitDossier(t, 'subunit_plain');
    const instance = await db.knex('process_instances').where({ id }).first();
    expect(instance.variables.chain.superior).toBeUndefined();
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    // then the department follows the employer directly, and cannot return to a 上级单位
    const dep = await taskOf(t, 'cd_jxj', id, 'department_review');
    expect(await returnOptions('cd_jxj', dep.id)).toEqual(['申报人', '申报单位']);
    expect(await completedSteps(db.knex, id)).not.toContain('上级单位审核');
  });

  it('runs the superior’s 多岗审核 posts when it has them; the last post returns to the sub-unit', async () => {
    // given 示范科技 reviewing dossiers through two posts
    const hash = await hashPassword(DEMO_PASSWORD);
    const ids: Record<string, number> = {};
    for (const username of ['kj_post1', 'kj_post2']) {
      const [row] = await db.knex('users').insert({ username, password_hash: hash, display_name: username, unit_id: employer.id, roles: ['unit_clerk'] }).returning('id');
      ids[username] = Number(row.id);
    }
    await db.knex('review_levels').insert([
      { unit_id: employer.id, matter_type: 'dossier_review', level_no: 1, name: '初审岗', user_ids: [ids.kj_post1] },
      { unit_id: employer.id, matter_type: 'dossier_review', level_no: 2, name: '复核岗', user_ids: [ids.kj_post2] },
    ]);
    try {
      const id = await submitDossier(t, applicant());
      await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id);

      // when the first post passes and the second returns to the branch
      const first = await taskOf(t, 'kj_post1', id);
      expect(first).toMatchObject({ name: '上级单位审核（初审岗）', stepElementId: 'superior_review_posts' });
      expect((await db.knex('tasks').where({ id: first.id }).first()).form_key).toBe('superior-review');
      await completeOk(t, 'kj_post1', first.id, 'pass', '初审同意');
      const second = await taskOf(t, 'kj_post2', id);
      expect(await returnOptions('kj_post2', second.id)).toEqual(['申报人', '申报单位']);
      await completeOk(t, 'kj_post2', second.id, 'return', '请分公司复核', { returnTo: 'employer' });

      // then the branch holds it again
      expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: subUnit.id });
      expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
    } finally {
      await db.knex('review_levels').where({ unit_id: employer.id }).delete();
    }
  });

  it('finishes a sub-unit’s case started on the four-level diagram without the level', async () => {
    // given a case started while the diagram without 上级单位 was the latest version
    const { definition: earlier } = await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'dossier-review-four-levels.bpmn'), 'utf8'));
    const id = await submitDossier(t, applicant());
    const { definition: current } = await t.app.engine.deploy(fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8'));
    expect(current.version).toBeGreaterThan(earlier.version);

    // then its chain has no 上级单位, and the branch's pass goes to the department as before
    expect((await db.knex('process_instances').where({ id }).first()).variables.chain.superior).toBeUndefined();
    await passEmployer(t, 'fgs_hr', (await taskOf(t, 'fgs_hr', id, 'unit_review')).id);
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(department.id));
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
    expect((await db.knex('process_instances').where({ id }).first()).process_version).toBe(earlier.version);
  });
});
