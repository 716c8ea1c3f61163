import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { addReceivedDossiers } from '../helpers/meeting-fixtures.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;
let meetingId: number;
const NAMES = ['公示甲', '公示乙'];

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'result-publicity',
    viewport: { width: 1366, height: 768 },
    // a closed normal meeting with two passed candidates, handed over to the publicity (the server's clock is 2026-03-02)
    prepare: async (database, app) => {
      const ids = await addReceivedDossiers(database.knex, NAMES.map((name) => ({ name })));
      const activity = await database.knex('activities').where({ id: 1 }).first('committee_id');
      const at = app.clock.now();
      const [meeting] = await database
        .knex('review_meetings')
        .insert({ activity_id: 1, committee_id: activity.committee_id, kind: 'normal', name: '2026年度普通评审会议', status: 'closed', created_at: at, updated_at: at })
        .returning('id');
      meetingId = Number(meeting.id);
      await database.knex('meeting_candidates').insert(ids.map((id, i) => ({ meeting_id: meetingId, dossier_id: id, order_no: i + 1, status: 'passed', result_round: 'plenary', created_at: at })));
      await database.knex.transaction((trx) =>
        app.app.engine.publishMessage(trx, { name: 'result-publicity-requested', correlationKey: `publicity:meeting:${meetingId}`, payload: { meetingId, activityId: 1, committeeId: Number(activity.committee_id) } }),
      );
      await app.app.engine.deliverMessages();
    },
  });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const body = () => page.locator('body').innerText();

function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pdf-')), 'publicity.pdf');
  fs.writeFileSync(file, pdf);
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], { stdio: 'ignore', env });
  }
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

