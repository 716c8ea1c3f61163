import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { seedMeeting, type SeededMeeting } from '../helpers/ballots.ts';

/**
 * A large meeting in the console (issue 21): 评审会议详情, 人员分配 and 计票 page their candidates
 * instead of drawing thousands of rows, at 1366×768 and on a 390 px phone.
 */
let session: ConsoleSession;
let big: SeededMeeting;
let counted: SeededMeeting;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'meeting-pages',
    viewport: { width: 1366, height: 768 },
    prepare: async (db) => {
      big = await seedMeeting(db.knex, { experts: 3, candidates: 230, name: '大型评审会议' });
      // still before voting: 人员分配 may change
      await db.knex('review_meetings').where({ id: big.meetingId }).update({ status: 'preparing' });
      counted = await seedMeeting(db.knex, { experts: 3, candidates: 120, name: '已计票评审会议' });
      // the second meeting's round counted: every expert agreed on the first 80 in its order
      const at = new Date('2026-06-02T02:00:00Z');
      const [round] = await db.knex('meeting_rounds').insert({ meeting_id: counted.meetingId, kind: 'plenary', method: 'vote', status: 'voting', confirmed_count: 3, opened_at: at }).returning('id');
      await db.knex('meeting_ballots').insert(counted.experts.map((e) => ({ round_id: round.id, meeting_id: counted.meetingId, expert_id: e.expertId, status: 'submitted', submitted_at: at, updated_at: at })));
      const votes = counted.experts.flatMap((e) => counted.candidates.map((c, j) => ({ round_id: round.id, expert_id: e.expertId, dossier_id: c.dossierId, choice: j < 80 ? 'agree' : 'disagree', updated_at: at })));
      await db.knex('meeting_votes').insert(votes);
      await db.knex('meeting_rounds').where({ id: round.id }).update({ status: 'closed', valid: true, closed_at: at });
    },
  });
  await login(session.page, session.base, 'cd_pw');
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const rows = (testId: string) => session.page.locator(`[data-testid="${testId}"] tbody tr`);

describe('a meeting of hundreds, page by page, in Chromium', () => {
  it('评审会议详情 shows 50 candidates of 230 with the count, and the next page goes on in the meeting order', async () => {
    session.keepScreenshotOnFailure('1-show');
    const { page, base } = session;
    // when the clerk opens the meeting
    await page.goto(`${base}/#/meetings/${big.meetingId}`);
    await page.getByText('参评人员（230）').waitFor({ timeout: 20_000 });
    // then one page of 50 is drawn, the first in the meeting's order
    await expect.poll(() => rows('meeting-candidates').count()).toBe(50);
    expect(await rows('meeting-candidates').first().innerText()).toContain(big.candidates[0]!.name);
    expect(await page.getByText('1–50，共 230 人').count()).toBe(1);
    // and the next page starts at the 51st
    await page.getByRole('button', { name: /next page|下一页/i }).click();
    await expect.poll(() => rows('meeting-candidates').first().innerText()).toContain(big.candidates[50]!.name);
    expect(await page.getByText('51–100，共 230 人').count()).toBe(1);
    await screenshot(page, 'meeting-pages-show-1366');
  });

  it('the name filter narrows the list to names starting so', async () => {
    const { page } = session;
    // when the clerk types the start of one candidate's name
    const wanted = big.candidates[120]!.name;
    await page.fill('[data-testid="candidate-name"]', wanted);
    await page.keyboard.press('Enter');
    // then the list holds them, from the first page
    await expect.poll(() => rows('meeting-candidates').first().innerText()).toContain(wanted);
    for (const text of await rows('meeting-candidates').allInnerTexts()) expect(text).toContain(wanted.slice(0, 3));
  });

  it('人员分配: 全选本页 on two pages selects 100, and the assignment reaches both pages', async () => {
    session.keepScreenshotOnFailure('2-assignment');
    const { page, base } = session;
    // given the 人员分配 page of the meeting
    await page.goto(`${base}/#/meetings/${big.meetingId}/assignment`);
    await expect.poll(() => rows('assignment-candidates').count(), { timeout: 20_000 }).toBe(50);
    // when the clerk selects the first page, goes on, and selects the second
    await page.getByLabel('全选本页').check();
    await page.getByRole('button', { name: /next page|下一页/i }).click();
    await expect.poll(() => rows('assignment-candidates').first().innerText()).toContain(big.candidates[50]!.name);
    await page.getByLabel('全选本页').check();
    // then 100 are selected
    await page.getByText('已选 100 名参评人员').waitFor();
    // and assigning them gives the first 100 their 主审, leaving 130 without
    await page.selectOption('[data-testid="main-expert"]', String(big.experts[0]!.expertId));
    await page.click('[data-testid="assign"]');
    await page.getByText('参评人员（230，未分配主审 130）').waitFor({ timeout: 20_000 });
    const assigned = await session.db.knex('meeting_assignments').where({ meeting_id: big.meetingId, role: 'main' }).pluck('dossier_id');
    expect(assigned.map(Number).sort((a, b) => a - b)).toEqual(big.candidates.slice(0, 100).map((c) => c.dossierId).sort((a, b) => a - b));
    await screenshot(page, 'meeting-pages-assignment-1366');
  });

  it('计票 counts the round without listing it, and pages its results', async () => {
    session.keepScreenshotOnFailure('3-tally');
    const { page, base } = session;
    // when the clerk opens the counted meeting's 计票
    await page.goto(`${base}/#/meetings/${counted.meetingId}/tally`);
    await page.getByText('本轮参评 120 人').waitFor({ timeout: 20_000 });
    // then 50 results are drawn, the first ones passed, and the third page holds the last 20, failed
    await expect.poll(() => rows('tally-results').count()).toBe(50);
    expect(await rows('tally-results').first().innerText()).toContain('通过');
    await page.getByRole('button', { name: /next page|下一页/i }).click();
    await page.getByRole('button', { name: /next page|下一页/i }).click();
    await expect.poll(() => rows('tally-results').count()).toBe(20);
    expect(await rows('tally-results').last().innerText()).toContain('未通过');
    await screenshot(page, 'meeting-pages-tally-1366');
  });

  it('on a 390 px phone the meeting page and its pager fit the width', async () => {
    session.keepScreenshotOnFailure('4-phone');
    const { page, base } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    // when the clerk opens the meeting on the phone
    await page.goto(`${base}/#/meetings/${big.meetingId}`);
    await expect.poll(() => rows('meeting-candidates').count(), { timeout: 20_000 }).toBe(50);
    // then the pager is there and the page does not scroll sideways
    await page.locator('[data-testid="candidate-pagination"]').scrollIntoViewIfNeeded();
    expect(await page.locator('[data-testid="candidate-pagination"]').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await screenshot(page, 'meeting-pages-show-390');
  });
});
