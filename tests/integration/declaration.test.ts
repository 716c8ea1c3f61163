import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, lockWaitOf, statementsOf } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';
import { complete, completeOk, taskOf } from '../helpers/flow.ts';
import { uploadPdf } from '../helpers/files.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

const START = '2026-03-02T09:00:00+08:00';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let cityId: number;
let employerId: number;
let demoCommitteeId: number;
let people = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  cityId = Number((await db.knex('units').where({ name: '成都市人力资源和社会保障局' }).first('id')).id);
  employerId = Number((await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id')).id);
  demoCommitteeId = Number((await db.knex('committees').first('id')).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** A unit below `parentId` (its path kept as the tree needs it). */
async function unit(parentId: number, name: string, values: Record<string, unknown>): Promise<number> {
  const parent = await db.knex('units').where({ id: parentId }).first();
  const [row] = await db.knex('units').insert({ parent_id: parentId, name, unit_type: 'employer', path: '/', ...values }).returning('id');
  await db.knex('units').where({ id: row.id }).update({ path: `${parent.path}${row.id}/` });
  return Number(row.id);
}

/** A fresh applicant of a unit (one dossier per applicant and activity). */
async function applicant(unitId = employerId, displayName = `申报人${people + 1}`): Promise<string> {
  people += 1;
  const username = `decl_${people}`;
  await db.knex('users').insert({ username, password_hash: await hashPassword(DEMO_PASSWORD), display_name: displayName, unit_id: unitId, roles: ['applicant'] });
  return username;
}

async function committee(values: Record<string, unknown>): Promise<number> {
  const [row] = await db.knex('committees')
    .insert({ name: `测试评委会 ${Math.random().toString(36).slice(2, 7)}`, organizer_unit_id: cityId, series: 'engineering', levels: ['intermediate'], filing_status: 'filed', ...values })
    .returning('id');
  return Number(row.id);
}

/** A published activity, open now (first deadline 2026-04-01 17:00, revision 04-11 17:00). */
async function activity(committeeId: number, values: Record<string, unknown> = {}): Promise<number> {
  const [row] = await db.knex('activities')
    .insert({
      committee_id: committeeId,
      committee_unit_id: cityId,
      name: `测试评审活动 ${Math.random().toString(36).slice(2, 8)}`,
      year: 2026,
      kind: 'special',
      status: 'published',
      levels: ['intermediate'],
      starts_at: new Date('2026-03-01T09:00:00+08:00'),
      first_deadline: new Date('2026-04-01T17:00:00+08:00'),
      revision_deadline: new Date('2026-04-11T17:00:00+08:00'),
      receipt_deadline: new Date('2026-04-25T17:00:00+08:00'),
      published_at: new Date(START),
      ...values,
    })
    .returning('id');
  return Number(row.id);
}

/** An activity asking for one 业绩成果 item (论文 or 专利), a required 学历证书, and reviewing 破格. */
const DEMANDING = {
  specialties: ['机械工程', '电气工程'],
  achievements: JSON.stringify([{ order: 1, title: 'after_current', templates: ['paper', 'patent'], requirement: '取得现职称后发表论文或取得专利 1 项以上' }]),
  materials: JSON.stringify([{ name: '学历证书', required: true, maxFiles: 2 }]),
  breakthrough: true,
  breakthrough_conditions: JSON.stringify([{ name: '获省部级科技进步奖二等奖以上' }]),
};

async function start(user: string, activityId: number) {
  return t.request('POST', '/api/process-instances', { user, body: { processKey: 'dossier-review', variables: { activityId } } });
}

async function started(user: string, activityId: number): Promise<{ instanceId: string; dossierId: number }> {
  const res = await start(user, activityId);
  expect(res.statusCode, res.body).toBe(201);
  const instanceId = (res.json() as { id: string }).id;
  const row = await db.knex('dossiers').where({ instance_id: instanceId }).first('id');
  return { instanceId, dossierId: Number(row.id) };
}

interface Declaration {
  data: Record<string, unknown>;
  submitTaskId: string | null;
  editable: boolean;
  deadline: { label: string; at: string; passed: boolean } | null;
  activity: { achievements: Array<{ order: number }>; materials: Array<{ name: string }>; breakthrough: boolean };
}

async function declaration(user: string, dossierId: number): Promise<Declaration> {
  const res = await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Declaration;
}

async function saveDraft(user: string, dossierId: number, data: Record<string, unknown>) {
  return t.request('PUT', `/api/dossiers/${dossierId}/draft`, { user, body: { data } });
}

const paper = { item: 1, template: 'paper', title: '大型减速器齿轮修形研究', date: '2024-05-01', category: '学术论文', publication: '机械工程学报', number: 'ISSN 0577-6686', rank: '第1/共3', words: 8 };

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pdf-')), 'review-form.pdf');
  fs.writeFileSync(file, pdf);
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    // Debian's poppler-utils, as the e2e helpers install Chromium
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'ignore', env });
  }
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