describe('评审结果公示 in the console, in Chromium', () => {
  it('the committee clerk publishes the notice (a 4-working-day period refused) and enters an offline complaint', async () => {
    session.keepScreenshotOnFailure('1-committee');
    // Given the clerk on the meeting's 评审结果公示 page
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/meetings/${meetingId}/publicity`);
    await page.getByRole('button', { name: '发布公示公告' }).click();
    await page.getByLabel('公示开始日期').waitFor({ timeout: 20_000 });

    // When they enter 3月3日 – 3月6日 (Tuesday to Friday: 4 working days)
    await page.getByLabel('公示开始日期').fill('2026-03-03');
    await page.getByLabel('公示结束日期').fill('2026-03-06');
    await page.getByLabel('联系人').fill('王老师');
    await page.getByLabel('联系电话').fill('028-61888888');
    await page.getByLabel('联系地址').fill('成都市高新区天府大道1号');
    await page.click('button[data-action="complete"]');
    // Then the rule is named and nothing is published
    await expect.poll(body, { timeout: 20_000 }).toContain('公示期不少于5个工作日');
    expect((await db.knex('publicity_notices').where({ meeting_id: meetingId }).first()).status).toBe('drafting');

    // When the period runs to 3月9日 (5 working days)
    await page.getByLabel('公示结束日期').fill('2026-03-09');
    await page.click('button[data-action="complete"]');
    // (the task page goes back to the inbox)
    await page.waitForURL(/#\/tasks$/, { timeout: 20_000 });
    await expect.poll(async () => (await db.knex('publicity_notices').where({ meeting_id: meetingId }).first()).status, { timeout: 20_000 }).toBe('published');

    // Then the page shows the notice with the candidates
    await page.goto(`${base}/#/meetings/${meetingId}/publicity`);
    await page.waitForSelector('[data-testid="publicity-candidates"]', { timeout: 20_000 });
    for (const name of NAMES) expect(await page.locator('[data-testid="publicity-candidates"]').innerText()).toContain(name);
    await screenshot(page, 'result-publicity-committee');

    // When the clerk enters an offline complaint (录入线下投诉结果) with evidence
    await page.getByRole('button', { name: '录入线下投诉结果' }).click();
    await page.getByRole('combobox', { name: '被投诉人' }).click();
    await page.getByRole('option', { name: /公示乙/ }).click();
    await page.getByLabel('投诉人姓名').fill('王五');
    await page.getByLabel('投诉人身份证号或单位').fill('510104198001010011');
    await page.getByLabel('手机号码').fill('13900000000');
    await page.getByLabel('投诉原因').fill('来电反映其任职年限不足');
    await page.locator('[data-testid="evidence-input"]').setInputFiles({ name: '来电记录.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 来电记录\n') });
    await page.waitForSelector('.MuiChip-root:has-text("来电记录.pdf")');
    await page.getByRole('button', { name: '确定' }).click();

    // Then it is listed as 调查核实中 with its 调查核实 task
    const row = page.locator('[data-testid="complaint-row"]', { hasText: '王五' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('调查核实中');
    expect(await row.innerText()).toContain('来电记录.pdf');
    await screenshot(page, 'result-publicity-complaints');

    // When the clerk concludes it 不属实 with a 核实意见 on the same page
    await row.getByRole('button', { name: '不属实' }).click();
    await page.getByLabel('核实意见').fill('经核实任职年限符合要求');
    await page.getByRole('button', { name: '确定' }).click();
    // Then the row shows 不属实 with the conclusion, and the candidate keeps the result
    await expect.poll(() => page.locator('[data-testid="complaint-row"]', { hasText: '王五' }).innerText(), { timeout: 20_000 }).toContain('经核实任职年限符合要求');
    expect(await page.locator('[data-testid="complaint-row"]', { hasText: '王五' }).innerText()).toContain('不属实');
    expect((await db.knex('meeting_candidates').where({ meeting_id: meetingId }).orderBy('order_no').select('status')).map((c) => c.status)).toEqual(['passed', 'passed']);
  });

  it('anyone sees the notice on the public home page without login, on a phone, and its PDF lists the candidates', async () => {
    session.keepScreenshotOnFailure('2-public');
    // Given nobody is logged in, on a 390 px phone
    await page.evaluate('localStorage.clear()');
    await page.setViewportSize({ width: 390, height: 844 });
    // When they open the home page
    await page.goto(`${base}/?fresh=${Date.now()}#/public/activities`);
    const list = page.locator('[data-testid="public-publicity"]');
    await list.waitFor({ timeout: 20_000 });
    // Then the notice is listed as 公示中, and opens with the names
    expect(await list.innerText()).toContain('公示中');
    await list.getByRole('link').first().click();
    await page.waitForSelector('[data-testid="publicity-candidates"]', { timeout: 20_000 });
    const text = await page.locator('[data-testid="publicity-notice"]').innerText();
    for (const name of NAMES) expect(text).toContain(name);
    expect(text).toContain('王老师');
    await screenshot(page, 'result-publicity-public-phone');
    // and the PDF link serves the notice without a token
    const href = await page.locator('[data-testid="publicity-pdf"]').getAttribute('href');
    const res = await page.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    const pdf = pdfText(Buffer.from(await res.body()));
    for (const name of NAMES) expect(pdf).toContain(name);
    expect(pdf).toContain('2026年3月3日 至 2026年3月9日');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('a logged-in person files 我要反馈 and sees the conclusion in 我的反馈', async () => {
    session.keepScreenshotOnFailure('3-feedback');
    // Given an applicant on 我要反馈
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/publicity-feedback`);
    await page.getByRole('button', { name: '我要反馈' }).click();
    // When they file a complaint against 公示甲 with evidence
    await page.getByRole('combobox', { name: '被投诉人' }).click();
    await page.getByRole('option', { name: /公示甲/ }).click();
    await page.getByLabel('投诉原因').fill('其代表作系他人代写');
    await page.locator('[data-testid="evidence-input"]').setInputFiles({ name: '证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 证明\n') });
    await page.waitForSelector('.MuiChip-root:has-text("证明.pdf")');
    await page.getByRole('button', { name: '确定' }).click();
    // Then 我的反馈 lists it as 调查核实中
    const mine = page.locator('[data-testid="my-feedback"]');
    await mine.waitFor({ timeout: 20_000 });
    expect(await mine.innerText()).toContain('调查核实中');

    // When the committee concludes it 属实
    const complaint = await db.knex('publicity_complaints').where({ kind: 'online' }).first();
    const task = await db.knex('tasks').where({ root_instance_id: complaint.instance_id, status: 'open' }).first('id');
    const done = await t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'cd_pw', body: { action: 'uphold', opinion: '经核实，投诉属实' } });
    expect(done.statusCode, done.body).toBe(200);

    // Then the complainant sees 属实 with the conclusion
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="my-feedback"]').innerText(), { timeout: 20_000 }).toContain('经核实，投诉属实');
    expect(await page.locator('[data-testid="my-feedback"]').innerText()).toContain('属实');
    await screenshot(page, 'result-publicity-my-feedback');
    // and 我的反馈 reads on a 390 px phone (the table scrolls inside its card, the page does not)
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('[data-testid="my-feedback"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'result-publicity-my-feedback-phone');
  });
});
