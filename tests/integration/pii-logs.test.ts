import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyPluginAsync } from 'fastify';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, VALID_DOSSIER, type TestApp } from '../helpers/app.ts';

// what a person types that must never reach a log line
const PASSWORD = 'Lin#Secret2026';
const ID_NUMBER = '510104199105123456';
const PHONE = '13987651234';
const DECLARATION_TEXT = '主持设计某型号高速齿轮箱并获得省级科技进步奖的全部细节';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const lines: string[] = [];

// a route that fails the way a bug would: its error names the person and carries the request's
// body and headers (as HTTP-client and driver errors do)
const failing: FastifyPluginAsync = async (app) => {
  app.post('/api/test-pii/fail', async (request) => {
    throw Object.assign(new Error(`处理 ${ID_NUMBER}（${PHONE}）时出错`), { body: request.body, headers: request.headers, cause: { password: PASSWORD } });
  });
};

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, {
    demo: true,
    config: { LOG_LEVEL: 'trace' },
    extraModules: [failing],
    logStream: { write: (line: string) => void lines.push(line) },
  });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('logs carry no personal information (个人信息保护)', () => {
  it('holds no password, token, ID number, phone number or declaration text after registration, login, a submission and a failing request', async () => {
    // given an applicant who registers and logs in
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id');
    const registered = await t.request('POST', '/api/applicants/register', { body: { displayName: '林晓', idNumber: ID_NUMBER, phone: PHONE, password: PASSWORD, employerId: Number(employer.id) } });
    expect(registered.statusCode, registered.body).toBe(201);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: ID_NUMBER, password: PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const token = (login.json() as { token: string }).token;
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: ID_NUMBER, password: `${PASSWORD}-wrong` } });
    // when they submit a declaration, and a request fails with their data in the error
    const started = await t.request('POST', '/api/process-instances', { token, body: { processKey: 'dossier-review', variables: { activityId: 1 } } });
    expect(started.statusCode, started.body).toBe(201);
    const instanceId = (started.json() as { id: string }).id;
    const tasks = (await t.request('GET', '/api/tasks', { token })).json() as Array<{ id: string; rootInstanceId: string }>;
    const task = tasks.find((i) => i.rootInstanceId === instanceId)!;
    const submitted = await t.request('POST', `/api/tasks/${task.id}/complete`, { token, body: { action: 'submit', data: { ...VALID_DOSSIER, phone: PHONE, workSummary: DECLARATION_TEXT } } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const failed = await t.app.inject({ method: 'POST', url: '/api/test-pii/fail', headers: { authorization: `Bearer ${token}` }, payload: { password: PASSWORD, idNumber: ID_NUMBER, workSummary: DECLARATION_TEXT } });
    expect(failed.statusCode).toBe(500);
    // then the log was written, and holds none of it
    const log = lines.join('');
    expect(log).toContain('unhandled error');
    for (const secret of [PASSWORD, token, token.split('.')[2]!, ID_NUMBER, PHONE, DECLARATION_TEXT]) expect(log.includes(secret), secret).toBe(false);
  });

  it('keeps the masked forms, so a line still says whose case it was', async () => {
    // given the lines of the run above
    const log = lines.join('');
    // when they are searched for the masked ID number
    // then it is there: a log reader can match a case without the full number
    expect(log).toContain('5101**********3456');
  });
});
