import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { uploadPdf } from '../helpers/files.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { deployBallotRound, expertTokens, seedMeeting, startRound, type SeededMeeting } from '../helpers/ballots.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;
const CLERK = 'cd_pw';
const OTHER_CLERK = 'materials_other_clerk';

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await deployBallotRound(t);
  // a committee clerk of another unit (锦江区), who has nothing to do with the meeting
  const county = await db.knex('units').where({ admin_level: 'county', unit_type: 'hr_bureau' }).first();
  const at = new Date();
  await db.knex('users').insert({ username: OTHER_CLERK, password_hash: await hashPassword(DEMO_PASSWORD), display_name: '锦江区评委会经办人', unit_id: county.id, roles: ['committee_clerk'], status: 'active', password_changed_at: at, created_at: at, updated_at: at });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

type Material = { id: string; name: string; size: number; mime: string };

/** 评审方案 as the organiser saves it from the meeting page (PUT …/plan with the uploaded files). */
async function savePlan(meeting: SeededMeeting, materials: Material[]) {
  const detail = await t.request('GET', `/api/meetings/${meeting.meetingId}`, { user: CLERK });
  expect(detail.statusCode, detail.body).toBe(200);
  const res = await t.request('PUT', `/api/meetings/${meeting.meetingId}/plan`, { user: CLERK, body: { supervisorCommitteeId: null, materials, version: detail.json().version } });
  expect(res.statusCode, res.body).toBe(200);
}

/** A meeting with an open round, its experts' tokens. */
async function openMeeting() {
  const meeting = await seedMeeting(db.knex, { experts: 2, candidates: 1 });
  const tokens = await expertTokens(t, CLERK, meeting);
  await startRound(t, meeting);
  return { meeting, token: (i: number) => tokens.get(meeting.experts[i]!.expertId)! };
}

describe('评审材料 in the 专家端', () => {
  it('lists the meeting\'s review materials and the scoring standard, and the expert downloads each material', async () => {
    // given a meeting whose organiser attached two review materials in 评审方案
    const { meeting, token } = await openMeeting();
    const rules = await uploadPdf(t, CLERK, '评审工作细则.pdf');
    const guide = await uploadPdf(t, CLERK, '评审标准说明.pdf');
    await savePlan(meeting, [rules, guide]);

    // when an expert of the meeting opens the meeting
    const view = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, { token: token(0) });

    // then the answer lists the materials (id, name, size) in the plan's order, beside the scoring standard
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().materials).toEqual([
      { id: rules.id, name: '评审工作细则.pdf', size: rules.size, mime: 'application/pdf' },
      { id: guide.id, name: '评审标准说明.pdf', size: guide.size, mime: 'application/pdf' },
    ]);
    expect(view.json().scoring.maxTotal).toBeGreaterThan(0);

    // and both experts of the meeting download each material's bytes
    for (const i of [0, 1]) {
      for (const f of [rules, guide]) {
        const res = await t.request('GET', `/api/files/${f.id}`, { token: token(i) });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toContain('pdf');
        expect(res.headers['content-disposition']).toContain(encodeURIComponent(f.name));
        expect(res.rawPayload.length).toBe(f.size);
      }
    }
  });

  it('an expert of another meeting, another committee\'s clerk and an expert asking for a file that is not a material get 404', async () => {
    // given a meeting with a review material, another meeting with its own expert, and an upload of the organiser that is no material
    const { meeting, token } = await openMeeting();
    const material = await uploadPdf(t, CLERK, '评审工作细则.pdf');
    const notMaterial = await uploadPdf(t, CLERK, '内部请示.pdf');
    await savePlan(meeting, [material]);
    const { meeting: other, token: otherToken } = await openMeeting();
    await savePlan(other, [await uploadPdf(t, CLERK, '另一会议的评审材料.pdf')]);

    // when each of them asks for the files
    const foreignExpert = await t.request('GET', `/api/files/${material.id}`, { token: otherToken(0) });
    const otherClerk = await t.request('GET', `/api/files/${material.id}`, { user: OTHER_CLERK });
    const ownExpertOtherFile = await t.request('GET', `/api/files/${notMaterial.id}`, { token: token(0) });

    // then none of them learns the file exists; the other meeting's page does not list it either
    expect(foreignExpert.statusCode).toBe(404);
    expect(otherClerk.statusCode).toBe(404);
    expect(ownExpertOtherFile.statusCode).toBe(404);
    const otherView = await t.request('GET', `/api/expert/meetings/${other.meetingId}`, { token: otherToken(0) });
    expect(otherView.json().materials.map((f: Material) => f.id)).not.toContain(material.id);
    // and the other meeting's expert cannot open this meeting to read its list
    const foreignView = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, { token: otherToken(0) });
    expect(foreignView.statusCode).toBe(403);
  });

  it('another clerk of the organiser reads a material; once 评审方案 names a supervising committee, its clerk reads it too', async () => {
    // given a material uploaded by one clerk, a second clerk of the same committee unit, and a committee of the other clerk's unit
    const { meeting } = await openMeeting();
    const material = await uploadPdf(t, CLERK, '评审工作方案.pdf');
    await savePlan(meeting, [material]);
    const organiser = await db.knex('users').where({ username: CLERK }).first();
    const at = new Date();
    await db.knex('users').insert({ username: 'materials_second_clerk', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '第二经办人', unit_id: organiser.unit_id, roles: ['committee_clerk'], status: 'active', password_changed_at: at, created_at: at, updated_at: at });
    const other = await db.knex('users').where({ username: OTHER_CLERK }).first();
    const template = await db.knex('committees').first();
    const [supervisor] = await db.knex('committees').insert({ ...template, id: undefined, name: '锦江区监督评委会', organizer_unit_id: other.unit_id }).returning('id');

    // when the second clerk asks for it, and the other unit's clerk before and after their committee supervises the meeting
    const second = await t.request('GET', `/api/files/${material.id}`, { user: 'materials_second_clerk' });
    const before = await t.request('GET', `/api/files/${material.id}`, { user: OTHER_CLERK });
    await db.knex('review_meetings').where({ id: meeting.meetingId }).update({ supervisor_committee_id: supervisor.id });
    const after = await t.request('GET', `/api/files/${material.id}`, { user: OTHER_CLERK });

    // then the organiser's clerk reads it, the supervisor only once named
    expect(second.statusCode, second.body).toBe(200);
    expect(before.statusCode).toBe(404);
    expect(after.statusCode, after.body).toBe(200);
  });

  it('a material taken out of 评审方案 is no longer readable by the experts', async () => {
    // given an expert who could download a material
    const { meeting, token } = await openMeeting();
    const material = await uploadPdf(t, CLERK, '旧版评审工作细则.pdf');
    await savePlan(meeting, [material]);
    expect((await t.request('GET', `/api/files/${material.id}`, { token: token(0) })).statusCode).toBe(200);

    // when the organiser removes it from the plan
    await savePlan(meeting, []);

    // then the expert's page lists nothing and the file answers 404
    const view = await t.request('GET', `/api/expert/meetings/${meeting.meetingId}`, { token: token(0) });
    expect(view.json().materials).toEqual([]);
    expect((await t.request('GET', `/api/files/${material.id}`, { token: token(0) })).statusCode).toBe(404);
  });
});
