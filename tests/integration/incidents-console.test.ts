import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import type { RequestActor } from '../../api/src/plugins/auth.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let clerk: RequestActor;
let failing = true;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  t.app.engine.registerHandler('test.flaky', async () => {
    if (failing) throw new Error('外部系统无响应');
    return { synced: true };
  });
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'incident.bpmn'), 'utf8'));
  clerk = await actorOf(db.knex, 'kj_hr');
  // an operator who may handle incidents but does not administer flows: sc_hr with a role of the province's own
  const sc = await db.knex('users').where({ username: 'sc_hr' }).first();
  const [role] = await db.knex('roles').insert({ unit_id: sc.unit_id, name: '流程异常处理员', permissions: ['incident.manage'] }).returning('id');
  await db.knex('users').where({ id: sc.id }).update({ roles: [...(sc.roles as string[]), `role:${Number(role.id)}`], auth_version: db.knex.raw('auth_version + 1') });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** An instance of the fixture parked at its failing service step, and its incident's id. */
async function failedInstance(variables: Record<string, unknown> = {}): Promise<{ instanceId: string; incidentId: number }> {
  failing = true;
  const instanceId = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor: clerk, checkStarter: false, variables });
  const first = await db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).first();
  await t.app.engine.completeTask(first.id, clerk, { action: 'pass' });
  const incident = await db.knex('incidents').where({ instance_id: instanceId, status: 'open' }).first();
  return { instanceId, incidentId: Number(incident.id) };
}

describe('incidents console', () => {
  it('shows an administrator the error, the stack, the attempts, the instance’s variables and history', async () => {
    // given a failed service step
    const { instanceId, incidentId } = await failedInstance({ caseNo: 'A-001' });

    // when the administrator opens it
    const res = await t.request('GET', `/api/incidents/${incidentId}`, { user: 'admin' });

    // then
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown> & { history: Array<{ type: string }>; moveTargets: Array<{ id: string }> };
    expect(body).toMatchObject({ instanceId, elementId: 'flaky', elementName: '对接外部系统', message: '外部系统无响应', attempts: 1, stackHidden: false, processKey: 'fixture-incident' });
    expect(String(body.stack)).toContain('外部系统无响应');
    expect(body.variables).toMatchObject({ caseNo: 'A-001' });
    expect(body.history.map((h) => h.type)).toContain('incident.create');
    expect(body.moveTargets.map((m) => m.id).sort()).toEqual(['after', 'first', 'flaky']);
  });

  it('hides the stack from someone who handles incidents but does not administer flows', async () => {
    // given a failed service step
    const { incidentId } = await failedInstance();

    // when the operator with only 流程异常处理 opens it
    const res = await t.request('GET', `/api/incidents/${incidentId}`, { user: 'sc_hr' });

    // then the message is there, the stack is not
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ message: '外部系统无响应', stack: null, stackHidden: true });
  });

  it('filters the list by flow, element and status', async () => {
    // given an open incident
    const { incidentId } = await failedInstance();

    // when listing with filters that match and that do not
    const match = await t.request('GET', `/api/incidents?filter=${encodeURIComponent(JSON.stringify({ processKey: 'fixture-incident', elementId: 'flaky', status: 'open' }))}`, { user: 'admin' });
    const other = await t.request('GET', `/api/incidents?filter=${encodeURIComponent(JSON.stringify({ elementId: 'after' }))}`, { user: 'admin' });
    const bad = await t.request('GET', `/api/incidents?filter=${encodeURIComponent(JSON.stringify({ from: 'yesterday' }))}`, { user: 'admin' });

    // then
    expect((match.json() as Array<{ id: number }>).map((i) => i.id)).toContain(incidentId);
    expect(other.json()).toEqual([]);
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('filter.from');
  });

  it('moves the instance on to a chosen element: the failed step is dropped, the flow continues from there', async () => {
    // given a failed service step
    const { instanceId, incidentId } = await failedInstance();

    // when the administrator moves the instance to 后续办理
    const res = await t.request('POST', `/api/incidents/${incidentId}/move`, { user: 'admin', body: { targetElementId: 'after', reason: '外部系统已手工同步' } });

    // then the incident is resolved and the task of 后续办理 is open
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved' });
    expect(await db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).pluck('element_id')).toEqual(['after']);
    expect((await db.knex('process_instances').where({ id: instanceId }).first()).open_incidents).toBe(0);

    // and the flow goes on to its end from there, without running the failed handler
    t.app.engine.clearCache();
    const after = await db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).first();
    await t.app.engine.completeTask(after.id, clerk, { action: 'pass' });
    const instance = await db.knex('process_instances').where({ id: instanceId }).first();
    expect(instance.status).toBe('completed');
    expect(instance.variables.synced).toBeUndefined();
  });

  it('records the move in the instance’s history and in the audit log', async () => {
    // given a failed service step
    const { instanceId, incidentId } = await failedInstance();

    // when the administrator moves it back to 提交
    await t.request('POST', `/api/incidents/${incidentId}/move`, { user: 'admin', body: { targetElementId: 'first', reason: '退回重新提交' } });

    // then history and audit name the move, who and why
    const event = await db.knex('history_events').where({ root_instance_id: instanceId, type: 'instance.move' }).first();
    expect(event).toMatchObject({ element_id: 'first', opinion: '退回重新提交' });
    expect(event.data).toMatchObject({ fromElementId: 'flaky', toElementId: 'first', incidentId });
    const audited = await db.knex('audit_events').where({ target_type: 'instance', target_id: instanceId, action: 'instance.move' }).first();
    expect(audited?.actor_name).toBeTruthy();
    expect(await db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).pluck('element_id')).toEqual(['first']);
  });

  it('refuses a move to an element that is not a task or gateway, naming the field, and a second move of the same incident', async () => {
    // given a failed service step moved once
    const { incidentId } = await failedInstance();
    const wrong = await t.request('POST', `/api/incidents/${incidentId}/move`, { user: 'admin', body: { targetElementId: 'end', reason: '直接结束' } });
    await t.request('POST', `/api/incidents/${incidentId}/move`, { user: 'admin', body: { targetElementId: 'after', reason: '手工处理' } });

    // when it is moved again
    const again = await t.request('POST', `/api/incidents/${incidentId}/move`, { user: 'admin', body: { targetElementId: 'after', reason: '手工处理' } });

    // then
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json())).toContain('targetElementId');
    expect(again.statusCode).toBe(409);
  });

  it('retries a batch: each open incident once, the resolved ones skipped', async () => {
    // given two failed steps and the outside system back
    const a = await failedInstance();
    const b = await failedInstance();
    failing = false;

    // when the administrator retries both and one that does not exist
    const res = await t.request('POST', '/api/incidents/retry', { user: 'admin', body: { ids: [a.incidentId, b.incidentId, 999999] } });

    // then both are resolved and their instances moved on
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ resolved: 2, skipped: 1 });
    expect(await db.knex('tasks').where({ root_instance_id: a.instanceId, status: 'open' }).pluck('element_id')).toEqual(['after']);
    expect(await db.knex('audit_events').where({ action: 'incident.retry', target_id: b.instanceId })).toHaveLength(1);
  });
});
