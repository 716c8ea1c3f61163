import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload } from '../helpers/files.ts';
import { submitDossier } from '../helpers/flow.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { meetingOptions } from '../../api/modules/meeting-prep/options.ts';
import { createPrepChecks, examResultsOf, flagObjection, meetingScoring } from '../../api/modules/meeting-prep/meeting-prep.service.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let meetingId: number;
let activityId: number;
const dossierOf = { zhangwei: 0, lina: 0 };
const ID = { zhangwei: '51010419900307231X', lina: '510107198806154823' };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbookRows(content: Buffer, sheetName: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet(sheetName)!;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return rows;
}

async function workbookOf(sheetName: string, header: string[], rows: Array<Array<string | number | null>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(sheetName);
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function uploadXlsx(user: string, content: Buffer, name = '导入.xlsx'): Promise<string> {
  const res = await upload(t, user, [{ name, type: XLSX, content }]);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as Array<{ id: string }>)[0]!.id;
}

const EXAM_HEADER = ['姓名', '证件号码', '工作单位', '笔试成绩', '是否合格'];
const DEFENSE_HEADER = ['姓名', '证件号码', '工作单位', '答辩日期', '答辩到会时间', '答辩地址', '答辩签到处', '答辩序号', '答辩会议室'];

async function checkImport(kind: 'exam' | 'defense', content: Buffer, user = 'cd_pw') {
  const fileId = await uploadXlsx(user, content);
  return t.request('POST', `/api/meetings/${meetingId}/${kind}/imports`, { user, body: { fileId } });
}

async function importOk(kind: 'exam' | 'defense', content: Buffer) {
  const checked = await checkImport(kind, content);
  expect(checked.statusCode, checked.body).toBe(201);
  expect(checked.json().badCount, JSON.stringify(checked.json().bad)).toBe(0);
  const confirmed = await t.request('POST', `/api/meetings/${meetingId}/${kind}/imports/${checked.json().id}/confirm`, { user: 'cd_pw' });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json() as { failedCount: number | null; notifiedCount: number | null };
}

const defenseRow = (who: 'zhangwei' | 'lina', overrides: Partial<Record<string, string | number>> = {}) => {
  const base: Record<string, string | number> = {
    name: who === 'zhangwei' ? '张伟' : '李娜',
    id: ID[who],
    employer: '成都示范科技有限公司',
    date: '2027-06-15',
    time: '08:30',
    address: '成都市青羊区人民中路 1 号',
    desk: '一楼大厅',
    order: who === 'zhangwei' ? 1 : 2,
    room: '301 会议室',
    ...overrides,
  };
  return [base.name!, base.id!, base.employer!, base.date!, base.time!, base.address!, base.desk!, base.order!, base.room!];
};

