import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { PROCESSES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, openTasksAt, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let next = 0;
const applicant = () => `diagram_${++next}`;
const DIAGRAM = fs.readFileSync(path.join(PROCESSES_DIR, 'dossier-review.bpmn'), 'utf8');

/** The 退回至 options the task's form offers its clerk. */
async function returnOptions(user: string, taskId: string): Promise<string[]> {
  const res = await t.request('GET', `/api/tasks/${taskId}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().form.properties.returnTo.options as Array<{ value: string; label: string }>).map((o) => o.label);
}

async function toBureau(id: string) {
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '同意');
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const { employer } = await demoChainUnits(db.knex);
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(Array.from({ length: 8 }, (_, i) => ({ username: `diagram_${i + 1}`, password_hash: hash, display_name: `申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the dossier flow is its diagram', () => {
  it('walks the levels in their drawn order, through each level’s 审核方式 and 审核结果 gateways', async () => {
    // given a submitted dossier of the demo chain (employer → department → bureau → committee)
    const id = await submitDossier(t, applicant());

    // when every level passes it
    await toBureau(id);
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass', '同意');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');

    // then the case went through the gateways of every level, and no level was skipped
    const { trail, status } = await db.knex('process_instances').where({ id }).first('trail', 'status');
    // (and waits after receipt for the committee's 评审结果)
    expect(status).toBe('running');
    for (const step of ['register', 'gw_employer_route', 'gw_employer_result', 'employer_passed', 'gw_department_route', 'gw_department_result', 'department_passed', 'gw_bureau_result', 'bureau_passed', 'gw_committee_result', 'received', 'gw_has_exam']) {
      expect(trail).toContain(step);
    }
    // the joins the engine runs without are still shown as passed, with their flows
    expect(trail).toEqual(expect.arrayContaining(['gw_department_in', 'f_department_enter', 'gw_bureau_done', 'f_bureau_result', 'gw_committee_in']));
    expect(trail).not.toContain('f_department_skip');
    expect(trail).not.toContain('f_bureau_skip');
  });

  it('offers each level the returns its 退回至 gateway draws: the applicant and the levels below', async () => {
    // given a dossier waiting at the bureau
    const id = await submitDossier(t, applicant());
    await toBureau(id);

    // then the bureau may return it to the applicant, the employer or the department, and nowhere else
    const bureauTask = await taskOf(t, 'cd_hr', id, 'bureau_review');
    expect(await returnOptions('cd_hr', bureauTask.id)).toEqual(['申报人', '申报单位', '主管部门']);
    const refused = await complete(t, 'cd_hr', bureauTask.id, 'return', '退回', { returnTo: 'bureau' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([expect.objectContaining({ field: 'data.returnTo' })]);

    // when it returns it to the department, the department may return it only below itself
    await completeOk(t, 'cd_hr', bureauTask.id, 'return', '请主管部门复核', { returnTo: 'department' });
    const departmentTask = await taskOf(t, 'cd_jxj', id, 'department_review');
    expect(await returnOptions('cd_jxj', departmentTask.id)).toEqual(['申报人', '申报单位']);
    const { trail } = await db.knex('process_instances').where({ id }).first('trail');
    expect(trail).toEqual(expect.arrayContaining(['f_bureau_return_department', 'department_returned']));
  });

  it('takes its return targets from the deployed diagram, not from code: a version without 退回申报单位 offers and allows none', async () => {
    // given an administrator's version in which the bureau can no longer return a dossier to the employer
    const edited = DIAGRAM.replace(/\s*<sequenceFlow id="f_bureau_return_employer"[\s\S]*?<\/sequenceFlow>/, '')
      .replace(/\s*<bpmndi:BPMNEdge id="f_bureau_return_employer_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '')
      .replace(/\s*<outgoing>f_bureau_return_employer<\/outgoing>/, '')
      .replace(/\s*<incoming>f_bureau_return_employer<\/incoming>/, '');
    expect(edited).not.toContain('f_bureau_return_employer');
    const deployed = await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: edited } });
    expect(deployed.statusCode, deployed.body).toBe(201);

    try {
      // when a new case reaches the bureau
      const id = await submitDossier(t, applicant());
      await toBureau(id);
      const task = await taskOf(t, 'cd_hr', id, 'bureau_review');

      // then 申报单位 is neither offered nor accepted, and the case stays at the bureau
      expect(await returnOptions('cd_hr', task.id)).toEqual(['申报人', '主管部门']);
      const refused = await complete(t, 'cd_hr', task.id, 'return', '退回', { returnTo: 'employer' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toContain('申报人、主管部门');
      expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
    } finally {
      // the shipped diagram again, as the next version
      expect((await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: DIAGRAM } })).statusCode).toBe(201);
    }
  });

  it('takes a level’s review posts as the level’s decision: the last post’s return goes through the same 退回至', async () => {
    // given a department with one review post for dossiers, held by its clerk
    const { department } = await demoChainUnits(db.knex);
    const clerk = await db.knex('users').where({ username: 'cd_jxj' }).first();
    await db.knex('review_levels').insert({ unit_id: department.id, matter_type: 'dossier_review', level_no: 1, name: '初审岗', user_ids: [clerk.id] });
    try {
      const id = await submitDossier(t, applicant());
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');

      // when the post returns it to the employer
      const post = await taskOf(t, 'cd_jxj', id);
      expect(await returnOptions('cd_jxj', post.id)).toEqual(['申报人', '申报单位']);
      await completeOk(t, 'cd_jxj', post.id, 'return', '请单位复核', { returnTo: 'employer' });

      // then the department's call took the post's action and decision, and the employer reviews it again
      const { trail, variables } = await db.knex('process_instances').where({ id }).first('trail', 'variables');
      expect(trail).toEqual(expect.arrayContaining(['f_department_posts', 'department_review_posts', 'f_department_return', 'f_department_return_employer', 'employer_returned']));
      expect(variables).toMatchObject({ action: 'return', decision: { returnTo: 'employer' } });
      expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
    } finally {
      await db.knex('review_levels').where({ unit_id: department.id }).del();
    }
  });
});
