import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { credentialLogin } from '../../api/modules/ballots/ballots.service.ts';
import { credentialsIn, deployBallotRound, NEW_PASSWORD, pdfText, seedMeeting, startRound, type SeededMeeting } from '../helpers/ballots.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let meeting: SeededMeeting;
/** the one-time password printed for the first expert (the others changed theirs through the API) */
let firstPassword: string;
const tokens = new Map<number, string>();
// the login printed on the credential sheet (`zj` + the expert's id + `-` + the meeting)
const loginOf = (i: number) => credentialLogin(meeting.experts[i]!.expertId, meeting.meetingId);

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'meeting-vote',
    viewport: { width: 390, height: 844 },
    prepare: async (db, t) => {
      await deployBallotRound(t);
      meeting = await seedMeeting(db.knex, { experts: 3, candidates: 3, name: '2027年度工程技术中级评审会议' });
      const sheet = await t.request('POST', `/api/meetings/${meeting.meetingId}/credentials`, { user: 'cd_pw', body: {} });
      const printed = credentialsIn(pdfText(sheet.rawPayload));
      firstPassword = printed.get(loginOf(0))!;
      for (const i of [1, 2]) {
        const first = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: loginOf(i), password: printed.get(loginOf(i)) } })).json().token as string;
        const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { authorization: `Bearer ${first}` }, payload: { oldPassword: printed.get(loginOf(i)), newPassword: NEW_PASSWORD } });
        tokens.set(i, changed.json().token as string);
      }
      await startRound(t, meeting);
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const sideways = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);

