import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMeetingDemoData } from '../../api/src/demo.ts';
import { createMeetingFlow } from '../../api/modules/meetings/meetings.flow.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { upload, uploadPdf } from '../helpers/files.ts';
import { complete, completeOk } from '../helpers/flow.ts';
import { addConfirmedExperts, addCountyClerk, addReceivedDossiers, ballotStandIn, OTHER_PARTS, setActivityOptions } from '../helpers/meeting-fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let meetingId: number;
let instanceId: string;
let dossiers: number[];
let experts: Awaited<ReturnType<typeof addConfirmedExperts>>;
let county: { username: string; committeeId: number };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  db = await createTestDatabase();
  // the draw's and the vote's steps are stood in for (confirmed experts with credentials)
  t = await startTestApp(db, { demo: true, withoutModules: OTHER_PARTS, extraModules: [ballotStandIn()] });
  await setActivityOptions(db.knex, { panels: true, panelMethod: 'vote' });
  dossiers = await addReceivedDossiers(db.knex, [{ name: '王一' }, { name: '王二' }, { name: '王三', specialty: '电气工程' }]);
  county = await addCountyClerk(db.knex);
  const res = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind: 'normal', name: '2026年度普通评审会议', startsAt: '2026-06-01T09:00:00+08:00', location: '第一会议室' } });
  expect(res.statusCode, res.body).toBe(201);
  ({ id: meetingId, instanceId } = res.json() as { id: number; instanceId: string });
  experts = await addConfirmedExperts(db.knex, meetingId, 3);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const openTask = async (elementId: string) => {
  const row = await db.knex('tasks').where({ root_instance_id: instanceId, element_id: elementId, status: 'open' }).first('id');
  expect(row, `the meeting should wait at ${elementId}`).toBeDefined();
  return String(row.id);
};
const detail = async (user = 'cd_pw') => (await t.request('GET', `/api/meetings/${meetingId}`, { user })).json() as {
  access: string;
  assignmentOpen: boolean;
  steps: Array<{ elementId: string; state: string; page: string | null; taskIds: string[] }>;
  panels: Array<{ id: number }>;
};
/** The meeting's candidates in their order (the list is paged: one page of 500 holds them all). */
const candidates = async (user = 'cd_pw', query = '') =>
  ((await t.request('GET', `/api/meetings/${meetingId}/candidates?pageSize=500${query}`, { user })).json() as {
    total: number;
    candidates: Array<{ dossierId: number; orderNo: number; name: string; mainExpertId: number | null; assistantExpertIds: number[] }>;
  }).candidates;

/** Every route of one meeting, with a body that passes validation (so only scope can refuse). */
const meetingRoutes = (): Array<[string, string, unknown?]> => [
  ['GET', `/api/meetings/${meetingId}`],
  ['GET', `/api/meetings/${meetingId}/candidates`],
  ['POST', `/api/meetings/${meetingId}/panels`, { name: '外组' }],
  ['PUT', `/api/meetings/${meetingId}/panels/1`, { name: '外组' }],
  ['DELETE', `/api/meetings/${meetingId}/panels/1`],
  ['PUT', `/api/meetings/${meetingId}/panel-members`, { expertIds: [experts[0]!.expertId], panelId: null }],
  ['PUT', `/api/meetings/${meetingId}/panels/1/leader`, { expertId: experts[0]!.expertId }],
  ['PUT', `/api/meetings/${meetingId}/assignments`, { dossierIds: [dossiers[0]], mainExpertId: experts[0]!.expertId }],
  ['GET', `/api/meetings/${meetingId}/order-template`],
  ['POST', `/api/meetings/${meetingId}/order-import`, { fileId: '00000000-0000-4000-8000-000000000000' }],
  ['GET', `/api/meetings/${meetingId}/supervisor-options`],
  ['PUT', `/api/meetings/${meetingId}/plan`, { supervisorCommitteeId: null, materials: [], version: 1 }],
  ['GET', `/api/meetings/${meetingId}/exports/roster`],
  ['GET', `/api/meetings/${meetingId}/exports/summary`],
  ['GET', `/api/meetings/${meetingId}/exports/experts`],
];

