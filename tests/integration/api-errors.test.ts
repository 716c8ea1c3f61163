import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('health and documentation', () => {
  it('reports status, database kind and deployed processes', async () => {
    const res = await t.request('GET', '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: 'postgresql',
      processes: [
        { key: 'activity-deadline-change', version: 1 },
        { key: 'activity-publication', version: 1 },
        { key: 'breakthrough-review', version: 1 },
        { key: 'certificate-issuance', version: 1 },
        { key: 'committee-filing', version: 1 },
        { key: 'delegated-certificate', version: 1 },
        { key: 'dossier-review', version: 1 },
        { key: 'expert-pool-review', version: 1 },
        { key: 'history-data-approval', version: 1 },
        { key: 'multi-post-review', version: 1 },
        { key: 'publicity-complaint', version: 1 },
        { key: 'result-confirmation', version: 1 },
        { key: 'result-confirmation-candidate', version: 1 },
        { key: 'result-publicity', version: 1 },
        { key: 'review-meeting', version: 1 },
        { key: 'talent-registration', version: 1 },
        { key: 'title-recognition', version: 1 },
        { key: 'unit-registration', version: 1 },
      ],
      // only the handlers kept for the dossier flow's first version, which no case runs on here
      unusedKeys: {
        handlers: ['dossier.decided', 'review.hasPosts'],
        checks: [],
        startHooks: [],
        cancelHooks: [],
        jobs: [],
      },
    });
  });

  it('serves the OpenAPI document and the browsable page', async () => {
    const doc = await t.request('GET', '/api/docs/json');
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/tasks', '/api/tasks/{id}/complete', '/api/process-instances', '/api/process-definitions', '/api/auth/login']));
    const page = await t.request('GET', '/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });
});

describe('401 — who are you', () => {
  it('refuses requests without or with a bad token', async () => {
    expect((await t.request('GET', '/api/tasks')).statusCode).toBe(401);
    const bad = await t.request('GET', '/api/tasks', { token: 'not.a.token' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().message).toBe('请先登录');
  });

  it('does not say whether the user name or the password was wrong', async () => {
    const wrongPassword = await login('kj_hr', 'wrong-password');
    const noSuchUser = await login('nobody_here', 'wrong-password');
    expect(wrongPassword.statusCode).toBe(401);
    expect(noSuchUser.statusCode).toBe(401);
    expect(wrongPassword.json().message).toBe('用户名或密码错误，还可尝试 4 次');
    expect(noSuchUser.json().message).toBe(wrongPassword.json().message);
  });

  it('logs applicants in with their ID number too and never returns a password hash', async () => {
    const res = await login('51010419900307231X', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'zhangwei', displayName: '张伟', permissions: ['dossier.apply'] });
    expect(res.body).not.toContain('argon2');
  });

  it('tells a disabled account so after a correct password', async () => {
    await db.knex('users').where({ username: 'sc_hr' }).update({ status: 'disabled' });
    const res = await login('sc_hr', DEMO_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('已停用');
  });
});

describe('403 — not yours', () => {
  it('refuses deploying and incident handling to non-administrators', async () => {
    expect((await t.request('POST', '/api/process-definitions', { user: 'kj_hr', body: { xml: '<x/>' } })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/incidents', { user: 'cd_hr' })).statusCode).toBe(403);
    expect((await t.request('GET', '/api/process-instances', { user: 'zhangwei' })).statusCode).toBe(403);
  });

  it('refuses starting a flow without its starter role', async () => {
    const res = await t.request('POST', '/api/process-instances', { user: 'kj_hr', body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('没有发起');
  });
});

describe('404 — no such thing', () => {
  it('answers unknown ids and routes with 404 in Chinese', async () => {
    const task = await t.request('GET', `/api/tasks/${randomUUID()}`, { user: 'kj_hr' });
    expect(task.statusCode).toBe(404);
    expect(task.json()).toEqual({ error: 'NotFoundError', message: '任务不存在' });
    expect((await t.request('POST', `/api/tasks/${randomUUID()}/complete`, { user: 'kj_hr', body: { action: 'pass' } })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/process-instances/${randomUUID()}`, { user: 'admin' })).statusCode).toBe(404);
    expect((await t.request('POST', '/api/process-instances', { user: 'admin', body: { processKey: 'no-such-flow' } })).statusCode).toBe(404);
    const route = await t.request('GET', '/api/nowhere', { user: 'admin' });
    expect(route.statusCode).toBe(404);
    expect(route.json().message).toContain('接口不存在');
  });
});

describe('400 — malformed input names the field', () => {
  it('reports a missing or wrong body field', async () => {
    const res = await t.request('POST', `/api/tasks/${randomUUID()}/complete`, { user: 'kj_hr', body: { opinion: 1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; message: string; details: Array<{ field: string; message: string }> };
    expect(body.error).toBe('ValidationError');
    expect(body.details.map((d) => d.field).sort()).toEqual(['body.action', 'body.opinion']);
    expect(body.details.find((d) => d.field === 'body.action')!.message).toBe('办理动作：必填');
  });

  it('reports a malformed id, JSON body and list parameters', async () => {
    const id = await t.request('GET', '/api/tasks/123', { user: 'kj_hr' });
    expect(id.statusCode).toBe(400);
    expect(id.json().details[0].field).toBe('params.id');
    const json = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(json.statusCode).toBe(400);
    const range = await t.request('GET', '/api/tasks?range=[0,5000]', { user: 'kj_hr' });
    expect(range.statusCode).toBe(400);
    expect(range.json().message).toContain('1000');
    const filter = await t.request('GET', '/api/tasks?filter={"createdFrom":"yesterday"}', { user: 'kj_hr' });
    expect(filter.statusCode).toBe(400);
    expect(filter.json().details[0].field).toBe('filter.createdFrom');
  });

  it('refuses an action the task does not offer', async () => {
    const start = await t.request('POST', '/api/process-instances', { user: 'lina', body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    const task = (start.json() as { tasks: Array<{ id: string }> }).tasks[0]!;
    const res = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'lina', body: { action: 'pass' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('action');
    const missing = await t.request('POST', '/api/process-instances', { user: 'zhangwei', body: { processKey: 'dossier-review' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0].field).toBe('variables.activityId');
  });
});