describe('which activities an applicant may apply to', () => {
  it('lists the published activities whose committee takes the employer: review region, unit nature, internal committees', async () => {
    // given committees of the same city with different scopes
    const open = await activity(await committee({ review_regions: ['510100'] }));
    const institutionsOnly = await activity(await committee({ review_regions: ['510100'], allowed_natures: ['institution'] }));
    const elsewhere = await activity(await committee({ review_regions: ['510300'] }));
    const internalOther = await activity(await committee({ internal: true, organizer_unit_id: cityId }));
    const internalOwn = await activity(await committee({ internal: true, organizer_unit_id: employerId }), { name: '示范科技内部评审' });

    // when the demo applicant (an enterprise in 成都市) lists them
    const res = await t.request('GET', '/api/activities', { user: 'zhangwei' });
    expect(res.statusCode, res.body).toBe(200);
    const ids = (res.json() as Array<{ id: number }>).map((a) => a.id);

    // then only those open to that employer appear
    expect(ids).toEqual(expect.arrayContaining([1, open, internalOwn]));
    expect(ids).not.toContain(institutionsOnly);
    expect(ids).not.toContain(elsewhere);
    expect(ids).not.toContain(internalOther);
  });

  it('shows an applicant of another city none of 成都市’s activities, and refuses the start with the reason', async () => {
    // given an employer in 自贡市
    const zigong = await unit(cityId, '自贡某机械厂', { nature: 'enterprise', region_code: '510300' });
    const user = await applicant(zigong, '王自贡');

    // when they list and try to apply
    const listed = (await t.request('GET', '/api/activities', { user })).json() as Array<{ id: number }>;
    const refused = await start(user, 1);

    // then the demo activity is neither listed nor open to them
    expect(listed.map((a) => a.id)).not.toContain(1);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('不在“成都市工程技术系列中级职称评审委员会”的评审区域内');
  });

  it('tells whether an activity is open now and which dossier the applicant already has', async () => {
    const user = await applicant();
    const upcoming = await activity(demoCommitteeId, { starts_at: new Date('2026-05-01T09:00:00+08:00'), first_deadline: new Date('2026-06-01T17:00:00+08:00') });
    const { dossierId } = await started(user, 1);
    const list = (await t.request('GET', '/api/activities', { user })).json() as Array<{ id: number; open: boolean; closedReason: string | null; dossierId: number | null }>;
    expect(list.find((a) => a.id === 1)).toMatchObject({ open: true, dossierId });
    expect(list.find((a) => a.id === upcoming)).toMatchObject({ open: false, closedReason: '2026-05-01 09:00 开始申报', dossierId: null });
  });
});