describe('scope: the organiser manages, the supervising committee reads, everyone else learns nothing', () => {
  it('a clerk of another committee gets 403 on every meeting route and does not see it in lists', async () => {
    // given the county's committee clerk (holds 评审会议管理, organises another committee)
    // when they call every route of the city's meeting
    const answers = [];
    for (const [method, url, body] of meetingRoutes()) answers.push(`${method} ${url.replace(String(meetingId), ':id')} ${(await t.request(method, url, { user: county.username, body })).statusCode}`);
    // then each answers 403
    expect(answers).toEqual(meetingRoutes().map(([method, url]) => `${method} ${url.replace(String(meetingId), ':id')} 403`));
    // and they can neither list it nor create a meeting for the city's activity
    expect((await t.request('GET', '/api/meetings', { user: county.username })).json()).toEqual([]);
    const create = await t.request('POST', '/api/meetings', { user: county.username, body: { activityId: 1, kind: 'normal', name: '越权会议', startsAt: '2026-06-01T09:00:00+08:00', location: '某地' } });
    expect(create.statusCode).toBe(404);
  });

  it('the supervising committee reads the meeting and its exports, but cannot change anything', async () => {
    // given the organiser names the county's committee as 监督评委会
    const version = (await t.request('GET', `/api/meetings/${meetingId}`, { user: 'cd_pw' })).json().version as number;
    const plan = await t.request('PUT', `/api/meetings/${meetingId}/plan`, { user: 'cd_pw', body: { supervisorCommitteeId: county.committeeId, materials: [], version } });
    expect(plan.statusCode, plan.body).toBe(200);
    // when the county clerk reads it
    const read = await detail(county.username);
    // then they see it read-only, with the exports, and find it in their list
    expect(read.access).toBe('read');
    expect(((await t.request('GET', '/api/meetings', { user: county.username })).json() as Array<{ id: number }>).map((m) => m.id)).toEqual([meetingId]);
    expect((await t.request('GET', `/api/meetings/${meetingId}/exports/roster`, { user: county.username })).statusCode).toBe(200);
    // and every change is refused as if the meeting did not exist
    const writes = meetingRoutes().filter(([method]) => method !== 'GET');
    const answers = [];
    for (const [method, url, body] of writes) answers.push((await t.request(method, url, { user: county.username, body })).statusCode);
    expect(answers).toEqual(writes.map(() => 403));
  });

  it('评审方案 refuses the meeting\'s own committee as supervisor, naming the field', async () => {
    // given the organiser's own committee
    const m = (await t.request('GET', `/api/meetings/${meetingId}`, { user: 'cd_pw' })).json() as { committeeId: number; version: number };
    // when it is chosen as 监督评委会
    const res = await t.request('PUT', `/api/meetings/${meetingId}/plan`, { user: 'cd_pw', body: { supervisorCommitteeId: m.committeeId, materials: [], version: m.version } });
    // then 400 names supervisorCommitteeId
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'supervisorCommitteeId', message: '监督评委会不能是本评委会' }]);
  });
});

