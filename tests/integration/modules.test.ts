import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, deployProcesses } from '../../api/src/app.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, PROCESSES_DIR, startTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

const diagram = (file: string) => fs.readFileSync(file, 'utf8');
const UNIT_REGISTRATION = diagram(path.join(PROCESSES_DIR, 'unit-registration.bpmn'));
const DOSSIER_REVIEW = diagram(path.join(PROCESSES_DIR, 'dossier-review.bpmn'));
const INCIDENT = diagram(path.join(FIXTURES_DIR, 'incident.bpmn'));

/** A module of the test's own: registers keys no shipped diagram names, and the handler of the incident fixture. */
const testModule = fp(
  async (fastify) => {
    fastify.flows.handler('test.unused', async () => ({}));
    fastify.flows.handler('test.flaky', async () => ({}));
    fastify.flows.check('test-unused-form', async () => {});
  },
  { name: 'module:test', dependencies: ['flows'] },
);

const warnings = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => String(c[1] ?? ''));

describe('a module brings its routes and its handlers', () => {
  let db: TestDatabase;
  let without: TestApp;
  let full: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    without = await startTestApp(db, { demo: true, deploy: false, withoutModules: ['units'] });
    full = await startTestApp(db, { deploy: false });
  });

  afterAll(async () => {
    await without?.close();
    await full?.close();
    await db?.drop();
  });

  it('has no routes of a module it was built without', async () => {
    // given the same database, an app without the units module and one with it
    // when a unit clerk asks for their unit and a unit registers itself
    const mine = await without.request('GET', '/api/my-unit', { user: 'kj_hr' });
    const registration = await without.request('POST', '/api/registrations', { body: {} });
    // then the app without the module does not know the routes, the full app does
    expect(mine.statusCode).toBe(404);
    expect(mine.json().error).toBe('NotFound');
    expect(registration.statusCode).toBe(404);
    expect((await full.request('GET', '/api/my-unit', { user: 'kj_hr' })).statusCode).toBe(200);
    expect((await full.request('POST', '/api/registrations', { body: {} })).statusCode).toBe(400);
  });

  it('refuses a diagram naming the handlers of a module it was built without', async () => {
    // given the unit registration flow, whose service tasks the units module handles
    // when an administrator deploys it to the app without the module
    const refused = await without.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: UNIT_REGISTRATION } });
    // then the deploy is refused naming each handler nobody registered, and nothing is stored
    expect(refused.statusCode).toBe(400);
    const problems = (refused.json() as { details: Array<{ rule: string; message: string }> }).details.filter((p) => p.rule === 'service-handler');
    expect(problems.map((p) => p.message).join('\n')).toMatch(/unit\.registrationSubmitted/);
    expect(problems.length).toBe(4);
    expect(await db.knex('process_definitions').where({ key: 'unit-registration' })).toHaveLength(0);
    expect(without.app.flows.checks['unit-registration']).toBeUndefined();
    expect(without.app.flows.startHooks['unit-registration']).toBeUndefined();
    // and the app with the module deploys it
    expect((await full.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: UNIT_REGISTRATION } })).statusCode).toBe(201);
  });

  it('does not start without a module another one depends on', async () => {
    // given the units module, which declares that it needs the regions module
    // when the app is built without the regions module
    const build = buildApp({ config: testConfig(), database: db, withoutModules: ['regions'] });
    // then the start fails naming the missing dependency
    await expect(build).rejects.toThrow(/module:regions/);
  });

  it('does not start when two modules register the same key', async () => {
    // given a module registering a handler the dossiers module registers too
    const twice = fp(async (fastify) => fastify.flows.handler('dossier.decided', async () => ({})), { name: 'module:twice', dependencies: ['flows'] });
    // when the app is built with it
    const build = buildApp({ config: testConfig(), database: db, extraModules: [twice] });
    // then the start fails naming the key
    await expect(build).rejects.toThrow(/dossier\.decided.*重复注册/);
  });
});