describe('filling the declaration', () => {
  it('saves a draft at any time and resumes it with its attachments', async () => {
    // given a dossier of an activity with requirements
    const user = await applicant();
    const id = await activity(demoCommitteeId, DEMANDING);
    const { dossierId } = await started(user, id);
    const diploma = await uploadPdf(t, user, '学历证书.pdf');

    // when half a declaration is saved
    const saved = await saveDraft(user, dossierId, { specialty: '机械工程', materials: [{ name: '学历证书', files: [diploma] }] });
    expect(saved.statusCode, saved.body).toBe(200);

    // then it comes back as it was, with the activity's requirements beside it
    const back = await declaration(user, dossierId);
    expect(back.data).toEqual({ specialty: '机械工程', materials: [{ name: '学历证书', files: [diploma] }] });
    expect(back.activity.achievements.map((a) => a.order)).toEqual([1]);
    expect(back.activity.materials.map((m) => m.name)).toEqual(['学历证书']);
    expect(back).toMatchObject({ editable: true, deadline: { label: '个人初次提交截止时间', passed: false } });
    expect(back.submitTaskId).toBeTruthy();
  });

  it('refuses a draft using somebody else’s upload', async () => {
    const user = await applicant();
    const { dossierId } = await started(user, await activity(demoCommitteeId));
    const foreign = await uploadPdf(t, 'lina', '别人的附件.pdf');
    const res = await saveDraft(user, dossierId, { materials: [{ name: '学历证书', files: [foreign] }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('附件不存在或不是您上传的');
    expect((await t.request('GET', `/api/dossiers/${dossierId}/declaration`, { user: 'lina' })).statusCode).toBe(404);
  });

  it('refuses a submission missing what the activity asks for, naming each field, and keeps the draft and its files', async () => {
    // given a saved draft with an uploaded file, but no 业绩成果 and no 学历证书
    const user = await applicant();
    const { instanceId, dossierId } = await started(user, await activity(demoCommitteeId, DEMANDING));
    const proof = await uploadPdf(t, user, '论文首页.pdf');
    const draft = { ...VALID_DOSSIER, achievements: [{ ...paper, number: undefined, files: [proof] }] };
    expect((await saveDraft(user, dossierId, draft)).statusCode).toBe(200);

    // when it is submitted
    const task = await taskOf(t, user, instanceId, 'submit');
    const res = await complete(t, user, task.id, 'submit', undefined, draft);

    // then every problem is named in Chinese, on its field
    expect(res.statusCode, res.body).toBe(400);
    const fields = Object.fromEntries((res.json().details as Array<{ field: string; message: string }>).map((d) => [d.field, d.message]));
    expect(fields['data.achievements.0.number']).toBe('业绩成果 第1项（论文）：刊号必填');
    expect(fields['data.materials']).toBe('申报材料附件：请上传“学历证书”');
    // and the draft still holds the file, which is not yet part of any case
    expect((await declaration(user, dossierId)).data.achievements).toEqual([expect.objectContaining({ files: [proof] })]);
    expect((await db.knex('files').where({ id: proof.id }).first()).root_instance_id).toBeNull();

    // when completed and submitted again with the same upload
    const diploma = await uploadPdf(t, user, '学历证书.pdf');
    const full = { ...draft, achievements: [{ ...paper, files: [proof] }], materials: [{ name: '学历证书', files: [diploma] }] };
    await completeOk(t, user, task.id, 'submit', undefined, full);

    // then it goes in and the files belong to the case
    expect((await db.knex('files').where({ id: proof.id }).first()).root_instance_id).toBe(instanceId);
    expect((await db.knex('dossiers').where({ id: dossierId }).first()).status).toBe('submitted');
  });

  it('checks the level and specialty the activity opens, an item’s templates, and 破格 against the activity', async () => {
    const user = await applicant();
    const { instanceId } = await started(user, await activity(demoCommitteeId, DEMANDING));
    const task = await taskOf(t, user, instanceId, 'submit');
    const diploma = await uploadPdf(t, user, '学历证书.pdf');
    const base = { ...VALID_DOSSIER, achievements: [paper], materials: [{ name: '学历证书', files: [diploma] }] };
    const problems = async (data: Record<string, unknown>) => {
      const res = await complete(t, user, task.id, 'submit', undefined, data);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json().details as Array<{ field: string; message: string }>).map((d) => d.message);
    };

    expect(await problems({ ...base, level: 'junior', specialty: '建筑工程' })).toEqual([
      '申报级别：本次评审活动未开设“初级”，可选：中级',
      '申报专业：本次评审活动未开设“建筑工程”专业，可选：机械工程、电气工程',
    ]);
    expect(await problems({ ...base, achievements: [{ ...paper, template: 'book' }] })).toContain('业绩成果 第1项：模板类别应为 论文、专利 之一');
    expect(await problems({ ...base, breakthrough: true })).toContain('破格申报理由：破格申报的须说明所依据的破格条件和理由');
    expect(await problems({ ...base, breakthrough: true, breakthroughReasons: [{ condition: '自编条件', reason: '理由' }] })).toContain(
      '破格申报理由 第1项 破格条件：应为 获省部级科技进步奖二等奖以上 之一',
    );
    expect(await problems({ ...base, breakthroughReasons: [{ condition: '获省部级科技进步奖二等奖以上', reason: '理由' }] })).toContain('破格申报理由：不是破格申报的，不填写破格申报理由');
    // a breakthrough application with a listed condition goes in
    await completeOk(t, user, task.id, 'submit', undefined, { ...base, breakthrough: true, breakthroughReasons: [{ condition: '获省部级科技进步奖二等奖以上', reason: '2024 年获四川省科技进步奖二等奖，排名第二' }] });
  });

  it('refuses 破格 where the activity does not review it', async () => {
    const user = await applicant();
    const { instanceId } = await started(user, 1);
    const res = await complete(t, user, (await taskOf(t, user, instanceId, 'submit')).id, 'submit', undefined, { ...VALID_DOSSIER, breakthrough: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toContainEqual({ field: 'data.breakthrough', message: '是否破格申报：本次评审活动不进行破格评议，不能破格申报' });
  });
});

describe('a draft saved while the dossier changes', () => {
  it('refuses a save that a submission overtook, and writes nothing', async () => {
    // given a draft, and a submission that has taken the dossier but not yet committed
    const user = await applicant();
    const { dossierId } = await started(user, await activity(demoCommitteeId));
    expect((await saveDraft(user, dossierId, { specialty: '机械工程' })).statusCode).toBe(200);
    const before = await db.knex('dossiers').where({ id: dossierId }).first('data', 'updated_at');
    const submission = await db.knex.transaction();
    try {
      await submission('dossiers').where({ id: dossierId }).update({ status: 'submitted' });

      // when the applicant saves the draft meanwhile, and the submission commits
      const saving = saveDraft(user, dossierId, { specialty: '电气工程' });
      await lockWaitOf(db.knex, 'update "dossiers"%');
      await submission.commit();
      const res = await saving;

      // then the save is refused, and the submitted declaration is the one saved before
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().message).toBe('申报材料已提交或状态已变化，现在不能修改，请刷新后重试');
    } finally {
      if (!submission.isCompleted()) await submission.rollback();
    }
    expect(await db.knex('dossiers').where({ id: dossierId }).first('data', 'updated_at')).toEqual(before);
  });
});

describe('我的申报', () => {
  it('lists each dossier with where it is, the last opinion and the deadline', async () => {
    // given an applicant with a draft, a submitted dossier and one returned with an opinion
    const user = await applicant(employerId, '钱多份');
    const draft = await started(user, await activity(demoCommitteeId));
    const submitted = await started(user, await activity(demoCommitteeId));
    await completeOk(t, user, (await taskOf(t, user, submitted.instanceId, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    const returned = await started(user, await activity(demoCommitteeId));
    await completeOk(t, user, (await taskOf(t, user, returned.instanceId, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', returned.instanceId, 'unit_review')).id, 'return', '请补充学历证书');
    const resubmit = await taskOf(t, user, returned.instanceId, 'resubmit');

    // when they open 我的申报
    const res = await t.request('GET', '/api/dossiers/mine', { user });

    // then each dossier says who holds it at which level, the last opinion and the deadline, newest first
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json() as Array<Record<string, unknown>>;
    expect(mine.map((d) => d.id)).toEqual([returned.dossierId, submitted.dossierId, draft.dossierId]);
    expect(mine[0]).toMatchObject({
      status: 'returned',
      statusLabel: '已退回待修改',
      instanceId: returned.instanceId,
      currentSteps: [{ taskId: resubmit.id, name: '修改并重新提交', unitId: null, unitName: null, level: '申报人', mine: true }],
      lastOpinion: { step: '申报单位审核', action: 'return', opinion: '请补充学历证书' },
      deadline: { label: '个人修改提交截止时间', at: '2026-04-11T09:00:00.000Z', passed: false },
    });
    expect(mine[0]?.submittedAt).toEqual(expect.any(String));
    expect(mine[1]).toMatchObject({
      status: 'submitted',
      statusLabel: '审核中',
      currentSteps: [{ unitId: employerId, unitName: '成都示范科技有限公司', level: '申报单位', mine: false }],
      lastOpinion: null,
      deadline: null,
    });
    expect(mine[2]).toMatchObject({
      status: 'draft',
      statusLabel: '待提交',
      submittedAt: null,
      currentSteps: [{ name: '提交申报材料', level: '申报人', mine: true }],
      lastOpinion: null,
      deadline: { label: '个人初次提交截止时间', at: '2026-04-01T09:00:00.000Z', passed: false },
    });
  });

  it('reads them in as many statements for three dossiers as for one', async () => {
    // given an applicant with one dossier and another with three, one of them on its way up the chain
    const single = await applicant();
    await started(single, await activity(demoCommitteeId));
    const many = await applicant();
    for (let i = 0; i < 3; i++) await started(many, await activity(demoCommitteeId));
    const moving = await started(many, await activity(demoCommitteeId));
    await completeOk(t, many, (await taskOf(t, many, moving.instanceId, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
    // both signed in already: the login is not part of the count
    for (const user of [single, many]) expect((await t.request('GET', '/api/dossiers/mine', { user })).statusCode).toBe(200);

    // when each opens 我的申报
    const one = await statementsOf(db.knex, () => t.request('GET', '/api/dossiers/mine', { user: single }));
    const four = await statementsOf(db.knex, () => t.request('GET', '/api/dossiers/mine', { user: many }));

    // then the number of statements does not grow with the dossiers: the list is one read
    expect(four).toHaveLength(one.length);
    expect(one.filter((sql) => /from "dossiers"/.test(sql))).toHaveLength(1);
  });
});

describe('deadlines on the applicant’s side', () => {
  it('after 个人初次提交截止时间 the portal offers no submit and saving and submitting are refused with the deadline', async () => {
    // given a dossier started in time
    const user = await applicant();
    const { instanceId, dossierId } = await started(user, await activity(demoCommitteeId));
    const task = await taskOf(t, user, instanceId, 'submit');

    // when the first deadline has passed
    t.clock.set('2026-04-01T17:00:01+08:00');
    try {
      // then there is no submit button, saving is refused, and so is the submission, with the time
      const view = await declaration(user, dossierId);
      expect(view).toMatchObject({ submitTaskId: null, editable: false, deadline: { label: '个人初次提交截止时间', passed: true } });
      const progress = (await t.request('GET', `/api/dossiers/${dossierId}`, { user })).json();
      expect(progress.submitTaskId).toBeNull();
      const save = await saveDraft(user, dossierId, VALID_DOSSIER);
      expect(save.statusCode).toBe(409);
      expect(save.json().message).toContain('个人初次提交截止时间为 2026-04-01 17:00，已经截止');
      const submit = await complete(t, user, task.id, 'submit', undefined, VALID_DOSSIER);
      expect(submit.statusCode).toBe(409);
      expect(submit.json().message).toContain('个人初次提交截止时间为 2026-04-01 17:00，已经截止');
    } finally {
      t.clock.set(START);
    }
  });
});

describe('where the dossier is', () => {
  let user: string;
  let instanceId: string;
  let dossierId: number;

  beforeAll(async () => {
    user = await applicant(employerId, '赵申报');
    ({ instanceId, dossierId } = await started(user, await activity(demoCommitteeId)));
    await completeOk(t, user, (await taskOf(t, user, instanceId, 'submit')).id, 'submit', undefined, VALID_DOSSIER);
  });

  it('names the unit and level holding it', async () => {
    const res = await t.request('GET', `/api/dossiers/${dossierId}`, { user });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ status: 'submitted', statusLabel: '审核中', applicantName: '赵申报', submitTaskId: null, defects: null });
    expect(view.holders).toEqual([expect.objectContaining({ unitName: '成都示范科技有限公司', level: '申报单位', mine: false })]);
    expect(view.opinions).toEqual([expect.objectContaining({ level: '申报人', action: 'submit', actionLabel: '提交' })]);
  });

  it('after a return lists every defect at once and offers the resubmission until the revision deadline', async () => {
    // when the employer returns it with several problems
    const unitTask = await taskOf(t, 'kj_hr', instanceId, 'unit_review');
    await completeOk(t, 'kj_hr', unitTask.id, 'return', '1. 缺少学历证书扫描件\n2. 继续教育学时证明不全；3. 工作总结过于简略');

    // then the applicant sees the returning step, each defect, and the revision deadline
    const view = (await t.request('GET', `/api/dossiers/${dossierId}`, { user })).json();
    expect(view.status).toBe('returned');
    expect(view.defects).toMatchObject({ level: '申报单位', unitName: '成都示范科技有限公司', items: ['缺少学历证书扫描件', '继续教育学时证明不全', '工作总结过于简略'] });
    expect(view.opinions.map((o: { actionLabel: string }) => o.actionLabel)).toEqual(['提交', '退回']);
    expect(view.holders).toEqual([expect.objectContaining({ level: '申报人', mine: true })]);
    expect(view.deadline).toMatchObject({ label: '个人修改提交截止时间', passed: false });
    expect(view.submitTaskId).toBe(view.holders[0].taskId);
    // and 我的申报 says the same
    const mine = (await t.request('GET', '/api/dossiers/mine', { user })).json() as Array<{ id: number; deadline: { label: string } | null }>;
    expect(mine.find((d) => d.id === dossierId)?.deadline?.label).toBe('个人修改提交截止时间');
  });

  it('is readable by the applicant and the units on its chain, not by another applicant of the same unit', async () => {
    expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user: 'kj_hr' })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/dossiers/${dossierId}`, { user: 'lina' })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/dossiers/${dossierId}/review-form.pdf`, { user: 'lina' })).statusCode).toBe(404);
  });

  it('prints the 评审表 as a PDF with the applicant’s name and the opinions', async () => {
    for (const reader of [user, 'kj_hr']) {
      const res = await t.request('GET', `/api/dossiers/${dossierId}/review-form.pdf`, { user: reader });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const text = pdfText(res.rawPayload);
      expect(text).toContain('专业技术职务任职资格评审表');
      expect(text).toContain('赵申报');
      expect(text).toContain('成都示范科技有限公司');
      expect(text).toContain('缺少学历证书扫描件');
    }
  });
});
