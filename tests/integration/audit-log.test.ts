import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { audit } from '../../api/src/audit.ts';

/**
 * 操作审计: administrative changes are written with before and after, and the administrators of
 * the province search, page and export them; an HR bureau's holders read their own subtree's only.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

interface EventJson {
  id: number;
  actorName: string;
  action: string;
  actionName: string;
  targetType: string;
  targetId: string;
  changes: Array<{ field: string; label: string; before: string | null; after: string | null; changed: boolean }>;
}

const list = async (user: string, filter: Record<string, unknown> = {}, range = [0, 24]) =>
  t.request('GET', `/api/audit-events?filter=${encodeURIComponent(JSON.stringify(filter))}&range=${encodeURIComponent(JSON.stringify(range))}`, { user });

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('what is written', () => {
  it('records a role change with its permissions before and after, shown as a field diff', async () => {
    // given a role of the province bureau
    const created = await t.request('POST', '/api/roles', { user: 'admin', body: { name: '审计测试角色', permissions: ['unit.profile'] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    // when its permissions are changed
    const updated = await t.request('PUT', `/api/roles/${id}`, { user: 'admin', body: { name: '审计测试角色', permissions: ['unit.profile', 'staff.manage'] } });
    expect(updated.statusCode, updated.body).toBe(200);
    // then the audit log shows who, what, and the permissions before and after
    const res = await list('admin', { action: 'role.update', targetId: id.slice(5) });
    expect(res.statusCode, res.body).toBe(200);
    const [event] = res.json() as EventJson[];
    expect(event).toMatchObject({ actorName: '系统管理员', actionName: '编辑角色权限', targetType: 'role' });
    expect(event!.changes.find((c) => c.field === 'permissions')).toEqual({ field: 'permissions', label: '权限', before: '本级单位信息维护', after: '本级单位信息维护、工作人员管理', changed: true });
    expect(event!.changes.find((c) => c.field === 'name')?.changed).toBe(false);
  });

  it('records a change of a step’s due date with the old and new value', async () => {
    // given a step of a deployed flow
    const steps = (await t.request('GET', '/api/settings/task-due-dates', { user: 'admin' })).json() as Array<{ id: string; dueDate: string | null }>;
    const step = steps.find((s) => s.id.includes(':'))!;
    // when its due date is set
    const res = await t.request('PUT', `/api/settings/task-due-dates/${encodeURIComponent(step.id)}`, { user: 'admin', body: { amount: 7, unit: 'working_days' } });
    expect(res.statusCode, res.body).toBe(200);
    // then the audit log holds the change
    const [event] = (await list('admin', { targetType: 'task_due_date', targetId: step.id })).json() as EventJson[];
    expect(event!.action).toBe('task_due_date.set');
    expect(event!.changes).toEqual([expect.objectContaining({ field: 'dueDate', before: step.dueDate, after: res.json().dueDate, changed: true })]);
  });
});

describe('searching', () => {
  it('filters by person, action family and time range, newest first', async () => {
    // given the changes above by 系统管理员
    const admin = await db.knex('users').where({ username: 'admin' }).first('id');
    // when the log is searched for that person's role changes today
    const res = await list('admin', { actorId: Number(admin.id), action: 'role.', from: '2026-03-01', to: '2026-12-31' });
    // then only their role events are listed, newest first, with a total
    const events = res.json() as EventJson[];
    expect(events.map((e) => e.action)).toEqual(['role.update', 'role.create']);
    expect(res.headers['content-range']).toBe('audit-events 0-1/2');
  });

  it('refuses a malformed filter with 400 naming it', async () => {
    // given a time that is not a time
    // when the log is searched with it
    const res = await list('admin', { from: '昨天' });
    // then the filter field is named
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'filter.from' })]);
  });

  it('bounds deep pages, asking to narrow the search', async () => {
    // given a page beyond the cap
    // when it is asked for
    const res = await list('admin', {}, [10_000, 10_024]);
    // then it is a 400 saying to narrow the search
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('缩小范围');
  });

  it('exports the search as a workbook with the change in words', async () => {
    // given the role change above
    // when the search is exported
    const res = await t.request('GET', `/api/audit-events/export?filter=${encodeURIComponent(JSON.stringify({ action: 'role.update' }))}`, { user: 'admin' });
    // then the workbook holds the change
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('操作审计')!;
    expect(sheet.getRow(1).getCell(4).value).toBe('操作');
    expect(String(sheet.getRow(2).getCell(9).value)).toContain('权限：本级单位信息维护 → 本级单位信息维护、工作人员管理');
  });
});

describe('who may read it', () => {
  it('is refused to an employer’s super admin', async () => {
    // given a super admin of an employer (not an HR bureau)
    // when they ask for the log
    const employer = await list('kj_hr');
    // then it is refused
    expect(employer.statusCode).toBe(403);
  });
});

describe('unit scope', () => {
  // 成都 (the demo's city) and another city beside it under the province, each with an event
  let otherCityEvent: number;
  let ownCountyEvent: number;
  let ownActorEvent: number;

  beforeAll(async () => {
    const province = await db.knex('units').where({ admin_level: 'province', unit_type: 'hr_bureau' }).first('id', 'path');
    const [other] = await db
      .knex('units')
      .insert({ parent_id: province.id, name: '绵阳市人力资源和社会保障局', unit_type: 'hr_bureau', admin_level: 'city', region_code: '510700', path: 'pending', status: 'active' })
      .returning('id');
    const otherId = Number(other.id);
    await db.knex('units').where({ id: otherId }).update({ path: `${province.path}${otherId}/` });
    const county = await db.knex('units').where({ admin_level: 'county', unit_type: 'hr_bureau' }).first('id');
    const at = t.clock.now();
    const write = async (actor: { userId: number; displayName: string; unitId: number } | null, unitId: number, name: string) => {
      await audit(db.knex, actor, { action: 'unit.update', targetType: 'unit', targetId: unitId, unitId, data: { before: { name: '旧名称' }, after: { name } } }, at);
      return Number((await db.knex('audit_events').max('id as id').first())?.id);
    };
    otherCityEvent = await write(null, otherId, '绵阳的变更');
    ownCountyEvent = await write(null, Number(county.id), '锦江的变更');
    // a person of 成都 acting on the other city's unit: 成都 sees what its own people did
    const city = await db.knex('users').where({ username: 'cd_hr' }).first('id', 'unit_id');
    ownActorEvent = await write({ userId: Number(city.id), displayName: '成都市人社局经办人', unitId: Number(city.unit_id) }, otherId, '成都经办人对外的变更');
  });

  it('lists to a city bureau’s holder the events of its own subtree only', async () => {
    // given the events above
    // when 成都's super admin (holding 操作审计) lists the unit changes
    const res = await list('cd_hr', { targetType: 'unit' });
    // then the county's event and what its own person did are there, the other city's event is not
    expect(res.statusCode, res.body).toBe(200);
    const ids = (res.json() as EventJson[]).map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining([ownCountyEvent, ownActorEvent]));
    expect(ids).not.toContain(otherCityEvent);
  });

  it('answers 404 for another city’s event, as for one that does not exist', async () => {
    // given the other city's event
    // when 成都's holder opens it, and one that does not exist
    const other = await t.request('GET', `/api/audit-events/${otherCityEvent}`, { user: 'cd_hr' });
    const missing = await t.request('GET', '/api/audit-events/999999999', { user: 'cd_hr' });
    // then both are the same 404, and their own county's opens
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(missing.json());
    expect((await t.request('GET', `/api/audit-events/${ownCountyEvent}`, { user: 'cd_hr' })).statusCode).toBe(200);
  });

  it('leaves another city’s events out of the export', async () => {
    // given the events above
    // when 成都's holder exports the unit changes
    const res = await t.request('GET', `/api/audit-events/export?filter=${encodeURIComponent(JSON.stringify({ targetType: 'unit' }))}`, { user: 'cd_hr' });
    // then the workbook holds the county's change and not the other city's
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const changes: string[] = [];
    wb.getWorksheet('操作审计')!.eachRow((row) => changes.push(String(row.getCell(9).value)));
    expect(changes.some((c) => c.includes('锦江的变更'))).toBe(true);
    expect(changes.some((c) => c.includes('绵阳的变更'))).toBe(false);
  });

  it('shows the province’s administrator every city’s events', async () => {
    // given the events above
    // when the province's administrator lists the unit changes
    const ids = ((await list('admin', { targetType: 'unit' })).json() as EventJson[]).map((e) => e.id);
    // then all three are there
    expect(ids).toEqual(expect.arrayContaining([otherCityEvent, ownCountyEvent, ownActorEvent]));
  });
});