const messagesWith = (key: string) => db.knex('messages').where('dedupe_key', 'like', `${key}%`).orderBy('id');

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const now = t.clock.now();
  const activity = await db.knex('activities').first('id', 'committee_id');
  activityId = Number(activity.id);
  await db.knex('activities').where({ id: activityId }).update({ written_exam: 'all', defense: 'all', panels: true, panel_method: 'score', breakthrough: false });
  // two applicants' dossiers, submitted (their cases hold the review chain)
  for (const who of ['zhangwei', 'lina'] as const) {
    const instanceId = await submitDossier(t, who);
    dossierOf[who] = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
  }
  // the meeting of the activity, its candidates written directly (the meeting part fills them)
  const [meeting] = await db
    .knex('review_meetings')
    .insert({ activity_id: activityId, committee_id: activity.committee_id, kind: 'normal', name: '2026年度普通评审会议', created_at: now, updated_at: now })
    .returning('id');
  meetingId = Number(meeting.id);
  await db.knex('meeting_candidates').insert([
    { meeting_id: meetingId, dossier_id: dossierOf.zhangwei, order_no: 1, created_at: now },
    { meeting_id: meetingId, dossier_id: dossierOf.lina, order_no: 2, created_at: now },
  ]);
  // a committee clerk of the county bureau: 评审会议管理, but not for the city's committee
  const county = await db.knex('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first('id');
  await db.knex('users').insert({
    username: 'jj_pw',
    password_hash: await hashPassword(DEMO_PASSWORD),
    display_name: '锦江区评委会经办人',
    unit_id: county.id,
    roles: ['committee_clerk'],
    status: 'active',
    created_at: now,
    updated_at: now,
  });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('activity options', () => {
  it('answers the stored 笔试, 答辩, 专业组, 专业组评审方式 and 破格 as the meeting flow branches on them', async () => {
    // given the activity with an exam for all, a defense for all and scoring panels, no 破格
    // when the meeting part asks for its options
    const options = await meetingOptions(db.knex, activityId);
    // then each stored option is a fact
    expect(options).toMatchObject({ hasExam: true, hasDefense: true, hasPanels: true, panelMethod: 'score', hasBreakthrough: false });
  });

  it('has no panel method without panels', async () => {
    // given panels switched off while a method is still stored
    await db.knex('activities').where({ id: activityId }).update({ panels: false });
    try {
      // then there is no panel round to run a method in
      expect(await meetingOptions(db.knex, activityId)).toMatchObject({ hasPanels: false, panelMethod: null });
    } finally {
      await db.knex('activities').where({ id: activityId }).update({ panels: true });
    }
  });
});

describe('设置评分标准', () => {
  it('saves the items in order with their total, and the meeting shows the same standard', async () => {
    // when the clerk saves three scoring items
    const items = [
      { name: '业绩成果', maxPoints: 40, description: '代表性业绩的水平和作用' },
      { name: '专业能力', maxPoints: 35.5, description: null },
      { name: '答辩表现', maxPoints: 24.5, description: '答辩时的表达和回答' },
    ];
    const res = await t.request('PUT', `/api/activities/${activityId}/scoring`, { user: 'cd_pw', body: { items } });
    // then they come back in order, numbered, with the total
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: { name: string; orderNo: number }) => [i.name, i.orderNo])).toEqual([
      ['业绩成果', 1],
      ['专业能力', 2],
      ['答辩表现', 3],
    ]);
    expect(res.json().total).toBe(100);
    // and the meeting's read (staff route and the service the expert portal uses) shows the same
    const meeting = await t.request('GET', `/api/meetings/${meetingId}/scoring`, { user: 'cd_pw' });
    expect(meeting.statusCode).toBe(200);
    expect(meeting.json().total).toBe(100);
    expect((await meetingScoring(db.knex, meetingId)).items.map((i) => i.maxPoints)).toEqual([40, 35.5, 24.5]);
  });

  it('refuses a bad maximum with the field named', async () => {
    // when an item has no positive maximum
    const res = await t.request('PUT', `/api/activities/${activityId}/scoring`, { user: 'cd_pw', body: { items: [{ name: '业绩成果', maxPoints: 0 }] } });
    // then 400 names the item's field
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().details)).toContain('maxPoints');
    expect(res.json().message).toContain('满分应大于 0');
  });

  it('is refused to a clerk of another committee (the activity is not found, the meeting forbidden)', async () => {
    // when the county's committee clerk reads or writes the city committee's standard
    const read = await t.request('GET', `/api/activities/${activityId}/scoring`, { user: 'jj_pw' });
    const write = await t.request('PUT', `/api/activities/${activityId}/scoring`, { user: 'jj_pw', body: { items: [] } });
    const meeting = await t.request('GET', `/api/meetings/${meetingId}/scoring`, { user: 'jj_pw' });
    // then another unit's activity is not found, and the meeting route answers 403 as every meeting route does
    expect([read.statusCode, write.statusCode, meeting.statusCode]).toEqual([404, 404, 403]);
  });
});

