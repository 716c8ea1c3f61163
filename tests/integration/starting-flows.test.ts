import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Starting a flow through `POST /api/process-instances`, as an outsider probes it: only a flow
 * that names its starters, only by them.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let province: number;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  province = Number((await db.knex('units').where({ admin_level: 'province', unit_type: 'hr_bureau' }).first()).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

async function tokenOf(username: string, password: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().token as string;
}

const start = (token: string, body: unknown) => t.request('POST', '/api/process-instances', { token, body });

describe('a flow only the system starts', () => {
  it('answers 404 to everybody, exactly as a flow that does not exist, and starts nothing', async () => {
    // given a person who has just registered as an applicant, the clerk of a unit not yet approved, and the administrator
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    const applicant = await t.request('POST', '/api/applicants/register', {
      body: { displayName: '周杰', idNumber: '51130219780101101X', phone: '13900000021', password: 'Zhou#2026a', employerId: Number(employer.id) },
    });
    expect(applicant.statusCode, applicant.body).toBe(201);
    const department = await db.knex('units').where({ name: '成都市经济和信息化局' }).first();
    const registered = await t.request('POST', '/api/registrations', {
      body: {
        unit: { creditCode: '91510100MA6CN4T050', name: '成都新材料科技有限公司', nature: 'enterprise', unitType: 'employer', regionCode: '510104', phone: '028-85550000', parentId: Number(department.id) },
        admin: { username: 'xcl_admin', displayName: '新材料经办人', idNumber: '510107198506121050', phone: '13900000001', password: 'Xcl#2026pass' },
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const callers = [await tokenOf('51130219780101101X', 'Zhou#2026a'), await tokenOf('xcl_admin', 'Xcl#2026pass'), await t.token('admin')];
    const instancesBefore = await db.knex('process_instances').count<{ n: string }[]>({ n: '*' });
    const unknown = await start(callers[2]!, { processKey: 'no-such-flow' });

    // when each asks for a task with a title of their own in the province bureau's inbox
    const answers = [];
    for (const token of callers) {
      answers.push(await start(token, { processKey: 'multi-post-review', variables: { unitId: province, matterType: 'dossier_review', candidateRoles: ['dossier.review.subordinate'], title: '请立即办理' } }));
    }

    // then every one is told the flow does not exist, in the words used for a key never deployed
    expect(answers.map((a) => a.statusCode)).toEqual([404, 404, 404]);
    expect(unknown.statusCode).toBe(404);
    for (const a of answers) expect(a.json()).toEqual({ ...unknown.json(), message: unknown.json().message.replace('no-such-flow', 'multi-post-review') });
    expect(await db.knex('process_instances').count<{ n: string }[]>({ n: '*' })).toEqual(instancesBefore);
    expect(await db.knex('tasks').where({ candidate_unit_id: province, status: 'open' })).toHaveLength(0);
  });

  it('is refused the same way for the flows modules start from their own pages', async () => {
    for (const processKey of ['unit-registration', 'committee-filing', 'activity-publication', 'activity-deadline-change']) {
      // given the administrator, who may do anything else
      // when they start the flow through the generic start
      const res = await start(await t.token('admin'), { processKey, variables: {} });
      // then it does not exist for them
      expect(res.statusCode, processKey).toBe(404);
    }
  });
});

describe('the variables of a start', () => {
  it('are the start form’s: a variable the flow computes itself is refused by name, and nothing is started', async () => {
    // given an applicant of the demo employer and the open demo activity
    const dossiersBefore = await db.knex('dossiers').count<{ n: string }[]>({ n: '*' });
    // when she starts her dossier choosing its route, chain, posts and initiator herself
    const res = await start(await t.token('lina'), {
      processKey: 'dossier-review',
      variables: { activityId: 1, route: 'employer', chain: { employer: province }, hasPosts: false, initiator: 1 },
    });
    // then the start is refused naming each of them, and no dossier or case exists
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('ValidationError');
    expect(res.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['variables.chain', 'variables.hasPosts', 'variables.initiator', 'variables.route']);
    expect(res.json().message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await db.knex('dossiers').count<{ n: string }[]>({ n: '*' })).toEqual(dossiersBefore);
  });

  it('start the case with what the form declares, checked like a task’s data', async () => {
    // given the same applicant
    const lina = await db.knex('users').where({ username: 'lina' }).first();
    // when she sends an activity id that is not a number, then the form's one field
    const wrong = await start(await t.token('lina'), { processKey: 'dossier-review', variables: { activityId: 'one' } });
    const res = await start(await t.token('lina'), { processKey: 'dossier-review', variables: { activityId: 1 } });
    // then the first names the field, the second starts her case at 提交申报材料 with the system's own variables
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details).toEqual([expect.objectContaining({ field: 'variables.activityId', message: expect.stringContaining('评审活动') })]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().tasks.map((task: { elementId: string }) => task.elementId)).toEqual(['submit']);
    expect(res.json().variables).toMatchObject({ activityId: 1, initiator: Number(lina.id), applicant: { id: Number(lina.id) } });
    expect(res.json().variables).not.toHaveProperty('route');
  });

  it('are none for a flow without a start form', async () => {
    // given a flow that starters may start but that has no start form
    const xml = fs
      .readFileSync(path.join(FIXTURES_DIR, 'child.bpmn'), 'utf8')
      .replaceAll('fixture-child', 'fixture-no-start-form')
      .replace('zcps:startedBy="system"', 'zcps:starterRoles="dossier.review.own"')
      .replace('zcps:assignee="=reviewer"', 'zcps:assignee="=initiator"');
    expect((await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml } })).statusCode).toBe(201);
    // when a holder of the starter role starts it with a variable, then without
    const withVariable = await start(await t.token('kj_hr'), { processKey: 'fixture-no-start-form', variables: { reviewer: 1 } });
    const without = await start(await t.token('kj_hr'), { processKey: 'fixture-no-start-form' });
    // then the variable is refused by name, the bare start works
    expect(withVariable.statusCode).toBe(400);
    expect(withVariable.json().details).toEqual([expect.objectContaining({ field: 'variables.reviewer' })]);
    expect(without.statusCode, without.body).toBe(201);
  });
});