describe('评审方案: review materials', () => {
  it('the organiser attaches its own uploads; another unit\'s upload is refused', async () => {
    // given a PDF uploaded by the organiser's clerk and one by the county's clerk
    const own = await uploadPdf(t, 'cd_pw', '评审工作方案.pdf');
    const foreign = await uploadPdf(t, county.username, '外单位材料.pdf');
    const version = () => t.request('GET', `/api/meetings/${meetingId}`, { user: 'cd_pw' }).then((r) => r.json().version as number);
    // when the organiser attaches each
    const refused = await t.request('PUT', `/api/meetings/${meetingId}/plan`, { user: 'cd_pw', body: { supervisorCommitteeId: county.committeeId, materials: [foreign], version: await version() } });
    const saved = await t.request('PUT', `/api/meetings/${meetingId}/plan`, { user: 'cd_pw', body: { supervisorCommitteeId: county.committeeId, materials: [own], version: await version() } });
    // then the foreign one is refused and the own one is on the meeting, readable by the supervisor
    expect(refused.statusCode).toBe(403);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await t.request('GET', `/api/meetings/${meetingId}`, { user: county.username })).json().materials).toEqual([{ id: own.id, name: '评审工作方案.pdf', size: own.size, mime: 'application/pdf' }]);
  });

  it('a plan saved on a stale version is refused with 409', async () => {
    // given the version read before someone else saved
    const stale = (await t.request('GET', `/api/meetings/${meetingId}`, { user: 'cd_pw' })).json().version as number;
    await t.request('PUT', `/api/meetings/${meetingId}/plan`, { user: 'cd_pw', body: { supervisorCommitteeId: county.committeeId, materials: [], version: stale } });
    // when the plan is saved again on that version
    const res = await t.request('PUT', `/api/meetings/${meetingId}/plan`, { user: 'cd_pw', body: { supervisorCommitteeId: null, materials: [], version: stale } });
    // then 409
    expect(res.statusCode).toBe(409);
  });
});