describe('导入笔试成绩', () => {
  it('downloads a template pre-filled with the candidates', async () => {
    // when the clerk downloads the exam template
    const res = await t.request('GET', `/api/meetings/${meetingId}/exam/template`, { user: 'cd_pw' });
    // then it lists both candidates with name, ID number and employer, and empty result columns
    expect(res.statusCode).toBe(200);
    const rows = await workbookRows(res.rawPayload, '笔试成绩');
    expect(rows[0]).toEqual(EXAM_HEADER);
    expect(rows.slice(1)).toEqual([
      ['张伟', ID.zhangwei, '成都示范科技有限公司'],
      ['李娜', ID.lina, '成都示范科技有限公司'],
    ]);
  });

  it('lists an error per faulty cell: unknown ID number, bad score, missing pass/fail', async () => {
    // given a file with an unknown ID number, a score that is no number and a row without 是否合格
    const content = await workbookOf('笔试成绩', EXAM_HEADER, [
      ['王五', '510104199001010012', '某单位', 80, '合格'],
      ['张伟', ID.zhangwei, '成都示范科技有限公司', '八十', '合格'],
      ['李娜', ID.lina, '成都示范科技有限公司', 55, null],
    ]);
    // when the clerk checks it
    const res = await checkImport('exam', content);
    // then each bad cell is named with its column and reason, and nothing is importable
    expect(res.statusCode, res.body).toBe(201);
    const bad = res.json().bad as Array<{ row: number; errors: Array<{ column: string; message: string }> }>;
    expect(bad.map((b) => [b.row, b.errors.map((e) => e.column)])).toEqual([
      [2, ['证件号码']],
      [3, ['笔试成绩']],
      [4, ['是否合格']],
    ]);
    expect(bad[0]!.errors[0]!.message).toContain('不是本次评审会议的参评人员');
    expect(res.json().goodCount).toBe(0);
    // and it cannot be confirmed
    const confirm = await t.request('POST', `/api/meetings/${meetingId}/exam/imports/${res.json().id}/confirm`, { user: 'cd_pw' });
    expect(confirm.statusCode).toBe(400);
    // and the error workbook marks the cells red
    const errors = await t.request('GET', `/api/meetings/${meetingId}/exam/imports/${res.json().id}/errors`, { user: 'cd_pw' });
    expect(errors.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(errors.rawPayload as unknown as ArrayBuffer);
    const cell = wb.getWorksheet('笔试成绩')!.getRow(3).getCell(4);
    expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFF0000');
  });

  it('fails the candidates who failed the exam (round exam) and keeps those who passed', async () => {
    // given zhangwei passed and lina failed
    const content = await workbookOf('笔试成绩', EXAM_HEADER, [
      ['张伟', ID.zhangwei, '成都示范科技有限公司', 86.5, '合格'],
      ['李娜', ID.lina, '成都示范科技有限公司', 52, '不合格'],
    ]);
    // when the clerk imports and confirms
    const result = await importOk('exam', content);
    // then lina is failed at the exam round, zhangwei stays a candidate with the source unchanged
    expect(result.failedCount).toBe(1);
    const rows = await db.knex('meeting_candidates').where({ meeting_id: meetingId }).orderBy('order_no');
    expect(rows.map((r) => [r.status, r.result_round, r.source])).toEqual([
      ['candidate', null, 'received'],
      ['failed', 'exam', 'received'],
    ]);
    // and lina sees 笔试不通过 in 我的申报
    const mine = await t.request('GET', '/api/dossiers/mine/meeting-notices', { user: 'lina' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual([expect.objectContaining({ dossierId: dossierOf.lina, resultLabel: '笔试不通过', exam: { score: 52, passed: false, resultLabel: '不合格' } })]);
  });

  it('replaces the earlier results on a re-import before the step is done', async () => {
    // given lina failed by the first import; when a corrected file passes her
    const content = await workbookOf('笔试成绩', EXAM_HEADER, [
      ['张伟', ID.zhangwei, '成都示范科技有限公司', 86.5, '合格'],
      ['李娜', ID.lina, '成都示范科技有限公司', 62, '合格'],
    ]);
    const result = await importOk('exam', content);
    // then she is a candidate again, with the new score
    expect(result.failedCount).toBe(0);
    expect((await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierOf.lina }).first()).status).toBe('candidate');
    expect(Number((await db.knex('meeting_exam_results').where({ meeting_id: meetingId, dossier_id: dossierOf.lina }).first()).score)).toBe(62);
  });

  it('confirms a check once: a second confirmation is 409', async () => {
    // given a checked file
    const checked = await checkImport('exam', await workbookOf('笔试成绩', EXAM_HEADER, [
      ['张伟', ID.zhangwei, '成都示范科技有限公司', 86.5, '合格'],
      ['李娜', ID.lina, '成都示范科技有限公司', 62, '合格'],
    ]));
    const url = `/api/meetings/${meetingId}/exam/imports/${checked.json().id}/confirm`;
    // when it is confirmed twice
    const first = await t.request('POST', url, { user: 'cd_pw' });
    const second = await t.request('POST', url, { user: 'cd_pw' });
    // then only the first imports
    expect([first.statusCode, second.statusCode]).toEqual([200, 409]);
    // and the exam-result messages the meeting flow sends carry each candidate's result
    expect(await examResultsOf(db.knex, meetingId)).toEqual([
      { dossierId: dossierOf.zhangwei, correlationKey: `dossier:${dossierOf.zhangwei}`, examPassed: true, examScore: 86.5 },
      { dossierId: dossierOf.lina, correlationKey: `dossier:${dossierOf.lina}`, examPassed: true, examScore: 62 },
    ]);
  });

  it('refuses an exam import for an activity without 笔试 (409 naming it)', async () => {
    // given the activity does not organise a written exam
    await db.knex('activities').where({ id: activityId }).update({ written_exam: 'none' });
    try {
      // when the clerk downloads the template or checks a file
      const template = await t.request('GET', `/api/meetings/${meetingId}/exam/template`, { user: 'cd_pw' });
      const check = await checkImport('exam', await workbookOf('笔试成绩', EXAM_HEADER, [['张伟', ID.zhangwei, '', 80, '合格']]));
      // then both are 409 naming 笔试
      expect(template.statusCode).toBe(409);
      expect(check.statusCode).toBe(409);
      expect(check.json().message).toContain('未组织笔试');
    } finally {
      await db.knex('activities').where({ id: activityId }).update({ written_exam: 'all' });
    }
  });

  it('is forbidden to a clerk of another committee, before any state', async () => {
    // when the county's committee clerk downloads the template or checks a file for the city's meeting
    const template = await t.request('GET', `/api/meetings/${meetingId}/exam/template`, { user: 'jj_pw' });
    const fileId = await uploadXlsx('jj_pw', await workbookOf('笔试成绩', EXAM_HEADER, []));
    const check = await t.request('POST', `/api/meetings/${meetingId}/exam/imports`, { user: 'jj_pw', body: { fileId } });
    const prep = await t.request('GET', `/api/meetings/${meetingId}/preparation`, { user: 'jj_pw' });
    // then 403 each time
    expect([template.statusCode, check.statusCode, prep.statusCode]).toEqual([403, 403, 403]);
  });
});

describe('导入答辩安排', () => {
  it('downloads a template pre-filled with the remaining candidates', async () => {
    const res = await t.request('GET', `/api/meetings/${meetingId}/defense/template`, { user: 'cd_pw' });
    expect(res.statusCode).toBe(200);
    const rows = await workbookRows(res.rawPayload, '答辩安排');
    expect(rows[0]).toEqual(DEFENSE_HEADER);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['张伟', ID.zhangwei, '成都示范科技有限公司'],
      ['李娜', ID.lina, '成都示范科技有限公司'],
    ]);
  });

  it('lists an error per faulty cell (date, time, order, missing room)', async () => {
    // given a row with an impossible date, a bad time, a zero order and no room; and a blank row for lina (defense for all)
    const content = await workbookOf('答辩安排', DEFENSE_HEADER, [
      defenseRow('zhangwei', { date: '2027-02-30', time: '25:00', order: 0, room: '' }),
      ['李娜', ID.lina, '成都示范科技有限公司', null, null, null, null, null, null],
    ]);
    const res = await checkImport('defense', content);
    expect(res.statusCode, res.body).toBe(201);
    const bad = res.json().bad as Array<{ row: number; errors: Array<{ column: string }> }>;
    expect(bad[0]!.errors.map((e) => e.column)).toEqual(['答辩日期', '答辩到会时间', '答辩序号', '答辩会议室']);
    // a candidate left without an arrangement is an error when every candidate has a defense
    expect(bad[1]!.errors.map((e) => e.column)).toContain('答辩日期');
  });

  it('sends the notice once to each candidate and each unit of their chain; a re-import sends only what changed', async () => {
    // given both arrangements imported
    const first = await importOk('defense', await workbookOf('答辩安排', DEFENSE_HEADER, [defenseRow('zhangwei'), defenseRow('lina')]));
    // then each applicant and each unit on the chain (employer, department, bureau) got one message
    const chain = (await db.knex('dossiers as d').join('process_instances as i', 'i.id', 'd.instance_id').where('d.id', dossierOf.zhangwei).first('i.variables')).variables.chain;
    const chainUnits = [chain.employer, chain.department, chain.bureau].filter((u) => u != null).map(Number);
    expect(chainUnits.length).toBe(3);
    const sent = await messagesWith(`meeting-defense:${meetingId}:${dossierOf.zhangwei}:`);
    expect(sent.filter((m) => m.user_id != null).map((m) => Number(m.user_id))).toEqual([Number((await db.knex('users').where({ username: 'zhangwei' }).first('id')).id)]);
    expect(sent.filter((m) => m.user_id == null).map((m) => Number(m.unit_id)).sort()).toEqual([...chainUnits].sort());
    expect(first.notifiedCount).toBe(2 * (1 + chainUnits.length));
    // and the applicant sees the notice in 我的申报 and in messages; the other applicant does not see it
    const notices = await t.request('GET', `/api/dossiers/${dossierOf.zhangwei}/meeting-notices`, { user: 'zhangwei' });
    expect(notices.json()[0].defense).toMatchObject({ date: '2027-06-15', arrivalTime: '08:30', address: '成都市青羊区人民中路 1 号', signInDesk: '一楼大厅', orderNo: 1, room: '301 会议室' });
    const zhangweiMessages = await t.request('GET', '/api/messages', { user: 'zhangwei' });
    const linaMessages = await t.request('GET', '/api/messages', { user: 'lina' });
    expect(zhangweiMessages.json().map((m: { title: string }) => m.title)).toContain('答辩通知：张伟');
    expect(linaMessages.json().map((m: { title: string }) => m.title)).not.toContain('答辩通知：张伟');
    // and the employer's staff see it on the dossier
    const employer = await t.request('GET', `/api/dossiers/${dossierOf.zhangwei}/meeting-notices`, { user: 'kj_hr' });
    expect(employer.statusCode).toBe(200);

    // when the same file is imported again, and then one with zhangwei's room changed
    const same = await importOk('defense', await workbookOf('答辩安排', DEFENSE_HEADER, [defenseRow('zhangwei'), defenseRow('lina')]));
    expect(same.notifiedCount).toBe(0);
    const changed = await importOk('defense', await workbookOf('答辩安排', DEFENSE_HEADER, [defenseRow('zhangwei', { room: '402 会议室' }), defenseRow('lina')]));
    // then only zhangwei and his units get an updated notice
    expect(changed.notifiedCount).toBe(1 + chainUnits.length);
    const updates = await messagesWith(`meeting-defense:${meetingId}:${dossierOf.zhangwei}:v2`);
    expect(updates.map((m) => m.title)).toEqual(Array(1 + chainUnits.length).fill('答辩安排变更通知：张伟'));
    expect(updates[0].body).toContain('402 会议室');
    expect((await messagesWith(`meeting-defense:${meetingId}:${dossierOf.lina}:`)).length).toBe(1 + chainUnits.length);
  });

  it('does not let another applicant read the notice', async () => {
    const res = await t.request('GET', `/api/dossiers/${dossierOf.zhangwei}/meeting-notices`, { user: 'lina' });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a defense import for an activity without 答辩 (409 naming it)', async () => {
    await db.knex('activities').where({ id: activityId }).update({ defense: 'none' });
    try {
      const check = await checkImport('defense', await workbookOf('答辩安排', DEFENSE_HEADER, [defenseRow('zhangwei')]));
      expect(check.statusCode).toBe(409);
      expect(check.json().message).toContain('未组织面试答辩');
    } finally {
      await db.knex('activities').where({ id: activityId }).update({ defense: 'all' });
    }
  });
});