describe('the key report', () => {
  let db: TestDatabase;
  let t: TestApp;
  let warn: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db, { demo: true, deploy: false, extraModules: [testModule] });
  });

  afterEach(() => warn?.mockRestore());

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const unusedKeys = async () => (await t.request('GET', '/api/health')).json().unusedKeys as {
    handlers: string[];
    checks: string[];
    startHooks: string[];
    cancelHooks: string[];
    jobs: Array<{ name: string; missing: string[] }>;
  };

  it('reports at start a handler and a check that no deployed diagram uses', async () => {
    // given a module that registered a handler and a check no shipped diagram names
    warn = vi.spyOn(t.app.log, 'warn');
    // when the server deploys processes/ at start
    await deployProcesses(t.app, PROCESSES_DIR);
    // then the log and the health check name them, beside the handlers kept for older dossier flows
    expect(warnings(warn).find((m) => m.includes('test.unused'))).toMatch(/test-unused-form/);
    const report = await unusedKeys();
    // (the hub version's dispatcher, dossier.decided, is kept for cases started on it; the drawn flow uses the per-outcome handlers)
    expect(report.handlers).toEqual(expect.arrayContaining(['test.unused', 'test.flaky', 'review.hasPosts', 'dossier.decided']));
    expect(report.handlers).not.toContain('dossier.passed');
    expect(report.checks).toEqual(['test-unused-form']);
    expect(report.startHooks).toEqual([]);
    expect(report.jobs).toEqual([]);
  });

  it('reports the check of a form key that a new version of a diagram renamed', async () => {
    // given the unit registration flow deployed, its 用户权限申请 using the form the units module checks
    expect((await unusedKeys()).checks).not.toContain('unit-registration');
    warn = vi.spyOn(t.app.log, 'warn');
    // when an administrator deploys a version whose task names another form
    const renamed = UNIT_REGISTRATION.replace('zcps:formKey="unit-registration"', 'zcps:formKey="unit-registration-review"');
    const res = await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: renamed } });
    expect(res.statusCode).toBe(201);
    // then the deploy logs the check as unused and the health check lists it
    expect(warnings(warn).some((m) => m.includes('unit-registration') && !m.includes('unit-registration-review'))).toBe(true);
    expect((await unusedKeys()).checks).toEqual(['test-unused-form', 'unit-registration']);
  });

  it('reports a job whose element a new version of a diagram renamed', async () => {
    // given the deadline job, which flags the dossier flow's 修改并重新提交 tasks
    expect((await unusedKeys()).jobs).toEqual([]);
    // when a version of the dossier flow with that task under another id is deployed
    const renamed = DOSSIER_REVIEW.replaceAll('"resubmit"', '"resubmit_dossier"');
    const res = await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: renamed } });
    expect(res.statusCode).toBe(201);
    // then the job is reported with the element it no longer finds
    expect((await unusedKeys()).jobs).toEqual([{ name: 'activity-deadlines', missing: ['dossier-review:resubmit'] }]);
  });

  it('counts an older version as deployed while cases still run on it', async () => {
    // given a case running on a version whose service task names a handler
    expect((await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: INCIDENT } })).statusCode).toBe(201);
    const caseId = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor: await actorOf(db.knex, 'kj_hr'), checkStarter: false });
    expect((await unusedKeys()).handlers).not.toContain('test.flaky');
    // when a new version without that service task is deployed
    const withoutService = INCIDENT.replace('<serviceTask id="flaky" name="对接外部系统" zcps:handler="test.flaky">', '<task id="flaky" name="对接外部系统">').replace('</serviceTask>', '</task>');
    expect((await t.request('POST', '/api/process-definitions', { user: 'admin', body: { xml: withoutService } })).statusCode).toBe(201);
    // then the handler still counts as used, until the last case on the old version ends
    expect((await unusedKeys()).handlers).not.toContain('test.flaky');
    await t.app.engine.cancelInstance(caseId, { reason: '测试结束', actor: null });
    expect((await t.app.flows.reportUnusedKeys()).handlers).toContain('test.flaky');
  });
});
