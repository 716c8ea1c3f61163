import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { FIXTURES_DIR, startTestApp, type TestApp } from '../helpers/app.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const APPLICANTS = ['msg_a', 'msg_b', 'msg_c', 'msg_d', 'msg_e', 'msg_f', 'msg_g', 'msg_h'];

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'msg-review-results.bpmn'), 'utf8'));
  const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
  const hash = await hashPassword(DEMO_PASSWORD);
  await db.knex('users').insert(APPLICANTS.map((username, i) => ({ username, password_hash: hash, display_name: `消息申报人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })));
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

/** A dossier submitted by `applicant`, passed up the chain and received by the committee. */
async function receivedDossier(applicant: string): Promise<{ instanceId: string; dossierId: number }> {
  const id = await submitDossier(t, applicant);
  await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
  await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
  await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
  await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
  const dossier = await db.knex('dossiers').where({ instance_id: id }).first('id');
  return { instanceId: id, dossierId: Number(dossier.id) };
}

const dossierStatus = async (dossierId: number) => String((await db.knex('dossiers').where({ id: dossierId }).first('status')).status);
const mine = async (user: string, instanceId: string) =>
  ((await t.request('GET', '/api/dossiers/mine', { user })).json() as Array<{ instanceId: string; status: string; statusLabel: string }>).find((d) => d.instanceId === instanceId);
const passedCount = async () => Number((await t.request('GET', '/api/dossier-queries/summary', { user: 'cd_pw' })).json().totals.passed);
const waiting = async (instanceId: string) => (await t.app.engine.waitingMessages(instanceId)).map((w) => w.name).sort();
const instanceOf = (id: string) => db.knex('process_instances').where({ id }).first();

/** The committee's flow announces results: one review-result message per dossier (a multi-instance send task). */
async function announce(results: Array<{ dossierId: number; passed: boolean; reason?: string }>) {
  return t.app.engine.startInstance({ processKey: 'fixture-review-results', actor: null, variables: { results: results.map((r) => ({ reason: null, ...r })) }, checkStarter: false });
}

async function publish(name: string, dossierId: number, payload: Record<string, unknown> = {}) {
  await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey: `dossier:${dossierId}`, payload }));
  await t.app.engine.deliverMessages();
}

describe('the applicant’s case after receipt', () => {
  it('waits as 评审中 for the review result, then shows it, and 通过人数 rises; the case runs to 证书已发放', async () => {
    // Given a received dossier (the demo activity holds no written exam)
    const before = await passedCount();
    const { instanceId, dossierId } = await receivedDossier('msg_a');
    const failing = await receivedDossier('msg_b');

    // Then the case waits for 评审结果 and the applicant reads 评审中
    expect((await instanceOf(instanceId)).status).toBe('running');
    expect(await waiting(instanceId)).toEqual(['review-result']);
    expect(await mine('msg_a', instanceId)).toMatchObject({ status: 'received', statusLabel: '评审中' });

    // When the committee's flow announces the results: one passed, one failed
    await announce([
      { dossierId, passed: true },
      { dossierId: failing.dossierId, passed: false, reason: '同意票未达三分之二' },
    ]);

    // Then the passed one is 评审通过 and waits for 公示结束 or 撤销, and is counted in 通过人数
    expect(await dossierStatus(dossierId)).toBe('review_passed');
    expect(await mine('msg_a', instanceId)).toMatchObject({ statusLabel: '评审通过（公示中）' });
    expect(await waiting(instanceId)).toEqual(['publicity-ended', 'result-withdrawn']);
    expect(await passedCount()).toBe(before + 1);
    expect((await instanceOf(instanceId)).variables).toMatchObject({ reviewPassed: true, reviewStage: 'plenary' });
    // and the failed one ended as 评审未通过, with the reason in its variables
    expect(await dossierStatus(failing.dossierId)).toBe('review_failed');
    expect(await mine('msg_b', failing.instanceId)).toMatchObject({ statusLabel: '评审未通过' });
    expect(await instanceOf(failing.instanceId)).toMatchObject({ status: 'completed', variables: expect.objectContaining({ reviewReason: '同意票未达三分之二' }) });
    expect((await instanceOf(failing.instanceId)).trail).toContain('end_review_failed');

    // When the publicity ends, the result is confirmed and the certificate issued
    await publish('publicity-ended', dossierId);
    expect(await dossierStatus(dossierId)).toBe('publicity_ended');
    expect(await waiting(instanceId)).toEqual(['result-confirmed']);
    await publish('result-confirmed', dossierId, { confirmed: true, confirmReason: null });
    expect(await dossierStatus(dossierId)).toBe('confirmed');
    await publish('certificate-issued', dossierId, { certificateNo: 'ZC-2026-0001' });

    // Then the case ended at 已取得职称, and it is still counted as passed
    expect(await dossierStatus(dossierId)).toBe('certified');
    expect(await mine('msg_a', instanceId)).toMatchObject({ statusLabel: '证书已发放' });
    expect(await instanceOf(instanceId)).toMatchObject({ status: 'completed', variables: expect.objectContaining({ certificateNo: 'ZC-2026-0001' }) });
    expect((await instanceOf(instanceId)).trail).toEqual(expect.arrayContaining(['wait_review', 'gw_publicity', 'wait_publicity', 'wait_confirmed', 'wait_certificate', 'end_certified']));
    expect(await passedCount()).toBe(before + 1);
  });

  it('ends as 评审结果已撤销 when the result is withdrawn during the publicity, and no longer waits for 公示结束', async () => {
    // Given a dossier that passed the review
    const { instanceId, dossierId } = await receivedDossier('msg_c');
    await announce([{ dossierId, passed: true }]);
    expect(await waiting(instanceId)).toEqual(['publicity-ended', 'result-withdrawn']);

    // When the result is withdrawn
    await publish('result-withdrawn', dossierId, { withdrawReason: '公示期间查实材料造假' });

    // Then the case ends there, and a late 公示结束 finds nobody waiting (it is kept, not delivered)
    expect(await dossierStatus(dossierId)).toBe('withdrawn');
    expect((await instanceOf(instanceId)).trail).toContain('end_withdrawn');
    expect(await waiting(instanceId)).toEqual([]);
    await publish('publicity-ended', dossierId);
    expect(await db.knex('process_messages').where({ name: 'publicity-ended', correlation_key: `dossier:${dossierId}` }).first()).toMatchObject({ status: 'pending' });
    expect(await dossierStatus(dossierId)).toBe('withdrawn');
  });

  it('waits for 笔试结果 (or a 评审结果 first) when the activity holds a written exam; a failed exam ends the case as 笔试不通过', async () => {
    // Given the activity holds a written exam for some, and three dossiers are received
    await db.knex('activities').where({ id: 1 }).update({ written_exam: 'partial' });
    try {
      const failed = await receivedDossier('msg_d');
      const passed = await receivedDossier('msg_e');
      const exempt = await receivedDossier('msg_h');
      expect(await waiting(failed.instanceId)).toEqual(['exam-result', 'review-result']);

      // When the exam results arrive
      await publish('exam-result', failed.dossierId, { examPassed: false, examScore: 41 });
      await publish('exam-result', passed.dossierId, { examPassed: true, examScore: 78 });

      // Then the failed one ended as 笔试不通过 and the passed one waits for 评审结果
      expect(await dossierStatus(failed.dossierId)).toBe('exam_failed');
      expect(await mine('msg_d', failed.instanceId)).toMatchObject({ statusLabel: '笔试不通过' });
      expect(await instanceOf(failed.instanceId)).toMatchObject({ status: 'completed' });
      expect((await instanceOf(failed.instanceId)).trail).toContain('end_exam_failed');
      expect(await dossierStatus(passed.dossierId)).toBe('received');
      expect(await waiting(passed.instanceId)).toEqual(['review-result']);

      // and one exempt from the exam (no 笔试结果 is ever sent for it) takes its 评审结果 directly
      await announce([{ dossierId: exempt.dossierId, passed: true }]);
      expect(await dossierStatus(exempt.dossierId)).toBe('review_passed');
      expect(await waiting(exempt.instanceId)).toEqual(['publicity-ended', 'result-withdrawn']);
      expect((await instanceOf(exempt.instanceId)).trail).toContain('wait_review_first');
    } finally {
      await db.knex('activities').where({ id: 1 }).update({ written_exam: 'none' });
    }
  });
});

describe('what administrators see of messages', () => {
  it('the instance view names the message a case waits for, with its key and since when', async () => {
    // Given a received dossier
    const { instanceId, dossierId } = await receivedDossier('msg_f');
    // When an administrator opens its case
    const res = await t.request('GET', `/api/process-instances/${instanceId}`, { user: 'admin' });
    // Then it waits for 评审结果 by the dossier's business key
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().waitingMessages).toEqual([
      { instanceId, elementId: 'wait_review', elementName: '评审结果', name: 'review-result', correlationKey: `dossier:${dossierId}`, since: expect.any(String) },
    ]);
  });

  it('流程消息 lists undelivered and expired messages with filters, for process.monitor only', async () => {
    // Given a message for a dossier that does not exist (kept), and a delivered one
    await publish('review-result', 999_999, { reviewPassed: true });
    const { dossierId } = await receivedDossier('msg_g');
    await publish('review-result', dossierId, { reviewPassed: false });

    // When an administrator lists the undelivered ones
    const pending = await t.request('GET', `/api/process-messages?filter=${encodeURIComponent(JSON.stringify({ status: 'pending', name: 'review-result' }))}`, { user: 'admin' });

    // Then only the kept one is there, with its key and expiry
    expect(pending.statusCode, pending.body).toBe(200);
    const keys = (pending.json() as Array<{ correlationKey: string; status: string; expiresAt: string }>).map((m) => m.correlationKey);
    expect(keys).toContain('dossier:999999');
    expect(keys).not.toContain(`dossier:${dossierId}`);
    expect(pending.headers['content-range']).toMatch(/^process-messages \d+-\d+\/\d+$/);
    // a key prefix finds the delivered one
    const byKey = await t.request('GET', `/api/process-messages?filter=${encodeURIComponent(JSON.stringify({ correlationKey: `dossier:${dossierId}` }))}`, { user: 'admin' });
    expect(byKey.json()).toEqual([expect.objectContaining({ status: 'delivered', name: 'review-result', targetInstanceId: expect.any(String) })]);
    // a wrong status is named in Chinese
    const bad = await t.request('GET', `/api/process-messages?filter=${encodeURIComponent(JSON.stringify({ status: 'lost' }))}`, { user: 'admin' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: '筛选条件“状态”无效', details: [{ field: 'filter.status' }] });
    // and a committee clerk without process.monitor may not look
    expect((await t.request('GET', '/api/process-messages', { user: 'cd_pw' })).statusCode).toBe(403);
  });
});
