import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
/** 张伟's case (demo applicant, ID 51010419900307231X) and 李娜's, both of 成都示范科技有限公司 */
let zhang: string;
let li: string;

interface Row {
  id: string;
  processKey: string;
  processName: string;
  applicantName: string | null;
  idNumber: string | null;
  unitName: string | null;
  seriesLabel: string | null;
  levelLabel: string | null;
}

interface Progress {
  forStarter: boolean;
  steps: Array<{ key: string; label: string; holder: string | null; state: string; dueAt: string | null; tasks: Array<{ name: string }> }>;
}

async function search(user: string, filter: Record<string, unknown> = {}) {
  const res = await t.request('GET', `/api/process-instances?filter=${encodeURIComponent(JSON.stringify(filter))}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Row[];
}

async function progress(user: string, id: string) {
  return t.request('GET', `/api/process-instances/${id}/progress`, { user });
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  zhang = await submitDossier(t, 'zhangwei');
  li = await submitDossier(t, 'lina');
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('流程实例: names, labels and the search by applicant, ID number and unit', () => {
  it('lists a case with its flow name, applicant, masked ID number, unit and labels, not raw keys', async () => {
    // given two submitted declarations
    // when the administrator (流程监控) lists the cases
    const rows = await search('admin', { processKey: 'dossier-review' });

    // then each row names the flow and speaks in labels
    const row = rows.find((r) => r.id === zhang);
    expect(row).toMatchObject({ processKey: 'dossier-review', processName: '申报材料审核', applicantName: '张伟', unitName: '成都示范科技有限公司', seriesLabel: '工程技术', levelLabel: '中级' });
    expect(row?.idNumber).toBe('5101**********231X');
  });

  it('finds cases by the applicant’s name from its first character', async () => {
    // when searching for 张
    const rows = await search('admin', { applicant: '张' });

    // then only 张伟's case comes back, not 李娜's
    expect(rows.map((r) => r.id)).toContain(zhang);
    expect(rows.map((r) => r.id)).not.toContain(li);
    expect(await search('admin', { applicant: '王' })).toEqual([]);
  });

  it('finds a case by the whole ID number, also with a lower-case check digit', async () => {
    // when searching by 张伟's ID number
    const rows = await search('admin', { idNumber: '51010419900307231x' });

    // then his case, and only it
    expect(rows.map((r) => r.id)).toEqual([zhang]);
    expect(await search('admin', { idNumber: '510104199003072310' })).toEqual([]);
  });

  it('finds cases by part of the unit’s name', async () => {
    // when searching by 示范科技
    const ids = (await search('admin', { unit: '示范科技', processKey: 'dossier-review' })).map((r) => r.id);

    // then both applicants' cases; a unit nobody works in finds none
    expect(ids).toEqual(expect.arrayContaining([zhang, li]));
    expect(await search('admin', { unit: '卫生健康' })).toEqual([]);
  });

  it('a reviewing clerk sees only the cases they may open: in their inbox or done by them', async () => {
    // given both cases at the employer's review
    // then the employer's clerk sees both, the department's clerk neither
    expect((await search('kj_hr')).map((r) => r.id)).toEqual(expect.arrayContaining([zhang, li]));
    expect(await search('cd_jxj')).toEqual([]);

    // when the employer passes 张伟's case on
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', zhang, 'unit_review')).id, '同意推荐');

    // then the department's clerk finds it (and only it), the employer's clerk still sees it as done
    expect((await search('cd_jxj')).map((r) => r.id)).toEqual([zhang]);
    expect((await search('cd_jxj', { applicant: '李' })).map((r) => r.id)).toEqual([]);
    expect((await search('kj_hr', { applicant: '张' })).map((r) => r.id)).toEqual([zhang]);
  });

  it('refuses the list to an applicant', async () => {
    // when an applicant asks for the list
    const res = await t.request('GET', '/api/process-instances', { user: 'lina' });

    // then 403
    expect(res.statusCode).toBe(403);
  });
});

describe('查看进度: the chain as steps for the applicant', () => {
  it('answers 404 to someone who may not read the case', async () => {
    // when another applicant and a clerk off the chain ask for 李娜's progress
    // then both get 404, as for a case that does not exist
    expect((await progress('zhangwei', li)).statusCode).toBe(404);
    expect((await progress('cd_hr', li)).statusCode).toBe(404);
  });

  it('shows the applicant the chain with the current holder and its deadline', async () => {
    // given 李娜's case at the employer's review
    // when she asks for its progress
    const res = await progress('lina', li);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as Progress;

    // then the chain 申报人 → 申报单位 → 主管部门 → 人社部门 → 评委会, the employer holding it until its due date
    expect(view.forStarter).toBe(true);
    expect(view.steps.map((s) => s.label)).toEqual(['申报人', '申报单位', '主管部门', '人社部门', '评委会']);
    expect(view.steps.map((s) => s.state)).toEqual(['done', 'current', 'pending', 'pending', 'pending']);
    const employer = view.steps[1]!;
    expect(employer.holder).toBe('成都示范科技有限公司');
    expect(employer.tasks.map((x) => x.name)).toEqual(['申报单位审核']);
    expect(employer.dueAt).not.toBeNull();
    expect(view.steps[0]).toMatchObject({ holder: '李娜', dueAt: null });
  });

  it('moves the current step up the chain and back to the applicant on a return', async () => {
    // given 张伟's case passed on to the department
    const before = (await progress('zhangwei', zhang)).json() as Progress;
    expect(before.steps.find((s) => s.state === 'current')?.label).toBe('主管部门');

    // when the department returns it to the applicant
    const task = await taskOf(t, 'cd_jxj', zhang, 'department_review');
    await completeOk(t, 'cd_jxj', task.id, 'return', '请补充业绩材料', { returnTo: 'applicant' });

    // then the applicant holds it again and the units are ahead; staff on the case see the same steps
    const after = (await progress('zhangwei', zhang)).json() as Progress;
    expect(after.steps.map((s) => s.state)).toEqual(['current', 'pending', 'pending', 'pending', 'pending']);
    expect(after.steps[0]!.tasks.map((x) => x.name)).toEqual(['修改并重新提交']);
    const staff = await progress('cd_jxj', zhang);
    expect(staff.statusCode).toBe(200);
    expect((staff.json() as Progress).forStarter).toBe(false);
  });

  it('shows a 多岗审核 post of the department as the department’s step', async () => {
    // given the department reviews through one post held by its clerk, and a new applicant's case passed by the employer
    const { department, employer } = await demoChainUnits(db.knex);
    const clerk = await db.knex('users').where({ username: 'cd_jxj' }).first('id');
    await db.knex('review_levels').insert({ unit_id: department.id, matter_type: 'dossier_review', level_no: 1, name: '初审岗', user_ids: [clerk.id] });
    await db.knex('users').insert({ username: 'posts_applicant', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '王芳', unit_id: employer.id, roles: ['applicant'] });
    const id = await submitDossier(t, 'posts_applicant');
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');

    // when the applicant asks for the progress
    const view = (await progress('posts_applicant', id)).json() as Progress;

    // then the post's task (in the called 多岗审核 flow, for a named user) is the department's
    const current = view.steps.find((s) => s.state === 'current');
    expect(current).toMatchObject({ label: '主管部门', holder: '成都市经济和信息化局' });
    expect(current?.tasks.map((x) => x.name)).toEqual(['主管部门审核（初审岗）']);
    expect(current?.dueAt).not.toBeNull();
  });
});
