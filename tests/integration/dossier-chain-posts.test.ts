import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, completedSteps, inbox, openTasksAt, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

/**
 * 多岗审核 above the employer: a department or HR bureau that reviews dossiers through posts
 * decides as a single reviewer would — the post that returns picks where to, the last post that
 * passes may delegate.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let province: { id: number };
let city: { id: number };
let department: { id: number };
let employer: { id: number };
let activityCommittee: { id: number; name: string };
const ids: Record<string, number> = {};
let next = 0;

const applicant = () => `posts_${++next}`;
const dossierOf = (instanceId: string) => db.knex('dossiers').where({ instance_id: instanceId }).first();

async function setPosts(unitId: number, posts: Array<{ level: number; name: string; users: string[] }>) {
  await db.knex('review_levels').where({ unit_id: unitId, matter_type: 'dossier_review' }).delete();
  if (posts.length) {
    await db.knex('review_levels').insert(posts.map((p) => ({ unit_id: unitId, matter_type: 'dossier_review', level_no: p.level, name: p.name, user_ids: p.users.map((u) => ids[u]) })));
  }
}

/** The task of a post of the case, as the post's clerk sees it in the inbox. */
const postTask = (user: string, id: string) => taskOf(t, user, id);

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  ({ province, city, department, employer } = await demoChainUnits(k));
  const hash = await hashPassword(DEMO_PASSWORD);
  const staff = [
    { username: 'jxj_first', unit: department, roles: ['department_clerk'] },
    { username: 'jxj_second', unit: department, roles: ['department_clerk'] },
    { username: 'rsj_first', unit: city, roles: ['hr_clerk'] },
    { username: 'rsj_second', unit: city, roles: ['hr_clerk'] },
    { username: 'kj_first', unit: employer, roles: ['unit_clerk'] },
    { username: 'sc_pw', unit: province, roles: ['committee_clerk'] },
  ];
  for (const s of staff) {
    const [row] = await k('users').insert({ username: s.username, password_hash: hash, display_name: s.username, unit_id: s.unit.id, roles: s.roles }).returning('id');
    ids[s.username] = Number(row.id);
  }
  await k('users').insert(Array.from({ length: 12 }, (_, i) => ({ username: `posts_${i + 1}`, password_hash: hash, display_name: `申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })));
  const demo = await k('committees').first();
  activityCommittee = { id: Number(demo.id), name: String(demo.name) };
  // the province's committee, which names no 评审区域: it may take delegated dossiers
  const { id: _id, name: _name, organizer_unit_id: _o, ...rest } = demo;
  await k('committees').insert({ ...rest, name: '四川省工程技术系列职称评审委员会', organizer_unit_id: province.id, admin_level: 'province', review_regions: [] });
  await setPosts(Number(department.id), [
    { level: 1, name: '初审岗', users: ['jxj_first'] },
    { level: 2, name: '复核岗', users: ['jxj_second'] },
  ]);
  await setPosts(Number(city.id), [
    { level: 1, name: '初审岗', users: ['rsj_first'] },
    { level: 2, name: '复核岗', users: ['rsj_second'] },
  ]);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** Submitted and passed by the employer: the department's first post has it. */
async function atDepartment(): Promise<string> {
  const id = await submitDossier(t, applicant());
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');
  return id;
}

/** Passed by both posts of the department: the bureau's first post has it. */
async function atBureau(): Promise<string> {
  const id = await atDepartment();
  await completeOk(t, 'jxj_first', (await postTask('jxj_first', id)).id, 'pass', '初审同意');
  await completeOk(t, 'jxj_second', (await postTask('jxj_second', id)).id, 'pass', '复核同意');
  return id;
}

describe('a department reviewing through posts', () => {
  it('gives its posts the chain’s form; the second post returns to the employer, which reviews it again and passes it up', async () => {
    // given a dossier the department's first post has passed
    const id = await atDepartment();
    const first = await postTask('jxj_first', id);
    expect(first).toMatchObject({ name: '主管部门审核（初审岗）', stepElementId: 'department_review_posts' });
    expect((await db.knex('tasks').where({ id: first.id }).first()).form_key).toBe('chain-review');
    await completeOk(t, 'jxj_first', first.id, 'pass', '初审同意');
    // the applicant sees the department hold it, and whose post passed it
    const progress = (await t.request('GET', `/api/dossiers/${(await dossierOf(id)).id}`, { user: `posts_${next}` })).json();
    expect(progress.holders).toEqual([expect.objectContaining({ level: '主管部门', unitName: '成都市经济和信息化局' })]);
    expect(progress.opinions.at(-1)).toMatchObject({ step: '主管部门审核（初审岗）', level: '主管部门', opinion: '初审同意' });

    // when the second post returns it to the employer
    const second = await postTask('jxj_second', id);
    await completeOk(t, 'jxj_second', second.id, 'return', '公示证明不清晰', { returnTo: 'employer' });

    // then the employer holds it and reviews it again
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: Number(employer.id) });
    expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
    expect(await openTasksAt(db.knex, id, 'resubmit')).toBe(0);
    await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '已重新公示');

    // and passes it up: the department's posts review it from the first post again
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(department.id));
    await completeOk(t, 'jxj_first', (await postTask('jxj_first', id)).id, 'pass');
    await completeOk(t, 'jxj_second', (await postTask('jxj_second', id)).id, 'pass');
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(city.id));
    expect(await completedSteps(db.knex, id)).toEqual([
      '提交申报材料', '申报单位审核', '主管部门审核（初审岗）', '主管部门审核（复核岗）',
      '申报单位审核', '主管部门审核（初审岗）', '主管部门审核（复核岗）',
    ]);
  });

  it('refuses a post’s return to a level that is not below the department', async () => {
    const id = await atDepartment();
    const task = await postTask('jxj_first', id);
    const res = await complete(t, 'jxj_first', task.id, 'return', '退回', { returnTo: 'bureau' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.returnTo' })]);
    expect(res.json().message).toContain('申报人、申报单位');
    expect(await openTasksAt(db.knex, id, 'department_review_posts')).toBe(1);
  });

  it('refuses a post’s return that names no 退回至 (nothing is chosen for the clerk), and returns to the applicant when chosen', async () => {
    // given a dossier at the department's first post
    const id = await atDepartment();
    const task = await postTask('jxj_first', id);
    // when the post returns it without choosing where to
    const res = await complete(t, 'jxj_first', task.id, 'return', '请补充业绩材料');
    // then it is refused naming 退回至, and returned to the applicant once chosen
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.returnTo', message: expect.stringContaining('退回至') })]);
    await completeOk(t, 'jxj_first', task.id, 'return', '请补充业绩材料', { returnTo: 'applicant' });
    expect(await dossierOf(id)).toMatchObject({ status: 'returned', holder_unit_id: null });
    expect(await openTasksAt(db.knex, id, 'resubmit')).toBe(1);
  });
});

describe('an HR bureau reviewing through posts', () => {
  it('returns from its second post to the department, whose posts review it again', async () => {
    const id = await atBureau();
    await completeOk(t, 'rsj_first', (await postTask('rsj_first', id)).id, 'pass');
    await completeOk(t, 'rsj_second', (await postTask('rsj_second', id)).id, 'return', '主管部门意见不完整', { returnTo: 'department' });
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(department.id));
    expect((await inbox(t, 'jxj_first')).some((i) => i.rootInstanceId === id)).toBe(true);
  });

  it('refuses a delegation while the applicant’s region has a committee of its own', async () => {
    const id = await atBureau();
    await completeOk(t, 'rsj_first', (await postTask('rsj_first', id)).id, 'pass');
    const res = await complete(t, 'rsj_second', (await postTask('rsj_second', id)).id, 'pass', '委托评审', {
      delegated: true,
      delegationLetter: [await uploadPdf(t, 'rsj_second', '委托函.pdf')],
      delegateUnit: Number(province.id),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.delegated' })]);
    expect(res.json().message).toContain(activityCommittee.name);
  });

  describe('where the applicant’s region has no committee of its own', () => {
    beforeAll(async () => {
      await db.knex('committees').where({ id: activityCommittee.id }).update({ review_regions: [] });
    });
    afterAll(async () => {
      await db.knex('committees').where({ id: activityCommittee.id }).update({ review_regions: ['510100'] });
    });

    it('lets the last post delegate (not an earlier one), and the dossier lands at the chosen committee’s receipt', async () => {
      // given a dossier at the bureau's first post
      const id = await atBureau();
      const first = await postTask('rsj_first', id);
      const delegation = async (user: string) => ({ delegated: true, delegationLetter: [await uploadPdf(t, user, '委托函.pdf')], delegateUnit: Number(province.id) });

      // an earlier post cannot delegate: the last one decides
      const early = await complete(t, 'rsj_first', first.id, 'pass', '委托评审', await delegation('rsj_first'));
      expect(early.statusCode).toBe(400);
      expect(early.json().details).toEqual([{ field: 'data.delegated', message: '仅最后一个审核岗位可委托评审' }]);
      expect(early.json().message).toContain('复核岗');
      await completeOk(t, 'rsj_first', first.id, 'pass', '初审同意');

      // when the last post passes it, delegating to the province's committee
      const letter = await delegation('rsj_second');
      await completeOk(t, 'rsj_second', (await postTask('rsj_second', id)).id, 'pass', '委托省评委会评审', letter);

      // then the province's committee receives it, not the activity's, and the dossier records the delegation
      expect((await inbox(t, 'cd_pw')).some((i) => i.rootInstanceId === id)).toBe(false);
      const receipt = await taskOf(t, 'sc_pw', id, 'committee_receipt');
      expect(receipt.candidateUnitId).toBe(Number(province.id));
      const row = await dossierOf(id);
      expect(row).toMatchObject({ holder_unit_id: Number(province.id) });
      expect(row.delivered_at).not.toBeNull();
      expect(Number(row.delegated_by_unit_id)).toBe(Number(city.id));
      expect(row.delegated_committee_id).not.toBeNull();
      expect(row.delegation_letter).toEqual([expect.objectContaining({ id: letter.delegationLetter[0]!.id })]);
    });
  });
});

describe('an employer reviewing through posts', () => {
  it('keeps the plain review form for its posts, then uploads its materials', async () => {
    await setPosts(Number(employer.id), [{ level: 1, name: '初审岗', users: ['kj_first'] }]);
    try {
      const id = await submitDossier(t, applicant());
      const post = await postTask('kj_first', id);
      expect((await db.knex('tasks').where({ id: post.id }).first()).form_key).toBe('review');
      await completeOk(t, 'kj_first', post.id, 'pass', '同意');
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_materials')).id);
      expect(await openTasksAt(db.knex, id, 'department_review_posts')).toBe(1);
    } finally {
      await setPosts(Number(employer.id), []);
    }
  });
});
