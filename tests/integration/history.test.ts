import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, employerPassData, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let units: Awaited<ReturnType<typeof demoChainUnits>>;
let next = 0;
const applicant = () => `history_${++next}`;

interface Entry {
  type: string;
  elementName: string | null;
  action: string | null;
  actionLabel: string | null;
  unitName: string | null;
  data: Record<string, unknown> | null;
}

interface CompleteAnswer {
  task: { actionLabel: string | null };
  instance: { status: string };
  case: { status: string; endedAt: string | null };
  next: Array<{ name: string; elementId: string; holder: string | null }>;
}

async function detail(user: string, taskId: string) {
  const res = await t.request('GET', `/api/tasks/${taskId}`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { history: Entry[]; initialData: Record<string, unknown>; form: { properties: Record<string, { options?: Array<{ label: string }>; default?: unknown; actions?: string[] }> } };
}

const completions = (history: Entry[]) => history.filter((h) => h.type === 'task.complete').map((h) => [h.elementName, h.actionLabel, h.unitName]);

/** The demo chain: 示范科技 → 成都市经信局 → 成都市人社局, whose unit also organises the committee. */
async function toCommittee(id: string) {
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '同意');
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass', '同意报送');
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  units = await demoChainUnits(db.knex);
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(Array.from({ length: 12 }, (_, i) => ({ username: `history_${i + 1}`, password_hash: hash, display_name: `历史申报人${i + 1}`, unit_id: units.employer.id, roles: ['applicant'] })));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('history that tells the truth', () => {
  it('at 评委会接收 the earlier entries keep their own step’s label and unit', async () => {
    // given a dossier passed up to the committee, whose organiser is the bureau's own unit
    const id = await submitDossier(t, applicant());
    await toCommittee(id);

    // when the committee's clerk opens the 评委会接收 task
    const receipt = await taskOf(t, 'cd_pw', id, 'committee_receipt');
    const { history } = await detail('cd_pw', receipt.id);

    // then each pass reads 审核通过 with the unit that gave it, not the current step's 接收
    expect(completions(history)).toEqual([
      ['提交申报材料', '提交', null],
      ['申报单位审核', '审核通过', units.employer.name],
      ['主管部门审核', '审核通过', units.department.name],
      ['人社部门审核', '审核通过', units.city.name],
    ]);
  });

  it('the committee’s 接收 reads 接收 under 评委会 in 已办事项 and in the applicant’s 办理过程', async () => {
    // given a dossier at the committee
    const who = applicant();
    const id = await submitDossier(t, who);
    await toCommittee(id);
    // (the applicant sees it held by the committee, not by the bureau of the same unit)
    const dossier = await db.knex('dossiers').where({ instance_id: id }).first('id');
    const held = (await t.request('GET', `/api/dossiers/${dossier.id}`, { user: who })).json() as { holders: Array<{ level: string | null }> };
    expect(held.holders.map((h) => h.level)).toEqual(['评委会']);

    // when the committee receives it
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');

    // then the committee clerk's 已办事项 calls it 接收 and the bureau clerk's calls theirs 审核通过
    const done = (await t.request('GET', '/api/tasks/done', { user: 'cd_pw' })).json() as Array<{ rootInstanceId: string; actionLabel: string | null }>;
    expect(done.find((d) => d.rootInstanceId === id)?.actionLabel).toBe('接收');
    const bureauDone = (await t.request('GET', '/api/tasks/done', { user: 'cd_hr' })).json() as Array<{ rootInstanceId: string; actionLabel: string | null }>;
    expect(bureauDone.find((d) => d.rootInstanceId === id)?.actionLabel).toBe('审核通过');
    // and the applicant's 办理过程 shows it under 评委会, the bureau's pass under 人社部门
    const progress = await t.request('GET', `/api/dossiers/${dossier.id}`, { user: who });
    expect(progress.statusCode, progress.body).toBe(200);
    const opinions = (progress.json() as { opinions: Array<{ step: string; level: string | null; actionLabel: string }> }).opinions.map((o) => [o.step, o.level, o.actionLabel]);
    expect(opinions.slice(-2)).toEqual([
      ['人社部门审核', '人社部门', '审核通过'],
      ['评委会接收', '评委会', '接收'],
    ]);
  });

  it('a pass stores no 退回至, even when the client sends one', async () => {
    // given a dossier at the bureau
    const id = await submitDossier(t, applicant());
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '同意');
    const task = await taskOf(t, 'cd_hr', id, 'bureau_review');

    // when the clerk passes with a 退回至 left in the form
    await completeOk(t, 'cd_hr', task.id, 'pass', '同意', { returnTo: 'applicant', delegated: false });

    // then neither the history entry nor the case's decision carries it
    const entry = await db.knex('history_events').where({ task_id: task.id, type: 'task.complete' }).first('data');
    expect(entry.data).toEqual({ delegated: false });
    const { variables } = await db.knex('process_instances').where({ id }).first('variables');
    expect(variables.decision).not.toHaveProperty('returnTo');
  });

  it('an entry stored before fields named their actions shows no 退回至 under its pass', async () => {
    // given a bureau pass stored the old way, with the 退回至 the form pre-filled
    const id = await submitDossier(t, applicant());
    await toCommittee(id);
    // (history is append-only: the old row is written past its trigger, as an older version did)
    await db.knex.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await trx('history_events').where({ root_instance_id: id, element_id: 'bureau_review', type: 'task.complete' }).update({ data: JSON.stringify({ returnTo: 'applicant', delegated: false }) });
    });

    // when the committee opens its task
    const res = await t.request('GET', `/api/tasks/${(await taskOf(t, 'cd_pw', id, 'committee_receipt')).id}`, { user: 'cd_pw' });

    // then the case's 审核 submission shows the pass's own fields only
    const submissions = (res.json() as { submissions: Array<{ formKey: string; data: Record<string, unknown> }> }).submissions;
    expect(submissions.find((x) => x.formKey === 'chain-review')?.data).toEqual({ delegated: false });
  });

  it('a return stores only the return’s fields', async () => {
    // given a dossier at the department
    const id = await submitDossier(t, applicant());
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
    const task = await taskOf(t, 'cd_jxj', id, 'department_review');

    // when the clerk returns it with a pass-only 委托评审 left ticked
    await completeOk(t, 'cd_jxj', task.id, 'return', '请补充', { returnTo: 'employer', delegated: true });

    // then only 退回至 is kept
    const entry = await db.knex('history_events').where({ task_id: task.id, type: 'task.complete' }).first('data');
    expect(entry.data).toEqual({ returnTo: 'employer' });
  });

  it('offers at each level only the 退回至 the diagram allows, with nothing chosen, and refuses any other naming 退回至', async () => {
    // given a dossier that climbs the chain
    const id = await submitDossier(t, applicant());
    const employerTask = await taskOf(t, 'kj_hr', id, 'unit_review');
    // then the employer's form has no 退回至 (its return goes to the applicant), and its uploads are pass-only
    const employerForm = (await detail('kj_hr', employerTask.id)).form;
    expect(employerForm.properties.returnTo).toBeUndefined();
    expect(employerForm.properties.publicityProof?.actions).toEqual(['pass']);
    await passEmployer(t, 'kj_hr', employerTask.id);

    const expected: Array<[string, string, string[], string]> = [
      ['cd_jxj', 'department_review', ['申报人', '申报单位'], 'bureau'],
      ['cd_hr', 'bureau_review', ['申报人', '申报单位', '主管部门'], 'bureau'],
      ['cd_pw', 'committee_receipt', ['申报人', '申报单位', '主管部门', '人社部门'], 'committee'],
    ];
    for (const [user, step, labels, refused] of expected) {
      const task = await taskOf(t, user, id, step);
      const { form, initialData } = await detail(user, task.id);
      expect(form.properties.returnTo?.options?.map((o) => o.label), step).toEqual(labels);
      expect(form.properties.returnTo?.default, step).toBeUndefined();
      expect(form.properties.returnTo?.actions, step).toEqual(['return']);
      expect(initialData, step).not.toHaveProperty('returnTo');
      // when the clerk names a level the diagram does not offer here
      const res = await complete(t, user, task.id, 'return', '退回', { returnTo: refused });
      // then it is refused naming 退回至
      expect(res.statusCode, step).toBe(400);
      expect(res.json().details, step).toEqual([expect.objectContaining({ field: 'data.returnTo' })]);
      expect(res.json().message, step).toContain('退回至');
      if (step !== 'committee_receipt') await completeOk(t, user, task.id, 'pass', '同意', step === 'bureau_review' ? {} : undefined);
    }
  });
});