describe('the step checks', () => {
  it('passes 导入笔试成绩 and 导入答辩安排 only when every candidate has a result and an arrangement', async () => {
    // given the meeting runs in a flow instance
    const instanceId = '00000000-0000-4000-8000-000000000017';
    await db.knex('review_meetings').where({ id: meetingId }).update({ instance_id: instanceId });
    const checks = createPrepChecks(db.knex);
    const input = { task: { rootInstanceId: instanceId }, action: 'complete', data: {}, actor: {} } as unknown as Parameters<typeof checks.exam>[0];
    // then with every result and arrangement in, both pass
    await expect(checks.exam(input)).resolves.toBeUndefined();
    await expect(checks.defense(input)).resolves.toBeUndefined();
    // when lina's arrangement is missing, the defense step is refused naming her
    const saved = await db.knex('meeting_defense_arrangements').where({ meeting_id: meetingId, dossier_id: dossierOf.lina }).first();
    await db.knex('meeting_defense_arrangements').where({ meeting_id: meetingId, dossier_id: dossierOf.lina }).delete();
    await expect(checks.defense(input)).rejects.toThrow(/李娜尚无答辩安排/);
    await db.knex('meeting_defense_arrangements').insert(saved);
    // and when lina's exam result is missing, the exam step is refused naming her
    const result = await db.knex('meeting_exam_results').where({ meeting_id: meetingId, dossier_id: dossierOf.lina }).first();
    await db.knex('meeting_exam_results').where({ meeting_id: meetingId, dossier_id: dossierOf.lina }).delete();
    await expect(checks.exam(input)).rejects.toThrow(/李娜的笔试成绩/);
    await db.knex('meeting_exam_results').insert(result);
    await db.knex('review_meetings').where({ id: meetingId }).update({ instance_id: null });
  });
});

