import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addConfirmedExperts, addReceivedDossiers, setActivityOptions } from '../helpers/meeting-fixtures.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  // the draw part's 回避 table, as its migration creates it (absent on a branch without the draw part)
  if (!(await db.knex.schema.hasTable('meeting_recusals'))) {
    await db.knex.schema.createTable('meeting_recusals', (tb) => {
      tb.bigInteger('meeting_id').notNullable();
      tb.bigInteger('expert_id').notNullable();
      tb.bigInteger('dossier_id').notNullable();
      tb.text('employer').notNullable();
      tb.timestamp('created_at', { useTz: true }).notNullable();
      tb.primary(['meeting_id', 'expert_id', 'dossier_id']);
    });
  }
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('人员分配 shows the draw\'s recusals and refuses a recused reviewer', () => {
  it('a recused expert is listed on the candidate and cannot be its 主审 or 辅审', async () => {
    // given a meeting with two candidates and an expert recused from the first (same employer)
    await setActivityOptions(db.knex, {});
    const [first, second] = (await addReceivedDossiers(db.knex, [{ name: '回避甲' }, { name: '回避乙' }])) as [number, number];
    const created = await t.request('POST', '/api/meetings', { user: 'cd_pw', body: { activityId: 1, kind: 'normal', name: '回避测试会议', startsAt: '2026-06-01T09:00:00+08:00', location: '会议室' } });
    const meetingId = (created.json() as { id: number }).id;
    const [recused, other] = await addConfirmedExperts(db.knex, meetingId, 2);
    await db.knex('meeting_recusals').insert({ meeting_id: meetingId, expert_id: recused!.expertId, dossier_id: first, employer: '成都示范科技有限公司', created_at: new Date() });
    // when the clerk reads the meeting and assigns
    const detail = (await t.request('GET', `/api/meetings/${meetingId}/candidates?pageSize=500`, { user: 'cd_pw' })).json() as { candidates: Array<{ dossierId: number; recusedExpertIds: number[] }> };
    const asMain = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, { user: 'cd_pw', body: { dossierIds: [first, second], mainExpertId: recused!.expertId } });
    const asAssistant = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, { user: 'cd_pw', body: { dossierIds: [first], mainExpertId: other!.expertId, assistantExpertIds: [recused!.expertId] } });
    const elsewhere = await t.request('PUT', `/api/meetings/${meetingId}/assignments`, { user: 'cd_pw', body: { dossierIds: [second], mainExpertId: recused!.expertId } });
    // then the recusal shows on the first candidate only, and it is refused there but not elsewhere
    expect(detail.candidates.map((c) => [c.dossierId, c.recusedExpertIds])).toEqual([
      [first, [recused!.expertId]],
      [second, []],
    ]);
    expect([asMain.statusCode, asAssistant.statusCode, elsewhere.statusCode]).toEqual([400, 400, 200]);
    expect(asMain.json().details).toEqual([{ field: 'mainExpertId', message: '专家须回避' }]);
    expect(asAssistant.json().details).toEqual([{ field: 'assistantExpertIds', message: '专家须回避' }]);
  });
});