describe('deploying a flow that does not say who starts it', () => {
  const deploy = async (xml: string) => t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml } });
  const child = fs.readFileSync(path.join(FIXTURES_DIR, 'child.bpmn'), 'utf8');

  it('is refused with its own rule and a Chinese message, storing nothing', async () => {
    // given a diagram with neither starter roles nor zcps:startedBy
    const undeclared = child.replace(' zcps:startedBy="system"', '');
    // when an administrator deploys it
    const res = await deploy(undeclared);
    // then it is refused, naming the process
    expect(res.statusCode).toBe(400);
    const problems = (res.json().details as Array<{ elementId: string; rule: string; severity: string; message: string }>).filter((p) => p.severity === 'error');
    expect(problems.map((p) => `${p.elementId}:${p.rule}`)).toEqual(['fixture-child:process-starter']);
    expect(problems[0]!.message).toContain('zcps:starterRoles');
    expect(await db.knex('process_definitions').where({ key: 'fixture-child' })).toHaveLength(0);
  });

  it('is refused when it says both, or a way of starting the engine does not know', async () => {
    for (const xml of [child.replace('zcps:startedBy="system"', 'zcps:startedBy="system" zcps:starterRoles="dossier.apply"'), child.replace('zcps:startedBy="system"', 'zcps:startedBy="anyone"')]) {
      const res = await deploy(xml);
      expect(res.statusCode).toBe(400);
      expect(res.json().details.map((p: { rule: string }) => p.rule)).toContain('process-starter');
    }
  });
});
