import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { completeOk, submitDossier, taskOf } from '../helpers/flow.ts';
import { addReceivedDossiers } from '../helpers/meeting-fixtures.ts';
import { VALID_DOSSIER } from '../helpers/app.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;
let instanceId: string;
let dossierId: number;
let meetingId: number;
const PHONE = '13977771234';
const COMPLAINANT_PHONE = '13966665678';

const pageScrollsSideways = () => page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);
const pageViews = () => db.knex('audit_events').where({ action: 'pii.view' }).orderBy('id');

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'pii-dossiers',
    viewport: { width: 1366, height: 768 },
    // a published notice of a closed meeting with one passed candidate, and an offline complaint (server clock 2026-03-02)
    prepare: async (database, app) => {
      const [candidate] = await addReceivedDossiers(database.knex, [{ name: '公示甲' }]);
      const activity = await database.knex('activities').where({ id: 1 }).first('committee_id');
      const at = app.clock.now();
      const [meeting] = await database.knex('review_meetings').insert({ activity_id: 1, committee_id: activity.committee_id, kind: 'normal', name: '2026年度普通评审会议', status: 'closed', created_at: at, updated_at: at }).returning('id');
      meetingId = Number(meeting.id);
      await database.knex('meeting_candidates').insert({ meeting_id: meetingId, dossier_id: candidate, order_no: 1, status: 'passed', result_round: 'plenary', created_at: at });
      await database.knex.transaction((trx) =>
        app.app.engine.publishMessage(trx, { name: 'result-publicity-requested', correlationKey: `publicity:meeting:${meetingId}`, payload: { meetingId, activityId: 1, committeeId: Number(activity.committee_id) } }),
      );
      await app.app.engine.deliverMessages();
      const publishTask = (await app.request('GET', `/api/meetings/${meetingId}/publicity`, { user: 'cd_pw' })).json().publishTaskId as string;
      await completeOk(app, 'cd_pw', publishTask, 'complete', undefined, { periodStart: '2026-03-02', periodEnd: '2026-03-13', contactPerson: '王老师', contactPhone: '028-61888888', contactAddress: '成都市高新区天府大道1号' });
      const complaint = await app.request('POST', `/api/meetings/${meetingId}/publicity/complaints`, {
        user: 'cd_pw',
        body: { dossierId: candidate, reason: '电话反映其任职年限不足', complainantName: '王五', complainantPhone: COMPLAINANT_PHONE, complainantIdentity: '510104198201010015' },
      });
      expect(complaint.statusCode, complaint.body).toBe(201);
    },
  });
  ({ db, t, page, base } = session);
  // 张伟's declaration with his phone, at his employer's review
  instanceId = await submitDossier(t, 'zhangwei', { ...VALID_DOSSIER, phone: PHONE });
  dossierId = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('masked numbers with 查看, in Chromium', () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    it(`the 办理 task page shows 联系电话 masked, and 查看 shows it whole and is audited (${viewport.width} px)`, async () => {
      session.keepScreenshotOnFailure(`task-${viewport.width}`);
      // given the employer's clerk on the review task
      await page.setViewportSize(viewport);
      await login(page, base, 'kj_hr');
      await page.goto(`${base}/#/tasks/${(await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id}/handle`);
      await page.waitForSelector('[data-testid="case-data"] [data-testid="pii-view-phone"]', { timeout: 20_000 });
      // then the phone reads masked, nowhere whole
      expect(await page.locator('[data-testid="pii-view-phone-text"]').innerText()).toBe('139****1234');
      expect(await page.locator('body').innerText()).not.toContain(PHONE);
      expect(await pageScrollsSideways()).toBe(false);
      await screenshot(page, `pii-dossiers-task-${viewport.width}-masked`);

      // when they press 查看
      const before = (await pageViews()).length;
      await page.click('[data-testid="pii-view-phone"]');
      // then the whole number shows in its place, and the view is in the audit
      await expect.poll(() => page.locator('[data-testid="pii-view-phone-text"]').innerText(), { timeout: 10_000 }).toBe(PHONE);
      const views = await pageViews();
      expect(views).toHaveLength(before + 1);
      expect(views.at(-1)).toMatchObject({ target_id: `dossier:${dossierId}` });
      await screenshot(page, `pii-dossiers-task-${viewport.width}-shown`);
    });

    it(`评审结果公示 lists a complainant’s numbers masked, 查看 opens the phone for the organiser’s clerk (${viewport.width} px)`, async () => {
      session.keepScreenshotOnFailure(`publicity-${viewport.width}`);
      // given the committee's clerk on the meeting's publicity page
      await page.setViewportSize(viewport);
      await login(page, base, 'cd_pw');
      await page.goto(`${base}/#/meetings/${meetingId}/publicity`);
      const row = page.locator('[data-testid="complaint-row"]', { hasText: '王五' });
      await row.waitFor({ timeout: 20_000 });
      // then the complainant's phone and ID number are masked
      expect(await row.locator('[data-testid="complainant-phone-view-text"]').innerText()).toBe('139****5678');
      expect(await row.locator('[data-testid="complainant-identity-view-text"]').innerText()).toBe('5101**********0015');
      expect(await page.locator('body').innerText()).not.toContain(COMPLAINANT_PHONE);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `pii-dossiers-publicity-${viewport.width}-masked`);

      // when they press 查看 beside the phone, to call back
      await row.locator('[data-testid="complainant-phone-view"]').click();
      // then it is whole
      await expect.poll(() => row.locator('[data-testid="complainant-phone-view-text"]').innerText(), { timeout: 10_000 }).toBe(COMPLAINANT_PHONE);
      expect((await pageViews()).at(-1)).toMatchObject({ target_id: expect.stringMatching(/^complaint:/) });
      await screenshot(page, `pii-dossiers-publicity-${viewport.width}-shown`);
    });
  }
});
