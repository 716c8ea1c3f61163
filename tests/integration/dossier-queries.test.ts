import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';

/**
 * 申报材料综合查询 and 评审人员统计: the organiser's counts over a known fixture (a dossier
 * through the flow plus dossiers written with SQL), filters, paging, the Excel export, scope, and
 * a forwarding unit's change of 评价方式 recorded in history.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const ctx: Record<string, number | string> = {};

const q = (filter: Record<string, unknown>, extra = '') => `?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  const k = db.knex;
  const committee = await k('committees').first();
  const activity = await k('activities').where({ committee_id: committee.id }).first();
  ctx.committee = Number(committee.id);
  ctx.activity = Number(activity.id);
  // the activity opens the committee's two levels
  await k('activities').where({ id: activity.id }).update({ levels: ['intermediate', 'junior'] });
  // through the flow: 张伟 submits, his employer passes him on to the competent department
  ctx.instance = await submitDossier(t, 'zhangwei');
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', String(ctx.instance), 'unit_review')).id);
  ctx.flowDossier = Number((await k('dossiers').where({ instance_id: ctx.instance }).first()).id);

  // an employer in 锦江区 (a county of 成都市) beside the demo one in 市本级
  const county = await k('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first();
  const [jinjiang] = await k('units')
    .insert({ parent_id: county.id, name: '锦江示范医院', unit_type: 'employer', admin_level: 'county', region_code: '510104', path: '/', status: 'active' })
    .returning('id');
  await k('units').where({ id: jinjiang.id }).update({ path: `${county.path}${jinjiang.id}/` });
  const employer = await k('units').where({ name: '成都示范科技有限公司' }).first();

  const applicant = async (name: string, unitId: number) => {
    const [row] = await k('users').insert({ username: `fx_${name}`, password_hash: 'x', display_name: name, unit_id: unitId, roles: ['applicant'] }).returning('id');
    return Number(row.id);
  };
  const at = new Date('2026-03-02T02:00:00Z');
  const dossier = async (name: string, unitId: number, status: string, data: Record<string, unknown>, activityId = ctx.activity) =>
    k('dossiers').insert({
      activity_id: activityId,
      applicant_id: await applicant(name, unitId),
      year: 2026,
      status,
      data: JSON.stringify(data),
      submitted_at: status === 'draft' ? null : at,
      created_at: at,
      updated_at: at,
    });
  const mech = { series: 'engineering', level: 'intermediate', specialty: '机械工程' };
  await dossier('王审核中', Number(employer.id), 'submitted', mech);
  await dossier('赵已接收', Number(employer.id), 'received', { ...mech, specialty: '电气工程' });
  await dossier('钱已通过', Number(employer.id), 'passed', mech);
  await dossier('孙已退回', Number(jinjiang.id), 'returned', { series: 'engineering', level: 'junior', specialty: '建筑工程' });
  await dossier('周不通过', Number(jinjiang.id), 'rejected', { series: 'engineering', level: 'junior', specialty: '建筑工程' });
  await dossier('吴草稿', Number(employer.id), 'draft', {});

  // a committee of the province with a dossier of its own: never in 成都's figures
  const province = await k('units').where({ name: '四川省人力资源和社会保障厅' }).first();
  const [other] = await k('committees').insert({ name: '四川省卫生系列高级职称评审委员会', organizer_unit_id: province.id, series: 'health', admin_level: 'province' }).returning('id');
  const [otherActivity] = await k('activities')
    .insert({ name: '省卫生高评', year: 2026, committee_unit_id: province.id, committee_id: other.id, status: 'published', kind: 'special' })
    .returning('id');
  ctx.otherCommittee = Number(other.id);
  await dossier('郑省级', Number(employer.id), 'submitted', { series: 'health', level: 'senior_deputy', specialty: '内科' }, Number(otherActivity.id));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('申报材料综合查询', () => {
  it('counts declared, received and passed per committee the caller’s unit organises', async () => {
    // when
    const res = await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' });
    // then
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({ declared: 6, reviewing: 2, returned: 1, rejected: 1, received: 2, passed: 1 });
    expect(body.committees).toEqual([{ id: ctx.committee, committeeName: '成都市工程技术系列中级职称评审委员会', declared: 6, reviewing: 2, returned: 1, rejected: 1, received: 2, passed: 1 }]);
  });

  it('filters by level, specialty, series and activity', async () => {
    const junior = (await t.request('GET', `/api/dossier-queries/summary${q({ level: 'junior' })}`, { user: 'cd_pw' })).json();
    expect(junior.totals).toMatchObject({ declared: 2, returned: 1, rejected: 1, received: 0 });
    const electrical = (await t.request('GET', `/api/dossier-queries/summary${q({ specialty: '电气' })}`, { user: 'cd_pw' })).json();
    expect(electrical.totals).toMatchObject({ declared: 1, received: 1 });
    const health = (await t.request('GET', `/api/dossier-queries/summary${q({ series: 'health' })}`, { user: 'cd_pw' })).json();
    expect(health.totals.declared).toBe(0);
    const byActivity = (await t.request('GET', `/api/dossier-queries/summary${q({ activityId: ctx.activity })}`, { user: 'cd_pw' })).json();
    expect(byActivity.totals.declared).toBe(6);
  });

  it('filters by region along the region tree (a city includes its counties)', async () => {
    const city = (await t.request('GET', `/api/dossier-queries/summary${q({ regionCode: '510100' })}`, { user: 'cd_pw' })).json();
    expect(city.totals.declared).toBe(6);
    const county = (await t.request('GET', `/api/dossier-queries/summary${q({ regionCode: '510104' })}`, { user: 'cd_pw' })).json();
    expect(county.totals.declared).toBe(2);
    const elsewhere = (await t.request('GET', `/api/dossier-queries/summary${q({ regionCode: '510300' })}`, { user: 'cd_pw' })).json();
    expect(elsewhere.totals.declared).toBe(0);
    const bad = await t.request('GET', `/api/dossier-queries/summary${q({ regionCode: '999999' })}`, { user: 'cd_pw' });
    expect(bad.statusCode).toBe(400);
  });

  it('lists the dossiers behind the counts, paged on the server with Content-Range', async () => {
    // when
    const first = await t.request('GET', `/api/dossier-queries${q({}, '&range=[0,1]&sort=["applicantName","ASC"]')}`, { user: 'cd_pw' });
    const rest = await t.request('GET', `/api/dossier-queries${q({}, '&range=[2,9]&sort=["applicantName","ASC"]')}`, { user: 'cd_pw' });
    // then
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-range']).toBe('dossier-queries 0-1/6');
    expect(rest.headers['content-range']).toBe('dossier-queries 2-5/6');
    const names = [...first.json(), ...rest.json()].map((r: { applicantName: string }) => r.applicantName);
    expect(new Set(names)).toEqual(new Set(['张伟', '王审核中', '赵已接收', '钱已通过', '孙已退回', '周不通过']));
    const received = (await t.request('GET', `/api/dossier-queries${q({ status: 'received' })}`, { user: 'cd_pw' })).json();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ applicantName: '赵已接收', seriesName: '工程技术', levelName: '中级', specialty: '电气工程', regionCode: '510100', evaluationMethodName: '正常申报', statusName: '评委会已接收' });
  });

  it('exports the filtered dossiers to Excel', async () => {
    // when
    const res = await t.request('GET', `/api/dossier-queries/export${q({ regionCode: '510104' })}`, { user: 'cd_pw' });
    // then
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(1).getCell(2).value).toBe('姓名');
    const names = [sheet.getRow(2).getCell(2).value, sheet.getRow(3).getCell(2).value];
    expect(new Set(names)).toEqual(new Set(['孙已退回', '周不通过']));
    expect(sheet.getRow(2).getCell(9).value).toBe('初级');
  });

  it('counts a dossier delegated to another committee (委托评审) at that committee', async (ctx2) => {
    if (!(await db.knex.schema.hasColumn('dossiers', 'delegated_committee_id'))) return ctx2.skip();
    // given 孙已退回 delegated to the province's committee
    const row = await db.knex('dossiers as d').join('users as u', 'u.id', 'd.applicant_id').where('u.display_name', '孙已退回').first('d.id');
    await db.knex('dossiers').where({ id: row.id }).update({ delegated_committee_id: ctx.otherCommittee });
    // then it leaves 成都's figures and joins the province's, and back when the delegation is withdrawn
    expect((await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' })).json().totals).toMatchObject({ declared: 5, returned: 0 });
    expect((await t.request('GET', '/api/dossier-queries/summary', { user: 'sc_hr' })).json().totals).toMatchObject({ declared: 2, returned: 1 });
    await db.knex('dossiers').where({ id: row.id }).update({ delegated_committee_id: null });
    expect((await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' })).json().totals).toMatchObject({ declared: 6, returned: 1 });
  });

  it('keeps to the committees of the caller’s unit', async () => {
    // a county bureau organises no committee: nothing to count, and 成都's committee is refused
    const county = await t.request('GET', '/api/dossier-queries/summary', { user: 'jj_hr' });
    expect(county.statusCode, county.body).toBe(200);
    expect(county.json()).toEqual({ totals: { declared: 0, reviewing: 0, returned: 0, rejected: 0, received: 0, passed: 0 }, committees: [] });
    expect((await t.request('GET', `/api/dossier-queries${q({ committeeId: ctx.committee })}`, { user: 'jj_hr' })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/dossier-queries/summary${q({ committeeId: ctx.otherCommittee })}`, { user: 'cd_pw' })).statusCode).toBe(403);
    // the province sees its own committee only
    const province = (await t.request('GET', '/api/dossier-queries/summary', { user: 'sc_hr' })).json();
    expect(province.totals.declared).toBe(1);
    // without the permission: an employer's clerk, an applicant
    expect((await t.request('GET', '/api/dossier-queries/summary', { user: 'kj_hr' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/dossier-queries', { user: 'zhangwei' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/dossier-queries/export', { user: 'zhangwei' })).statusCode).toBe(403);
  });
});

describe('评审人员统计', () => {
  it('lists the dossiers the caller’s unit passed on', async () => {
    const res = await t.request('GET', '/api/forwarded-dossiers', { user: 'kj_hr' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().map((r: { id: number }) => r.id)).toEqual([ctx.flowDossier]);
    expect(res.headers['content-range']).toBe('forwarded-dossiers 0-0/1');
    // the department has not passed it on yet
    expect((await t.request('GET', '/api/forwarded-dossiers', { user: 'cd_jxj' })).json()).toEqual([]);
  });

  it('changes 评价方式 and 层级 and records who changed what', async () => {
    // when
    const res = await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, {
      user: 'kj_hr',
      body: { evaluationMethod: 'breakthrough', level: 'junior', reason: '符合破格条件' },
    });
    // then
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ evaluationMethod: 'breakthrough', evaluationMethodName: '破格申报', level: 'junior', levelName: '初级' });
    const row = await db.knex('dossiers').where({ id: ctx.flowDossier }).first();
    expect(row).toMatchObject({ evaluation_method: 'breakthrough', level: 'junior' });
    expect(row.data).toMatchObject({ level: 'junior', evaluationMethod: 'breakthrough', specialty: '机械工程' });
    const changes = (await t.request('GET', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'kj_hr' })).json();
    expect(changes).toEqual([
      expect.objectContaining({
        unitName: '成都示范科技有限公司',
        actorName: '示范科技经办人',
        before: { evaluationMethod: 'normal', evaluationMethodName: '正常申报', level: 'intermediate', levelName: '中级' },
        after: { evaluationMethod: 'breakthrough', evaluationMethodName: '破格申报', level: 'junior', levelName: '初级' },
        reason: '符合破格条件',
      }),
    ]);
    const history = await db.knex('history_events').where({ root_instance_id: ctx.instance, type: 'dossier.change' });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actor_name: '示范科技经办人', opinion: '符合破格条件' });
    // the organiser sees the new figures and the record
    const filtered = (await t.request('GET', `/api/dossier-queries${q({ evaluationMethod: 'breakthrough' })}`, { user: 'cd_pw' })).json();
    expect(filtered.map((r: { id: number }) => r.id)).toEqual([ctx.flowDossier]);
    expect((await t.request('GET', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'cd_pw' })).statusCode).toBe(200);
  });

  it('keeps the record append-only', async () => {
    await expect(db.knex('dossier_changes').update({ reason: '改写' })).rejects.toThrow(/append-only/);
    await expect(db.knex('dossier_changes').del()).rejects.toThrow(/append-only/);
  });

  it('refuses a unit that did not pass the dossier on, a level the activity does not open, and no change at all', async () => {
    const body = { evaluationMethod: 'transfer' };
    // a county bureau off the chain (to whom the dossier does not exist); the department on the chain that has not passed it yet
    expect((await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'jj_hr', body })).statusCode).toBe(404);
    expect((await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'cd_jxj', body })).statusCode).toBe(403);
    expect((await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'zhangwei', body })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'jj_hr' })).statusCode).toBe(404);
    const closed = await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'kj_hr', body: { level: 'senior_full' } });
    expect(closed.statusCode).toBe(400);
    expect(closed.json().message).toContain('未开设');
    const same = await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'kj_hr', body: { evaluationMethod: 'breakthrough' } });
    expect(same.statusCode).toBe(400);
    expect((await t.request('POST', `/api/forwarded-dossiers/${ctx.flowDossier}/changes`, { user: 'kj_hr', body: {} })).statusCode).toBe(400);
    const [row] = await db.knex('dossier_changes').count<Array<{ n: number }>>({ n: '*' });
    expect(Number(row?.n)).toBe(1);
  });
});
