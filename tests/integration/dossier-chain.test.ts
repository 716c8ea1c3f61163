import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, lockWaitOf } from '../helpers/database.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, completedSteps, employerPassData, inbox, instanceView, openTasksAt, passEmployer, publicityPeriod, startDossier, submitDossier, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { markNotDelivered, NOT_DELIVERED_REASON, remindTransferDuty } from '../../api/modules/dossiers/transfer-duty.job.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let province: { id: number };
let city: { id: number };
let department: { id: number };
let employer: { id: number };
/** the demo activity's committee: the city's, its 评审区域 成都市 */
let activityCommittee: { id: number; name: string };
let next = 0;

/** A new applicant of the demo employer (each applies once to the demo activity). */
const applicant = () => `chain_${++next}`;

const dossierOf = (instanceId: string) => db.knex('dossiers').where({ instance_id: instanceId }).first();

/** The demo chain: 示范科技 → 成都市经信局 → 成都市人社局 → the city's committee. */
async function toLevel(id: string, level: 'department' | 'bureau' | 'committee') {
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');
  if (level === 'department') return;
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '同意');
  if (level === 'bureau') return;
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass', '同意');
}

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  ({ province, city, department, employer } = await demoChainUnits(k));
  const hash = await hashPassword(DEMO_PASSWORD);
  // another department with its own clerk, outside the demo chain
  const [other] = await k('units').insert({ parent_id: city.id, name: '成都市卫生健康委员会', unit_type: 'department', admin_level: 'city', region_code: '510100', path: '/' }).returning('*');
  await k('units').where({ id: other.id }).update({ path: `${(await k('units').where({ id: city.id }).first()).path}${other.id}/` });
  await k('users').insert([
    { username: 'wjw_hr', password_hash: hash, display_name: '卫健委经办人', unit_id: other.id, roles: ['department_clerk'] },
    // the province's committee clerk receives delegated dossiers
    { username: 'sc_pw', password_hash: hash, display_name: '省评委会经办人', unit_id: province.id, roles: ['committee_clerk'] },
    ...Array.from({ length: 30 }, (_, i) => ({ username: `chain_${i + 1}`, password_hash: hash, display_name: `申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })),
  ]);
  // a filed committee of the province that may take delegated dossiers; it names no 评审区域, so it is no region's own
  const demo = await k('committees').first();
  activityCommittee = { id: Number(demo.id), name: String(demo.name) };
  const { id: _id, name: _name, organizer_unit_id: _o, ...rest } = demo;
  await k('committees').insert({ ...rest, name: '四川省工程技术系列高级职称评审委员会', organizer_unit_id: province.id, admin_level: 'province', review_regions: [] });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('the review chain: outcomes at each level', () => {
  it('records who holds the dossier as it passes up, and the committee receives it', async () => {
    // given a submitted dossier
    const id = await submitDossier(t, applicant());
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: Number(employer.id) });

    // when the employer passes it with its uploads, and the department and bureau pass it on
    await toLevel(id, 'department');
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(department.id));
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(city.id));
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
    expect((await dossierOf(id)).delivered_at).not.toBeNull();
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');

    // then it is received and nobody holds it any more
    expect(await dossierOf(id)).toMatchObject({ status: 'received', holder_unit_id: null });
  });

  it('offers every reviewer on the chain the 评审表 of the case, and nobody beside it', async () => {
    const id = await submitDossier(t, applicant());
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    const summary = task.summary as { documentPath: string; documentName: string; dossierId: number };
    expect(summary).toMatchObject({ documentName: '评审表', documentPath: `/api/dossiers/${summary.dossierId}/review-form.pdf` });
    const pdf = await t.request('GET', summary.documentPath, { user: 'kj_hr' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((await t.request('GET', summary.documentPath, { user: 'jj_hr' })).statusCode).toBe(404);
  });

  it('refuses the employer’s pass without the 公示 proof and the 综合推荐材料', async () => {
    const id = await submitDossier(t, applicant());
    const task = await taskOf(t, 'kj_hr', id, 'unit_review');
    const res = await complete(t, 'kj_hr', task.id, 'pass', '同意', { ...publicityPeriod(t.clock.now()), publicityProof: [await uploadPdf(t, 'kj_hr', '公示.pdf')] });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.recommendation' })]);
    // a batch pass carries no uploads: refused for this task alone
    const batch = await t.request('POST', '/api/tasks/batch-complete', { user: 'kj_hr', body: { taskIds: [task.id], action: 'pass' } });
    expect(batch.json()).toMatchObject({ succeeded: 0, failed: 1, results: [{ ok: false, status: 400 }] });
    expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
  });

  it('returns from the department to the applicant (a batch return naming 退回至), who resubmits to the employer', async () => {
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'department');
    const task = await taskOf(t, 'cd_jxj', id, 'department_review');
    const batch = await t.request('POST', '/api/tasks/batch-complete', { user: 'cd_jxj', body: { taskIds: [task.id], action: 'return', opinion: '请补充材料', data: { returnTo: 'applicant' } } });
    expect(batch.json()).toMatchObject({ succeeded: 1 });
    expect(await dossierOf(id)).toMatchObject({ status: 'returned', holder_unit_id: null });
    expect(await openTasksAt(db.knex, id, 'resubmit')).toBe(1);
  });

  it('returns from the bureau to the department, which reviews it again', async () => {
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'bureau');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'return', '主管部门意见不完整', { returnTo: 'department' });
    expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', holder_unit_id: Number(department.id) });
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '已补充意见');
    expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
  });

  it('returns from the bureau to the employer', async () => {
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'bureau');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'return', '公示材料不全', { returnTo: 'employer' });
    expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
    expect(Number((await dossierOf(id)).holder_unit_id)).toBe(Number(employer.id));
  });

  it('returns from the committee to the employer, and the dossier goes up again from there', async () => {
    // given a dossier at the committee
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'committee');
    // when the committee returns it to the employer
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'return', '综合推荐材料需单位盖章', { returnTo: 'employer' });
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', delivered_at: null });
    // then the employer passes it again (new uploads) and it climbs the chain to the committee
    await toLevel(id, 'committee');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass');
    expect((await dossierOf(id)).status).toBe('received');
    expect(await completedSteps(db.knex, id)).toEqual([
      '提交申报材料', '申报单位审核', '主管部门审核', '人社部门审核', '评委会接收',
      '申报单位审核', '主管部门审核', '人社部门审核', '评委会接收',
    ]);
  });

  it('returns from the committee to the applicant', async () => {
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'committee');
    await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'return', '请申报人修改', { returnTo: 'applicant' });
    expect((await dossierOf(id)).status).toBe('returned');
    expect(await openTasksAt(db.knex, id, 'resubmit')).toBe(1);
  });

  it('refuses a return to a level that is not below the reviewer', async () => {
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'department');
    const task = await taskOf(t, 'cd_jxj', id, 'department_review');
    const res = await complete(t, 'cd_jxj', task.id, 'return', '退回', { returnTo: 'bureau' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('申报人、申报单位');
    expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
  });

  it('rejects: the dossier is 不通过 and the applicant cannot apply to the activity again', async () => {
    const user = applicant();
    const id = await submitDossier(t, user);
    await toLevel(id, 'bureau');
    await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'reject', '不符合申报条件');
    expect(await dossierOf(id)).toMatchObject({ status: 'rejected', holder_unit_id: null });
    const again = await t.request('POST', '/api/process-instances', { user, body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('本年度不能再次申报');
  });
});

describe('委托评审 (notice 002)', () => {
  /** The bureau's pass delegating to the province's committee, with the letter (uploaded by the bureau). */
  const delegation = async () => ({ delegated: true, delegationLetter: [await uploadPdf(t, 'cd_hr', '委托函.pdf')], delegateUnit: Number(province.id) });

  it('refuses a delegation while the applicant’s region has a committee of its own for the title, naming it', async () => {
    // given a dossier at the bureau, whose applicant's 职称业务归属地 (成都市) the activity's committee names as its 评审区域
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'bureau');
    const task = await taskOf(t, 'cd_hr', id, 'bureau_review');

    // when the bureau delegates it to the province's committee
    const res = await complete(t, 'cd_hr', task.id, 'pass', '委托评审', await delegation());

    // then it is refused (400 on the delegation flag) and the dossier stays at the bureau
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.delegated' })]);
    expect(res.json().message).toContain(`已有评审工程技术系列中级职称的评委会“${activityCommittee.name}”`);
    expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
    expect((await dossierOf(id)).delegated_by_unit_id).toBeNull();
  });

  describe('where the applicant’s region has no committee of its own', () => {
    beforeAll(async () => {
      // the activity's committee names no 评审区域 (it takes applicants from anywhere, but is no region's own);
      // a committee of another series naming 成都市 does not count for an engineering dossier
      await db.knex('committees').where({ id: activityCommittee.id }).update({ review_regions: [] });
      const { id: _id, ...rest } = await db.knex('committees').where({ id: activityCommittee.id }).first();
      await db.knex('committees').insert({ ...rest, name: '成都市经济系列中级职称评审委员会', series: 'economics', review_regions: ['510100'] });
    });

    afterAll(async () => {
      await db.knex('committees').where({ id: activityCommittee.id }).update({ review_regions: ['510100'] });
      await db.knex('committees').where({ name: '成都市经济系列中级职称评审委员会' }).delete();
    });

    it('refuses the activity’s own committee as the delegate of an applicant it takes directly', async () => {
      const id = await submitDossier(t, applicant());
      await toLevel(id, 'bureau');
      const task = await taskOf(t, 'cd_hr', id, 'bureau_review');
      const letter = await uploadPdf(t, 'cd_hr', '委托函.pdf');
      const res = await complete(t, 'cd_hr', task.id, 'pass', '委托评审', { delegated: true, delegationLetter: [letter], delegateUnit: Number(city.id) });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.delegateUnit', message: '受委托评委会不能是本评审活动的评委会' })]);
    });

    it('sends a delegated dossier to the chosen committee and records the delegating unit', async () => {
      const id = await submitDossier(t, applicant());
      await toLevel(id, 'bureau');
      const task = await taskOf(t, 'cd_hr', id, 'bureau_review');
      // without the letter the delegation is refused
      const missing = await complete(t, 'cd_hr', task.id, 'pass', '委托评审', { delegated: true, delegateUnit: Number(province.id) });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().details).toEqual([expect.objectContaining({ field: 'data.delegationLetter' })]);
      // a unit without a filed committee cannot take it
      const letter = await uploadPdf(t, 'cd_hr', '委托函.pdf');
      const nowhere = await complete(t, 'cd_hr', task.id, 'pass', '委托评审', { delegated: true, delegationLetter: [letter], delegateUnit: Number(department.id) });
      expect(nowhere.statusCode).toBe(400);

      // when the bureau delegates to the province's committee
      await completeOk(t, 'cd_hr', task.id, 'pass', '委托省评委会评审', { delegated: true, delegationLetter: [letter], delegateUnit: Number(province.id) });

      // then the province's committee receives it, not the activity's
      expect((await inbox(t, 'cd_pw')).some((i) => i.rootInstanceId === id)).toBe(false);
      const receipt = await taskOf(t, 'sc_pw', id, 'committee_receipt');
      expect(receipt.candidateUnitId).toBe(Number(province.id));
      const row = await dossierOf(id);
      expect(Number(row.delegated_by_unit_id)).toBe(Number(city.id));
      expect(row.delegated_committee_id).not.toBeNull();
      expect(row.delegation_letter).toEqual([expect.objectContaining({ id: letter.id })]);
      await completeOk(t, 'sc_pw', receipt.id, 'pass', '接收');
      expect((await dossierOf(id)).status).toBe('received');
    });
  });
});

describe('委托评审 of an applicant outside the committee’s 评审区域 (manual § 评审区域, notice 002 二(四))', () => {
  /** 绵阳市人社局 → 绵阳市经信局 → 绵阳示范电子: a chain outside the activity's committee's 评审区域 (成都市) */
  let bureau: { id: number };
  let mianyangNext = 0;
  const outsider = () => `my_${++mianyangNext}`;

  /** An outsider's dossier passed by the employer and the department, now at the bureau. */
  async function atBureau(): Promise<{ id: string; task: Awaited<ReturnType<typeof taskOf>> }> {
    const id = await submitDossier(t, outsider());
    await passEmployer(t, 'my_kj', (await taskOf(t, 'my_kj', id, 'unit_review')).id, '同意推荐');
    // a level below the one that sends it to the committee passes normally
    await completeOk(t, 'my_jxj', (await taskOf(t, 'my_jxj', id, 'department_review')).id, 'pass', '同意');
    return { id, task: await taskOf(t, 'my_hr', id, 'bureau_review') };
  }

  beforeAll(async () => {
    const k = db.knex;
    const hash = await hashPassword(DEMO_PASSWORD);
    const provincePath = String((await k('units').where({ id: province.id }).first()).path);
    const insertUnit = async (parentPath: string, unit: Record<string, unknown>) => {
      const [row] = await k('units').insert({ admin_level: 'city', region_code: '510700', nature: 'agency', ...unit, path: '/' }).returning('*');
      const path = `${parentPath}${row.id}/`;
      await k('units').where({ id: row.id }).update({ path });
      return { id: Number(row.id), path };
    };
    const mianyang = await insertUnit(provincePath, { parent_id: province.id, name: '绵阳市人力资源和社会保障局', unit_type: 'hr_bureau' });
    bureau = mianyang;
    const department = await insertUnit(mianyang.path, { parent_id: mianyang.id, name: '绵阳市经济和信息化局', unit_type: 'department' });
    const company = await insertUnit(department.path, { parent_id: department.id, name: '绵阳示范电子有限公司', unit_type: 'employer', nature: 'enterprise' });
    await k('users').insert([
      { username: 'my_hr', password_hash: hash, display_name: '绵阳市人社局经办人', unit_id: mianyang.id, roles: ['hr_clerk'] },
      { username: 'my_jxj', password_hash: hash, display_name: '绵阳市经信局经办人', unit_id: department.id, roles: ['department_clerk'] },
      { username: 'my_kj', password_hash: hash, display_name: '绵阳示范电子经办人', unit_id: company.id, roles: ['unit_clerk'] },
      ...Array.from({ length: 10 }, (_, i) => ({ username: `my_${i + 1}`, password_hash: hash, display_name: `绵阳申报人${i + 1}`, unit_id: company.id, roles: ['applicant'] })),
    ]);
  });

  it('lists the activity to an applicant whose region has no committee for the title, noting that it needs delegation', async () => {
    const res = await t.request('GET', '/api/activities', { user: 'my_10' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 1, delegationNote: expect.stringContaining('须经人社部门（主管部门）委托评审') })]));
    // an applicant inside the committee's 评审区域 applies directly
    const inside = await t.request('GET', '/api/activities', { user: 'chain_30' });
    expect(inside.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 1, delegationNote: null })]));
  });

  it('lets such an applicant start and submit, recording that the dossier needs delegation', async () => {
    const id = await submitDossier(t, outsider());
    const variables = (await db.knex('process_instances').where({ id }).first()).variables;
    expect(variables).toMatchObject({ needsDelegation: true });
    expect(await dossierOf(id)).toMatchObject({ status: 'submitted', delegated_by_unit_id: null });
  });

  it('refuses the bureau’s pass to the committee without 委托评审, naming the field', async () => {
    // given an outsider's dossier at the bureau, the last unit before the committee
    const { id, task } = await atBureau();

    // when the bureau passes it on as for any dossier
    const res = await complete(t, 'my_hr', task.id, 'pass', '同意');

    // then it is refused, and the dossier stays at the bureau
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('报送评委会须委托评审并上传委托函');
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.delegated' })]);
    expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
    expect(await openTasksAt(db.knex, id, 'committee_receipt')).toBe(0);
  });

  it('sends the dossier delegated (with the letter) to the activity’s own committee, which receives it', async () => {
    // given an outsider's dossier at the bureau
    const { id, task } = await atBureau();
    const letter = await uploadPdf(t, 'my_hr', '委托评审函.pdf');
    // a letter is still required
    const bare = await complete(t, 'my_hr', task.id, 'pass', '委托评审', { delegated: true });
    expect(bare.json().details).toEqual([expect.objectContaining({ field: 'data.delegationLetter' })]);

    // when the bureau delegates it with the letter, leaving the committee to its default (the activity's)
    await completeOk(t, 'my_hr', task.id, 'pass', '委托成都市评委会评审', { delegated: true, delegationLetter: [letter] });

    // then the activity's committee receives it, and the dossier records the delegation
    const receipt = await taskOf(t, 'cd_pw', id, 'committee_receipt');
    expect(receipt.candidateUnitId).toBe(Number(city.id));
    const row = await dossierOf(id);
    expect(Number(row.delegated_by_unit_id)).toBe(bureau.id);
    expect(Number(row.delegated_committee_id)).toBe(activityCommittee.id);
    expect(row.delegation_letter).toEqual([expect.objectContaining({ id: letter.id })]);
    await completeOk(t, 'cd_pw', receipt.id, 'pass', '予以接收');
    expect((await dossierOf(id)).status).toBe('received');
  });

  it('keeps a dossier that needs delegation from an employer that would pass it straight to the committee', async () => {
    // given an employer with neither a department nor an HR bureau above it, which cannot delegate
    const hash = await hashPassword(DEMO_PASSWORD);
    const [alone] = await db.knex('units').insert({ name: '绵阳独立研究院', unit_type: 'employer', admin_level: 'city', region_code: '510700', nature: 'enterprise', path: '/' }).returning('*');
    await db.knex('units').where({ id: alone.id }).update({ path: `/${alone.id}/` });
    await db.knex('users').insert([
      { username: 'dl_kj', password_hash: hash, display_name: '独立研究院经办人', unit_id: alone.id, roles: ['unit_clerk'] },
      { username: 'dl_1', password_hash: hash, display_name: '独立研究院申报人', unit_id: alone.id, roles: ['applicant'] },
    ]);
    const id = await submitDossier(t, 'dl_1');

    // when the employer passes it
    const res = await complete(t, 'dl_kj', (await taskOf(t, 'dl_kj', id, 'unit_review')).id, 'pass', '同意推荐', await employerPassData(t, 'dl_kj'));

    // then it does not reach the committee undelegated
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.delegated' })]);
    expect(await openTasksAt(db.knex, id, 'committee_receipt')).toBe(0);
    expect(await openTasksAt(db.knex, id, 'unit_review')).toBe(1);
  });

  it('accepts the activity’s committee named as the delegate', async () => {
    const { id, task } = await atBureau();
    const letter = await uploadPdf(t, 'my_hr', '委托评审函.pdf');
    await completeOk(t, 'my_hr', task.id, 'pass', '委托评审', { delegated: true, delegationLetter: [letter], delegateUnit: Number(city.id) });
    expect(await openTasksAt(db.knex, id, 'committee_receipt')).toBe(1);
  });

  describe('once the applicant’s region has a committee of its own for the title', () => {
    const own = '绵阳市工程技术系列中级职称评审委员会';
    /** a dossier started before that committee was filed */
    let startedBefore: { id: string; user: string };

    beforeAll(async () => {
      const user = outsider();
      startedBefore = { id: await startDossier(t, user), user };
      const { id: _id, name: _name, organizer_unit_id: _o, ...rest } = await db.knex('committees').where({ id: activityCommittee.id }).first();
      await db.knex('committees').insert({ ...rest, name: own, organizer_unit_id: bureau.id, review_regions: ['510700'] });
    });

    afterAll(async () => {
      await db.knex('committees').where({ name: own }).delete();
    });

    it('refuses to start a dossier, naming that committee', async () => {
      const res = await t.request('POST', '/api/process-instances', { user: outsider(), body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toContain('不在“成都市工程技术系列中级职称评审委员会”的评审区域内');
      expect(res.json().message).toContain(`已有评审工程技术系列中级职称的评委会“${own}”`);
      expect((await t.request('GET', '/api/activities', { user: 'my_10' })).json().some((a: { id: number }) => a.id === 1)).toBe(false);
    });

    it('refuses the submission of a dossier started before, naming that committee', async () => {
      const task = await taskOf(t, startedBefore.user, startedBefore.id, 'submit');
      const res = await complete(t, startedBefore.user, task.id, 'submit', undefined, VALID_DOSSIER);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain(`已有评审工程技术系列中级职称的评委会“${own}”`);
      expect(res.json().details).toEqual([expect.objectContaining({ field: 'data.level' })]);
      expect(await openTasksAt(db.knex, startedBefore.id, 'submit')).toBe(1);
    });
  });
});

describe('scope', () => {
  it('shows a department only the dossiers of its own chain', async () => {
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'department');
    expect((await inbox(t, 'wjw_hr')).some((i) => i.rootInstanceId === id)).toBe(false);
    expect((await t.request('GET', `/api/process-instances/${id}`, { user: 'wjw_hr' })).statusCode).toBe(404);
    const task = await taskOf(t, 'cd_jxj', id, 'department_review');
    expect((await complete(t, 'wjw_hr', task.id, 'pass')).statusCode).toBe(404);
    // and its overdue list is its own unit's
    expect((await t.request('GET', `/api/dossier-chain/overdue?filter=${encodeURIComponent(JSON.stringify({ unitId: Number(department.id) }))}`, { user: 'wjw_hr' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/dossier-chain/overdue', { user: 'zhangwei' })).statusCode).toBe(403);
  });
});

describe('转报时限 (notice 003) and 评委会接收截止', () => {
  it('reminds a unit that holds a dossier longer than 3 working days, once, and lists it as overdue', async () => {
    // given a dossier that reached the department on Monday 2026-03-09
    t.clock.set('2026-03-09T10:00:00+08:00');
    const id = await submitDossier(t, applicant());
    await toLevel(id, 'department');
    const dossierId = Number((await dossierOf(id)).id);
    const calendar = t.app.calendar;

    // when three working days have passed (Thursday) nothing is due
    t.clock.set('2026-03-12T18:00:00+08:00');
    const reminders = () => db.knex('messages').where({ kind: 'dossier.transfer_overdue', unit_id: department.id }).whereLike('dedupe_key', `dossier-transfer:${dossierId}:%`);
    await remindTransferDuty(db.knex, calendar, t.clock.now());
    expect(await reminders()).toHaveLength(0);

    // then on the fourth working day (Friday) the department is reminded, once
    t.clock.set('2026-03-13T09:00:00+08:00');
    await remindTransferDuty(db.knex, calendar, t.clock.now());
    await remindTransferDuty(db.knex, calendar, t.clock.now());
    const messages = await reminders();
    expect(messages).toHaveLength(1);
    expect(messages[0].permission).toBe('dossier.review.subordinate');
    expect((await t.request('GET', '/api/messages', { user: 'cd_jxj' })).json().map((m: { title: string }) => m.title)).toContain(messages[0].title);

    // the department's reviewers and operators see it as overdue
    const own = await t.request('GET', '/api/dossier-chain/overdue', { user: 'cd_jxj' });
    expect(own.statusCode).toBe(200);
    const items = own.json() as Array<{ dossierId: number; unitId: number }>;
    expect(items.every((i) => i.unitId === Number(department.id))).toBe(true);
    expect(items.find((i) => i.dossierId === dossierId)).toMatchObject({ unitName: '成都市经济和信息化局', workingDays: 4, dueDay: '2026-03-12' });
    const all = await t.request('GET', '/api/dossier-chain/overdue', { user: 'admin' });
    expect(all.json().map((i: { dossierId: number }) => i.dossierId)).toContain(dossierId);
    expect((await t.request('GET', '/api/dossier-chain/overdue', { user: 'kj_hr' })).json().some((i: { dossierId: number }) => i.dossierId === dossierId)).toBe(false);

    // passing it on ends the department's overdue
    await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
    expect((await t.request('GET', '/api/dossier-chain/overdue', { user: 'cd_jxj' })).json().some((i: { dossierId: number }) => i.dossierId === dossierId)).toBe(false);
  });

  it('marks dossiers that did not reach the committee by the receipt deadline as not delivered, with the unit holding them, and ends their case', async () => {
    // given an activity whose receipt deadline is near, one dossier at the committee, one at the department, one with the applicant
    t.clock.set('2026-03-16T10:00:00+08:00');
    const delivered = await submitDossier(t, applicant());
    await toLevel(delivered, 'committee');
    const stuck = await submitDossier(t, applicant());
    await toLevel(stuck, 'department');
    const returned = await submitDossier(t, applicant());
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', returned, 'unit_review')).id, 'return', '请补充学历证书');
    const stuckTask = await taskOf(t, 'cd_jxj', stuck, 'department_review');
    await db.knex('activities').where({ id: 1 }).update({ receipt_deadline: new Date('2026-03-17T17:00:00+08:00') });
    try {
      // when the deadline passes and the job runs (twice)
      t.clock.set('2026-03-17T17:05:00+08:00');
      const marked = await markNotDelivered(db.knex, t.app.engine, t.clock.now());
      expect(await markNotDelivered(db.knex, t.app.engine, t.clock.now())).toEqual([]);

      // then the one at the department is not delivered, the department recorded; the returned one too, held by nobody
      const row = await dossierOf(stuck);
      expect(marked).toEqual(expect.arrayContaining([Number(row.id), Number((await dossierOf(returned)).id)]));
      expect(row).toMatchObject({ status: 'not_delivered' });
      expect(Number(row.not_delivered_unit_id)).toBe(Number(department.id));
      expect(await dossierOf(returned)).toMatchObject({ status: 'not_delivered', not_delivered_unit_id: null });
      // the one that reached the committee in time is untouched and may still be received
      expect((await dossierOf(delivered)).status).toBe('submitted');
      expect(await openTasksAt(db.knex, delivered, 'committee_receipt')).toBe(1);
    } finally {
      await db.knex('activities').where({ id: 1 }).update({ receipt_deadline: new Date('2026-06-30T17:00:00+08:00') });
    }

    // and their cases are over: no task in any inbox, the instance cancelled, the old task answers 409
    for (const id of [stuck, returned]) {
      expect(await db.knex('tasks').where({ root_instance_id: id, status: 'open' })).toHaveLength(0);
      expect((await db.knex('process_instances').where({ id }).first()).status).toBe('cancelled');
    }
    expect((await inbox(t, 'cd_jxj')).some((i) => i.rootInstanceId === stuck)).toBe(false);
    expect((await db.knex('tasks').where({ id: stuckTask.id }).first()).status).toBe('cancelled');
    const late = await complete(t, 'cd_jxj', stuckTask.id, 'return', '已超过接收截止时间');
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('该任务已取消');
    // the history says why, on the case the applicant and the units see
    const view = await instanceView(t, 'admin', stuck);
    expect(view.status).toBe('cancelled');
    expect(view.history.filter((h) => h.type === 'instance.cancel' || h.type === 'dossier.not_delivered')).toEqual([
      expect.objectContaining({ type: 'instance.cancel', opinion: NOT_DELIVERED_REASON, actorName: null }),
      expect.objectContaining({ type: 'dossier.not_delivered' }),
    ]);
    // a resubmission of the returned dossier is gone as well
    expect((await dossierOf(returned)).status).toBe('not_delivered');
    expect(await openTasksAt(db.knex, returned, 'resubmit')).toBe(0);
  });
});

describe('修改提交截止时间 set by the returning unit (notice 000)', () => {
  it('lets the unit that returned a dossier give the applicant a revision deadline of its own, whatever the committee’s', async () => {
    t.clock.set('2026-03-18T09:00:00+08:00');
    const user = applicant();
    const id = await submitDossier(t, user);
    const dossierId = Number((await dossierOf(id)).id);
    const path = `/api/dossiers/${dossierId}/revision-deadline`;
    const revisionDeadline = (await db.knex('activities').where({ id: 1 }).first()).revision_deadline;
    // nothing to set before a return
    expect((await t.request('PUT', path, { user: 'kj_hr', body: { at: '2026-03-25T17:00' } })).statusCode).toBe(409);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, 'return', '请补充学历证书');
    // the committee's revision deadline is close
    await db.knex('activities').where({ id: 1 }).update({ revision_deadline: new Date('2026-03-20T17:00:00+08:00') });
    try {
      // only the returning unit sets it, and only to a time still ahead
      expect((await t.request('PUT', path, { user: 'cd_jxj', body: { at: '2026-03-25T17:00' } })).statusCode).toBe(403);
      const past = await t.request('PUT', path, { user: 'kj_hr', body: { at: '2026-03-01T17:00' } });
      expect(past.statusCode).toBe(400);
      expect(past.json().details).toEqual([{ field: 'at', message: '须晚于现在' }]);
      expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user: 'kj_hr' })).json().canSetRevisionDeadline).toBe(true);
      expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user })).json().canSetRevisionDeadline).toBe(false);
      const set = await t.request('PUT', path, { user: 'kj_hr', body: { at: '2026-03-23T17:00' } });
      expect(set.statusCode, set.body).toBe(200);

      // past the committee's deadline the applicant still has the unit's time
      t.clock.set('2026-03-21T09:00:00+08:00');
      expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user })).json().deadline).toMatchObject({ label: '退回单位设置的修改提交截止时间', passed: false });
      // past the unit's time the resubmission is refused, naming it
      t.clock.set('2026-03-24T09:00:00+08:00');
      const task = await taskOf(t, user, id, 'resubmit');
      const late = await complete(t, user, task.id, 'submit', undefined, VALID_DOSSIER);
      expect(late.statusCode).toBe(409);
      expect(late.json().message).toContain('退回单位设置的修改提交截止时间为 2026-03-23 17:00');
      // the unit gives more time, and the applicant resubmits
      expect((await t.request('PUT', path, { user: 'kj_hr', body: { at: '2026-03-26T17:00' } })).statusCode).toBe(200);
      await completeOk(t, user, task.id, 'submit', undefined, VALID_DOSSIER);
      expect((await dossierOf(id)).status).toBe('submitted');

      // a new return starts again from the committee's deadline
      await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, 'return', '仍缺少学历证书');
      expect(await dossierOf(id)).toMatchObject({ status: 'returned', revision_deadline: null });
    } finally {
      await db.knex('activities').where({ id: 1 }).update({ revision_deadline: revisionDeadline });
    }
  });

  it('refuses a revision deadline that a resubmission overtook, and writes nothing', async () => {
    // given a returned dossier, and a resubmission that has taken it but not yet committed
    t.clock.set('2026-03-18T09:00:00+08:00');
    const id = await submitDossier(t, applicant());
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, 'return', '请补充学历证书');
    const dossierId = Number((await dossierOf(id)).id);
    const before = await db.knex('dossiers').where({ id: dossierId }).first('revision_deadline', 'revision_deadline_unit_id', 'updated_at');
    const resubmission = await db.knex.transaction();
    try {
      await resubmission('dossiers').where({ id: dossierId }).update({ status: 'submitted' });

      // when the returning unit sets a deadline meanwhile, and the resubmission commits
      const setting = t.request('PUT', `/api/dossiers/${dossierId}/revision-deadline`, { user: 'kj_hr', body: { at: '2026-03-25T17:00' } });
      await lockWaitOf(db.knex, 'update "dossiers"%');
      await resubmission.commit();
      const res = await setting;

      // then it is refused, and the dossier has no deadline of its own
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().message).toBe('申报材料已不在退回修改中，不能设置修改提交截止时间');
    } finally {
      if (!resubmission.isCompleted()) await resubmission.rollback();
    }
    expect(await db.knex('dossiers').where({ id: dossierId }).first('revision_deadline', 'revision_deadline_unit_id', 'updated_at')).toEqual(before);
  });
});