async function loginAsExpert(username: string, password: string) {
  await page.goto(`${base}/?fresh=${Date.now()}#/login`);
  await page.evaluate('localStorage.clear()');
  await page.goto(`${base}/?fresh=${Date.now()}#/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
}

const submitByApi = (i: number, choice: 'agree' | 'disagree') =>
  session.t.request('POST', `/api/expert/meetings/${meeting.meetingId}/ballot/submit`, { token: tokens.get(i)!, body: { votes: meeting.candidates.map((c) => ({ dossierId: c.dossierId, choice })) } });

describe('the 专家端 in Chromium', () => {
  it('on a 390 px phone: the first login forces a new password, then the expert reads a dossier, votes on every candidate and submits once', async () => {
    session.keepScreenshotOnFailure('1-phone');
    // given the first expert with the password printed on the credential sheet
    await loginAsExpert(loginOf(0), firstPassword);

    // when they log in, the password change comes first
    await page.waitForSelector('[data-testid="change-password"]', { timeout: 20_000 });
    await page.getByLabel('原密码').fill(firstPassword);
    await page.getByLabel(/^新密码/).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await page.click('button:has-text("确认修改")');

    // then they land on their meeting's portal, without the staff menu, the candidates in the meeting's order
    await page.waitForSelector('[data-testid="expert-portal"]', { timeout: 20_000 });
    expect(page.url()).toContain(`/expert/meetings/${meeting.meetingId}`);
    expect(await page.locator('text=待办事项').count()).toBe(0);
    const names = await page.locator('[data-testid="candidate"] h6').allInnerTexts();
    expect(names.map((n) => n.replace(/^\d+\.\s*/, '').trim())).toEqual(meeting.candidates.map((c) => c.name));
    await screenshot(page, 'meeting-vote-1-phone-portal');
    expect(await sideways()).toBeLessThanOrEqual(0);

    // the full dossier opens in a dialog
    await page.locator('[data-testid="candidate"]').first().getByRole('button', { name: '查看申报材料' }).click();
    await page.waitForSelector('[data-testid="dossier-case"]', { timeout: 20_000 });
    await screenshot(page, 'meeting-vote-2-phone-dossier');
    await page.getByRole('button', { name: '关闭' }).click();

    // a submission with one candidate left is refused, naming them
    const cards = page.locator('[data-testid="candidate"]');
    await cards.nth(0).getByRole('button', { name: '同意', exact: true }).click();
    await cards.nth(1).getByRole('button', { name: '不同意' }).click();
    await page.getByRole('button', { name: '提交表决票' }).click();
    await page.getByRole('button', { name: '确定提交' }).click();
    await expect.poll(() => page.locator('[data-testid="portal-message"]').innerText()).toContain(meeting.candidates[2]!.name);

    // the last vote given, the ballot is submitted and can no longer change
    await cards.nth(2).getByRole('button', { name: '弃权' }).click();
    await expect.poll(() => page.locator('[data-testid="progress"]').innerText()).toContain('3 / 3');
    await page.getByRole('button', { name: '提交表决票' }).click();
    await page.getByRole('button', { name: '确定提交' }).click();
    await expect.poll(() => page.locator('[data-testid="ballot-status"]').innerText()).toContain('已提交');
    expect(await page.getByRole('button', { name: '提交表决票' }).isDisabled()).toBe(true);
    await screenshot(page, 'meeting-vote-3-phone-submitted');
    expect(await sideways()).toBeLessThanOrEqual(0);
    const stored = await session.db.knex('meeting_votes').where({ expert_id: meeting.experts[0]!.expertId }).orderBy('dossier_id');
    expect(stored.map((v) => v.choice).sort()).toEqual(['abstain', 'agree', 'disagree']);
  });

  it('at 1366×768 the second expert saves a draft and finds it again', async () => {
    session.keepScreenshotOnFailure('2-desktop');
    // given the second expert on a desktop screen
    await page.setViewportSize({ width: 1366, height: 768 });
    await loginAsExpert(loginOf(1), NEW_PASSWORD);
    await page.waitForSelector('[data-testid="expert-portal"]', { timeout: 20_000 });
    // when they vote on one candidate and save
    await page.locator('[data-testid="candidate"]').nth(1).getByRole('button', { name: '同意', exact: true }).click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="portal-message"]').innerText()).toContain('已保存');
    // then the draft is there after a reload
    await page.reload();
    await page.waitForSelector('[data-testid="expert-portal"]');
    await expect.poll(() => page.locator('[data-testid="progress"]').innerText()).toContain('1 / 3');
    await screenshot(page, 'meeting-vote-4-desktop-portal');
    expect(await sideways()).toBeLessThanOrEqual(0);
  });
});

describe('the 计票 screen in Chromium', () => {
  it('shows each expert\'s progress, marks an expert 缺席, hands a ballot back, and closes the tally when everyone is done', async () => {
    session.keepScreenshotOnFailure('3-tally');
    // given the committee's clerk on the tally screen while the second expert has not submitted
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/meetings/${meeting.meetingId}/tally`);
    await page.waitForSelector('[data-testid="tally-page"]', { timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid="waiting"]').innerText()).toContain(meeting.experts[1]!.name);
    expect(await page.getByRole('button', { name: '计票完成' }).isDisabled()).toBe(true);
    const first = page.locator(`[data-expert="${meeting.experts[0]!.name}"]`);
    expect(await first.innerText()).toContain('已提交');
    await screenshot(page, 'meeting-vote-5-tally-progress');

    // when the third expert is marked 缺席 and the second submits
    await page.locator(`[data-expert="${meeting.experts[2]!.name}"]`).getByRole('button', { name: '缺席' }).click();
    await page.getByLabel('原因').fill('因病未到会');
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.locator(`[data-expert="${meeting.experts[2]!.name}"]`).innerText()).toContain('缺席');
    expect((await submitByApi(1, 'disagree')).statusCode).toBe(200);
    await page.getByTestId('tally-page').getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.locator('[data-testid="waiting"]').count()).toBe(0);

    // and the second expert's ballot is handed back, corrected to 同意 and submitted again
    await page.locator(`[data-expert="${meeting.experts[1]!.name}"]`).getByRole('button', { name: '回退' }).click();
    await page.getByLabel('原因').fill('本人申请更正');
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.locator(`[data-expert="${meeting.experts[1]!.name}"]`).innerText()).toContain('已回退');
    expect((await submitByApi(1, 'agree')).statusCode).toBe(200);
    await page.getByTestId('tally-page').getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => page.getByRole('button', { name: '计票完成' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: '计票完成' }).click();

    // then the round is closed: 2 attending of 3 is valid; the first candidate (2 同意) passes, the second (1 of 2) fails
    await expect.poll(() => page.locator('[data-testid="tally-round"]').innerText()).toContain('计票完成');
    const round = await page.locator('[data-testid="tally-round"]').innerText();
    expect(round).toContain('本轮有效');
    expect(await page.locator(`[data-candidate="${meeting.candidates[0]!.name}"]`).innerText()).toContain('通过');
    expect(await page.locator(`[data-candidate="${meeting.candidates[1]!.name}"]`).innerText()).toContain('未通过');
    await screenshot(page, 'meeting-vote-6-tally-closed');
    expect(await sideways()).toBeLessThanOrEqual(0);
  });
});