describe('人员分配: order by importing the reorder template, 主审 and 辅审 until voting opens', () => {
  async function workbookWith(orders: Array<[number, number | string]>) {
    const template = await t.request('GET', `/api/meetings/${meetingId}/order-template`, { user: 'cd_pw' });
    expect(template.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const found = orders.find(([dossierId]) => dossierId === Number(row.getCell(1).value));
      if (found) row.getCell(2).value = found[1];
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
  async function importOrder(content: Buffer) {
    const up = await upload(t, 'cd_pw', [{ name: '顺序.xlsx', type: XLSX, content }]);
    expect(up.statusCode, up.body).toBe(201);
    const [file] = up.json() as Array<{ id: string }>;
    return t.request('POST', `/api/meetings/${meetingId}/order-import`, { user: 'cd_pw', body: { fileId: file!.id } });
  }

  it('the template is pre-filled with the candidates in their order', async () => {
    // given the meeting's three candidates in receipt order
    // when the clerk downloads the reorder template
    const template = await t.request('GET', `/api/meetings/${meetingId}/order-template`, { user: 'cd_pw' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1, 4)));
    // then it lists them with 申报编号, 顺序 and 姓名
    expect(rows).toEqual([
      ['申报编号', '顺序', '姓名'],
      [dossiers[0], 1, '王一'],
      [dossiers[1], 2, '王二'],
      [dossiers[2], 3, '王三'],
    ]);
  });

  it('an import with a bad and a repeated 顺序 is refused cell by cell, nothing changes', async () => {
    // given a template where 王一's order is text and 王三 repeats 王二's order
    const content = await workbookWith([
      [dossiers[0]!, '第一'],
      [dossiers[2]!, 2],
    ]);
    // when it is imported
    const res = await importOrder(content);
    // then each wrong cell is named by row and column
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().details).toEqual([
      { field: '第2行.顺序', row: 2, column: 'B', message: '第 2 行“顺序”应为正整数' },
      { field: '第4行.顺序', row: 4, column: 'B', message: '第 4 行“顺序”2 与第 3 行重复' },
    ]);
    expect((await candidates()).map((c) => c.name)).toEqual(['王一', '王二', '王三']);
  });

  it('a good import reorders the candidates', async () => {
    // given the order reversed in the template
    const content = await workbookWith([
      [dossiers[0]!, 30],
      [dossiers[1]!, 20],
      [dossiers[2]!, 10],
    ]);
    // when it is imported
    const res = await importOrder(content);
    // then the candidates follow it, numbered from 1
    expect(res.statusCode, res.body).toBe(200);
    expect((await candidates()).map((c) => [c.name, c.orderNo])).toEqual([
      ['王三', 1],
      ['王二', 2],
      ['王一', 3],
    ]);
  });

  it('专家分组 is refused while a confirmed expert has no panel, naming the expert', async () => {
    // given the meeting at 专家分组 with one panel holding two of three experts
    await completeOk(t, 'cd_pw', await openTask('draw'), 'complete');
    await completeOk(t, 'cd_pw', await openTask('attendance'), 'complete');
    const panel = await t.request('POST', `/api/meetings/${meetingId}/panels`, { user: 'cd_pw', body: { name: '综合组', specialty: '机械工程' } });
    const panelId = (panel.json() as { id: number }).id;
    await t.request('PUT', `/api/meetings/${meetingId}/panel-members`, { user: 'cd_pw', body: { expertIds: [experts[0]!.expertId, experts[1]!.expertId], panelId } });
    await t.request('PUT', `/api/meetings/${meetingId}/panels/${panelId}/leader`, { user: 'cd_pw', body: { expertId: experts[0]!.expertId } });
    // when the clerk completes the step
    const refused = await complete(t, 'cd_pw', await openTask('panels'), 'complete');
    // then it is refused naming the expert without a panel
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('以下确认出席的专家尚未分组：' + (await db.knex('experts').where({ id: experts[2]!.expertId }).first('name')).name);
    // and with everyone in the panel it completes
    await t.request('PUT', `/api/meetings/${meetingId}/panel-members`, { user: 'cd_pw', body: { expertIds: [experts[2]!.expertId], panelId } });
    await completeOk(t, 'cd_pw', await openTask('panels'), 'complete');
  });

  it('人员分配 is refused while a candidate has no 主审; batch assignment sets 主审, 辅审 and panel', async () => {
    // given the meeting at 人员分配 and no assignment yet
    const refused = await complete(t, 'cd_pw', await openTask('assignment'), 'complete');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0].field).toBe('assignments');
    // when the clerk assigns all three at once
    const panelId = (await detail()).panels[0]!.id;
    const res = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, {
      user: 'cd_pw',
      body: { dossierIds: dossiers, mainExpertId: experts[0]!.expertId, assistantExpertIds: [experts[1]!.expertId, experts[2]!.expertId], panelId },
    });
    expect(res.statusCode, res.body).toBe(200);
    // then each candidate has them, and the step completes
    expect((await candidates()).map((c) => [c.mainExpertId, c.assistantExpertIds])).toEqual(dossiers.map(() => [experts[0]!.expertId, [experts[1]!.expertId, experts[2]!.expertId]]));
    await completeOk(t, 'cd_pw', await openTask('assignment'), 'complete');
  });

  it('an expert cannot be 主审 and 辅审 of the same candidate', async () => {
    // given the meeting before voting
    // when the same expert is named both
    const res = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, { user: 'cd_pw', body: { dossierIds: [dossiers[0]], mainExpertId: experts[0]!.expertId, assistantExpertIds: [experts[0]!.expertId] } });
    // then 400 names 辅审
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'assistantExpertIds', message: '辅审专家与主审专家重复' }]);
  });

  it('after voting opens, reassignment, regrouping and reordering are refused with 409', async () => {
    // given 开启专家投票 completed (every confirmed expert has a credential)
    await completeOk(t, 'cd_pw', await openTask('open_voting'), 'complete');
    expect((await detail()).assignmentOpen).toBe(false);
    // when the clerk reassigns, regroups or reorders
    const reassign = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, { user: 'cd_pw', body: { dossierIds: [dossiers[0]], mainExpertId: experts[1]!.expertId } });
    const regroup = await t.request('POST', `/api/meetings/${meetingId}/panels`, { user: 'cd_pw', body: { name: '新组' } });
    const reorder = await importOrder(await workbookWith([]));
    // then each is refused
    expect([reassign.statusCode, regroup.statusCode, reorder.statusCode]).toEqual([409, 409, 409]);
    expect(reassign.json().message).toBe('专家投票已开启，不能再调整分组和分配');
    // and the assignment is what it was
    expect((await candidates()).every((c) => c.mainExpertId === experts[0]!.expertId)).toBe(true);
  });

  it('the meeting page shows the steps from the case: done, open with its page, skipped', async () => {
    // given the meeting at the panel ballots
    // when the clerk opens it
    const steps = (await detail()).steps;
    // then the exam and defense are skipped, 人员分配 done, the panel ballots open on the expert page
    expect(steps.map((s) => [s.elementId, s.state])).toEqual([
      ['exam', 'skipped'],
      ['defense', 'skipped'],
      ['draw', 'done'],
      ['attendance', 'done'],
      ['panels', 'done'],
      ['assignment', 'done'],
      ['open_voting', 'done'],
      ['panel_ballot', 'open'],
      ['panel_tally', 'pending'],
      ['plenary_ballot', 'pending'],
      ['plenary_tally', 'pending'],
    ]);
    expect(steps.find((s) => s.elementId === 'panel_ballot')?.taskIds).toHaveLength(3);
    expect(steps.find((s) => s.elementId === 'assignment')?.page).toBe(`/meetings/${meetingId}/assignment`);
  });
});

