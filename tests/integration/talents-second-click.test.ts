import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';
import { createPerson, talentBody } from '../helpers/talents.ts';
import { createTalentsService } from '../../api/modules/talents/talents.service.ts';
import type { WorkflowEngine } from '../../engine/engine.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
let employer: number;
let seq = 611;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  employer = Number((await db.knex('units').where({ name: '成都示范科技有限公司' }).first('id')).id);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** A person's registration, submitted: it waits for the employer's clerk (kj_hr). */
async function submitted(): Promise<number> {
  const user = `second_click_${seq}`;
  await createPerson(db.knex, user, employer, '19910101', seq);
  expect((await t.request('PUT', '/api/talents/mine', { user, body: talentBody(`第二次${seq}`, '19910101', seq++) })).statusCode).toBe(200);
  const res = await t.request('POST', '/api/talents/mine/submit', { user });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { registration: { id: number } }).registration.id;
}

/**
 * The service over an engine whose first read of a case's open steps lets `first` commit before
 * it answers: the second click read the registration before the first click committed, and its
 * steps after — the interleaving a loaded machine produced once (200 / 404).
 */
function serviceWithFirstClickBetween(first: () => Promise<unknown>) {
  let fired = false;
  const repo = new Proxy(t.app.engine.repo, {
    get(target, key, receiver) {
      if (key !== 'openTasksOfRoot') return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<typeof target.openTasksOfRoot>) => {
        if (!fired) {
          fired = true;
          await first();
        }
        return target.openTasksOfRoot(...args);
      };
    },
  });
  const engine = new Proxy(t.app.engine, { get: (target, key, receiver) => (key === 'repo' ? repo : (Reflect.get(target, key, receiver) as unknown)) }) as WorkflowEngine;
  return createTalentsService({ db: db.knex, engine, pii: t.app.pii });
}

describe('专技人才审核: a second click that read the registration before the first click committed', () => {
  it('is a 409, not a 404, and the registration moves once', async () => {
    // Given a registration waiting at the employer, and the first click committing between the second's reads
    const id = await submitted();
    const clerk = await actorOf(db.knex, 'kj_hr');
    let firstStatus = 0;
    const service = serviceWithFirstClickBetween(async () => {
      firstStatus = (await t.request('POST', `/api/talents/${id}/review`, { user: 'kj_hr', body: { action: 'pass' } })).statusCode;
    });
    // When the second click is handled
    const second = service.review(clerk, id, { action: 'pass', opinion: null });
    // Then it is told the registration was handled (409), and the first click passed it to the next unit once
    await expect(second).rejects.toMatchObject({ code: 'CONFLICT', message: '该专技人才信息已由他人处理，请刷新' });
    expect(firstStatus).toBe(200);
    const passes = await db.knex('tasks').where({ root_instance_id: (await db.knex('talents').where({ id }).first('instance_id')).instance_id, status: 'completed', action: 'pass' }).count<{ n: string }[]>({ n: '*' });
    expect(Number(passes[0]!.n)).toBe(1);
  });

  it('skips the registration in 批量审核通过 instead of answering 404', async () => {
    // Given a registration waiting at the employer, passed by another click between the batch's reads
    const id = await submitted();
    const clerk = await actorOf(db.knex, 'kj_hr');
    const service = serviceWithFirstClickBetween(() => t.request('POST', `/api/talents/${id}/review`, { user: 'kj_hr', body: { action: 'pass' } }));
    // When the batch pass is handled, Then the registration is counted as skipped
    await expect(service.passMany(clerk, [id])).resolves.toEqual({ passed: 0, skipped: 1 });
  });
});
