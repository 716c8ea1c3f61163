import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { upload, uploadPdf } from '../helpers/files.ts';
import { deployBallotRound, expertTokens, NEW_PASSWORD, seedMeeting, startRound, type SeededMeeting } from '../helpers/ballots.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let meeting: SeededMeeting;
const CLERK = 'cd_pw';
// a 2×2 red PNG: small, but an image the browser decodes
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'meeting-materials',
    viewport: { width: 390, height: 844 },
    prepare: async (db, t) => {
      await deployBallotRound(t);
      meeting = await seedMeeting(db.knex, { experts: 1, candidates: 2, name: '2027年度工程技术中级评审会议' });
      // 评审方案 as the organiser saves it: a PDF and an image
      const rules = await uploadPdf(t, CLERK, '2027年度评审工作细则.pdf');
      const chart = (await upload(t, CLERK, [{ name: '评审流程图.png', type: 'image/png', content: PNG }])).json()[0];
      const detail = await t.request('GET', `/api/meetings/${meeting.meetingId}`, { user: CLERK });
      const plan = await t.request('PUT', `/api/meetings/${meeting.meetingId}/plan`, { user: CLERK, body: { supervisorCommitteeId: null, materials: [rules, chart], version: detail.json().version } });
      if (plan.statusCode !== 200) throw new Error(`plan: ${plan.statusCode} ${plan.body}`);
      // the expert's credential with the password already changed (the forced change is meeting-vote's)
      await expertTokens(t, CLERK, meeting);
      await startRound(t, meeting);
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const sideways = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);

describe('评审材料 in the 专家端 in Chromium', () => {
  it('on a 390 px phone the expert sees 评分标准 and 评审材料 and opens the PDF and the image in the page', async () => {
    session.keepScreenshotOnFailure('1-phone');
    // given the meeting's expert, logged in on a phone
    await page.goto(`${base}/?fresh=${Date.now()}#/login`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${base}/?fresh=${Date.now()}#/login`);
    await page.fill('input[name="username"]', `${meeting.experts[0]!.idNumber}-${meeting.meetingId}`);
    await page.fill('input[name="password"]', NEW_PASSWORD);
    await page.click('button[type="submit"]');

    // when the portal opens
    await page.waitForSelector('[data-testid="expert-portal"]', { timeout: 20_000 });

    // then the scoring standard and the review materials are there, the materials listed by name
    expect(await page.locator('[data-testid="scoring-standard"]').innerText()).toContain('评分标准');
    const section = page.locator('[data-testid="review-materials"]');
    await expect.poll(() => section.innerText()).toContain('评审材料（2 个）');
    expect(await section.locator('[data-file]').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-file')))).toEqual(['2027年度评审工作细则.pdf', '评审流程图.png']);
    await screenshot(page, 'meeting-materials-1-phone-portal');
    expect(await sideways()).toBeLessThanOrEqual(0);

    // and the PDF opens in the browser's viewer inside the page, fetched with the expert's login
    await section.locator('[data-file="2027年度评审工作细则.pdf"]').click();
    const frame = page.locator('[data-testid="file-preview-pdf"]');
    await frame.waitFor({ timeout: 20_000 });
    expect(await frame.evaluate((f: HTMLIFrameElement) => fetch(f.src).then(async (r) => `${r.headers.get('content-type') ?? (await r.blob()).type} ${(await r.text()).slice(0, 8)}`))).toBe('application/pdf %PDF-1.4');
    await screenshot(page, 'meeting-materials-2-phone-pdf');
    await page.getByRole('button', { name: '关闭' }).click();

    // and the image is shown as is
    await section.locator('[data-file="评审流程图.png"]').click();
    await expect.poll(() => page.locator('[data-testid="file-preview-image"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBe(2);
    expect(await page.locator('[data-testid="file-preview"]').getByRole('button', { name: '下载' }).isVisible()).toBe(true);
    await screenshot(page, 'meeting-materials-3-phone-image');
    await page.getByRole('button', { name: '关闭' }).click();
    expect(await sideways()).toBeLessThanOrEqual(0);
  });
});