describe('the completion answer names what is next for the case', () => {
  it('after a level passes: the next level and the unit that holds it', async () => {
    // given a submitted dossier
    const id = await submitDossier(t, applicant());
    // when the employer passes it
    const res = await complete(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, 'pass', '同意', await employerPassData(t, 'kj_hr'));
    // then the answer names the department's review and the department
    const body = res.json() as CompleteAnswer;
    expect(body.case.status).toBe('running');
    expect(body.next).toEqual([expect.objectContaining({ name: '主管部门审核', holder: units.department.name })]);
  });

  it('after the last 多岗审核 post: the employer’s uploads, not the end of the sub-flow', async () => {
    // given an employer that reviews dossiers through one post held by its clerk
    const clerk = await db.knex('users').where({ username: 'kj_hr' }).first('id');
    await db.knex('review_levels').insert({ unit_id: units.employer.id, matter_type: 'dossier_review', level_no: 1, name: '初审岗', user_ids: [clerk.id] });
    try {
      const id = await submitDossier(t, applicant());
      const post = await taskOf(t, 'kj_hr', id);

      // when the post passes it
      const body = (await completeOk(t, 'kj_hr', post.id, 'pass', '同意')) as unknown as CompleteAnswer;

      // then its sub-flow ended, but the case goes on to the employer's uploads
      expect(body.instance.status).toBe('completed');
      expect(body.case).toMatchObject({ status: 'running', endedAt: null });
      expect(body.next).toEqual([expect.objectContaining({ elementId: 'unit_materials', name: '上传公示证明和综合推荐材料', holder: units.employer.name })]);
    } finally {
      await db.knex('review_levels').where({ unit_id: units.employer.id }).del();
    }
  });

  it('after 接收: the case left the review chain and waits for 评审结果, with the step called 接收', async () => {
    // given a dossier at the committee
    const id = await submitDossier(t, applicant());
    await toCommittee(id);
    // when the committee receives it
    const body = (await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收')) as unknown as CompleteAnswer;
    // then the answer says where the case is, in the step's own words
    expect(body.task.actionLabel).toBe('接收');
    expect(body.next).toEqual([]);
    expect(body.case).toMatchObject({ status: 'running', endedAt: null, waitingFor: ['评审结果'] });
  });
});