describe('公示有异议人员', () => {
  it('flags a candidate with a note and shows the flag in the candidate list; unflags it', async () => {
    // when the clerk flags lina
    const flag = await t.request('PUT', `/api/meetings/${meetingId}/objections/${dossierOf.lina}`, { user: 'cd_pw', body: { objection: true, note: '单位公示期间投诉经核实' } });
    expect(flag.statusCode, flag.body).toBe(200);
    // then the candidate list shows it
    const prep = await t.request('GET', `/api/meetings/${meetingId}/preparation`, { user: 'cd_pw' });
    expect(prep.json().candidates.map((c: { name: string; objection: boolean; objectionNote: string | null }) => [c.name, c.objection, c.objectionNote])).toEqual([
      ['张伟', false, null],
      ['李娜', true, '单位公示期间投诉经核实'],
    ]);
    // when unflagged, the note goes with it
    const unflag = await t.request('PUT', `/api/meetings/${meetingId}/objections/${dossierOf.lina}`, { user: 'cd_pw', body: { objection: false } });
    expect(unflag.json()).toMatchObject({ objection: false, objectionNote: null });
  });

  it('pages the candidates with the counts, and narrows them to the flagged and by the start of a name', async () => {
    // given lina flagged
    await t.request('PUT', `/api/meetings/${meetingId}/objections/${dossierOf.lina}`, { user: 'cd_pw', body: { objection: true, note: '单位公示期间投诉经核实' } });
    // when the clerk reads the second page of one, the flagged, and the names starting 张
    const read = async (query: string) => (await t.request('GET', `/api/meetings/${meetingId}/preparation?${query}`, { user: 'cd_pw' })).json() as { total: number; counts: { all: number; objection: number }; candidates: Array<{ name: string }> };
    const second = await read('page=2&pageSize=1');
    const flagged = await read('objection=true');
    const named = await read(`name=${encodeURIComponent('张')}`);
    // then each answers its part with the counts of the whole meeting
    expect([second.total, second.candidates.map((c) => c.name), second.counts]).toEqual([2, ['李娜'], { all: 2, objection: 1 }]);
    expect([flagged.total, flagged.candidates.map((c) => c.name)]).toEqual([1, ['李娜']]);
    expect(named.candidates.map((c) => c.name)).toEqual(['张伟']);
    expect((await t.request('GET', `/api/meetings/${meetingId}/preparation?objection=maybe`, { user: 'cd_pw' })).json().details[0].field).toBe('querystring.objection');
    await t.request('PUT', `/api/meetings/${meetingId}/objections/${dossierOf.lina}`, { user: 'cd_pw', body: { objection: false } });
  });

  it('needs a note to flag, and the complaint flow can flag through the service', async () => {
    const res = await t.request('PUT', `/api/meetings/${meetingId}/objections/${dossierOf.lina}`, { user: 'cd_pw', body: { objection: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('note');
    // the complaint flow (issue 18) calls the service directly
    await flagObjection(db.knex, meetingId, dossierOf.zhangwei, { objection: true, note: '投诉成立', by: null, at: t.clock.now() });
    expect((await db.knex('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierOf.zhangwei }).first()).objection).toBe(true);
  });

  it('is forbidden to a clerk of another committee', async () => {
    const res = await t.request('PUT', `/api/meetings/${meetingId}/objections/${dossierOf.lina}`, { user: 'jj_pw', body: { objection: true, note: 'x' } });
    expect(res.statusCode).toBe(403);
  });
});