describe('exports', () => {
  it('报评人员名册, 申报人员汇总表 and 参评专家信息 are Excel workbooks with the meeting\'s rows', async () => {
    // given the meeting with three candidates and three experts
    const sheets: Record<string, unknown[][]> = {};
    for (const sheet of ['roster', 'summary', 'experts']) {
      // when each export is downloaded
      const res = await t.request('GET', `/api/meetings/${meetingId}/exports/${sheet}`, { user: 'cd_pw' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      sheets[sheet] = rows;
    }
    // then the roster lists the candidates in order, the summary their reviewers, the expert sheet the panel
    expect(sheets.roster!.map((r) => r[1])).toEqual(['姓名', '王三', '王二', '王一']);
    expect(sheets.summary![0]).toContain('主审专家');
    expect(sheets.summary![1]![15]).toBe((await db.knex('experts').where({ id: experts[0]!.expertId }).first('name')).name);
    expect(sheets.experts!.slice(1).map((r) => r[10])).toEqual(['综合组', '综合组', '综合组']);
  });
});

describe('demo data for trying a meeting', () => {
  it('adds received dossiers to the demo activity and experts to the demo committee\'s pool', async () => {
    // given the demo database
    const before = (await t.request('GET', '/api/meeting-activities', { user: 'cd_pw' })).json()[0] as { receivedNormal: number };
    const pool = await db.knex('experts').where({ status: 'in_pool' }).count<{ n: string }[]>({ n: '*' });
    // when the server's meeting demo data is loaded
    await loadMeetingDemoData(t.app, t.clock.now());
    // then the activity has four more received dossiers, and the pool six more experts
    const after = (await t.request('GET', '/api/meeting-activities', { user: 'cd_pw' })).json()[0] as { receivedNormal: number };
    expect(after.receivedNormal).toBe(before.receivedNormal + 4);
    const poolAfter = await db.knex('experts').where({ status: 'in_pool' }).count<{ n: string }[]>({ n: '*' });
    expect(Number(poolAfter[0]!.n)).toBe(Number(pool[0]!.n) + 6);
  });
});

describe('人员分配 of a normal meeting waits for the breakthrough meeting', () => {
  it('the check refuses while received 破格 dossiers have no closed breakthrough meeting', async () => {
    // given the activity now with 破格 and a received 破格 dossier, and no breakthrough meeting
    await setActivityOptions(db.knex, { panels: true, panelMethod: 'vote', breakthrough: true });
    await addReceivedDossiers(db.knex, [{ name: '破格丙', breakthrough: true }]);
    const check = createMeetingFlow(db.knex).checks['meeting-assignment'];
    const actor = { userId: 0, unitId: null, roles: [] } as never;
    // when the normal meeting's 人员分配 is checked
    const refused = check({ task: { businessKey: `meeting:${meetingId}` } as never, actor, action: 'complete', data: {} });
    // then it names the breakthrough meeting
    await expect(refused).rejects.toThrow('本活动有破格申报人员，须先完成破格评审会议，破格评审通过者再参加普通评审');
  });
});
