import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  // the server's clock: Monday 2026-03-02 09:00 in Shanghai
  session = await startConsoleSession({ prefix: 'deadlines', viewport: { width: 1366, height: 768 } });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString();

describe('working-day deadlines in the console, in Chromium', () => {
  it('the administrator sets 申报单位审核 to 5 工作日 as a number and a unit, and sees what a 多岗 step’s due date reaches', async () => {
    session.keepScreenshotOnFailure('1-settings');
    await login(page, base, 'admin');
    await page.goto(`${base}/#/settings/task-due-dates`);
    // given the diagram's P3D, shown in words
    const row = page.locator('tbody tr').filter({ has: page.locator('[data-testid="step-name"]', { hasText: /^申报单位审核$/ }) }).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('3 个工作日');
    // the page says how the 多岗 step relates to the level
    expect(await page.locator('[data-testid="due-date-help"]').innerText()).toContain('设置“申报单位审核”即同时用于它的各岗位');
    expect(await row.innerText()).toContain('此期限也用于“申报单位审核（多岗）”的每一个岗位');
    const posts = page.locator('tbody tr').filter({ has: page.locator('[data-testid="step-name"]', { hasText: /^申报单位审核（多岗）$/ }) }).first();
    expect(await posts.innerText()).toContain('每个岗位各自计算');

    // when the administrator asks for 5 without a number first, then with it
    await row.locator('button:has-text("设置")').click();
    const amount = page.getByRole('spinbutton', { name: '期限数值' });
    await amount.fill('');
    await page.click('[role="dialog"] button:has-text("保存")');
    await expect.poll(() => page.locator('[role="dialog"]').innerText()).toContain('请填写期限数值');
    await amount.fill('5');
    expect(await page.getByRole('combobox', { name: '期限单位' }).innerText()).toContain('工作日');
    await screenshot(page, 'deadlines-settings-dialog');
    await page.click('[role="dialog"] button:has-text("保存")');
    await page.waitForSelector('text=办理期限已保存');
    // then the row reads 5 个工作日 and the store holds it in words
    await expect.poll(() => row.innerText()).toContain('5 个工作日（已调整）');
    // and the 多岗 step of the level takes it too
    expect(await posts.innerText()).toContain('5 个工作日（沿用该级设置）');
    expect((await db.knex('task_settings').where({ element_id: 'unit_review' }).first()).due_date).toBe('5 工作日');
    await screenshot(page, 'deadlines-settings');

    // and a dossier reaching the employer on Monday is due at the end of next Monday
    const id = await submitDossier(t, 'zhangwei');
    const task = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    expect(new Date(task.due_at).toISOString()).toBe(endOf('2026-03-09'));
  });

  it('the applicant sees who holds the dossier and until when', async () => {
    session.keepScreenshotOnFailure('2-applicant');
    // given the diagram's 3 working days and lina's dossier reaching the employer on Monday 03-02
    await db.knex('task_settings').delete();
    await t.app.taskSettings.reload();
    await submitDossier(t, 'lina');
    await login(page, base, 'lina');
    await page.goto(`${base}/#/my-dossiers`);
    const holder = page.locator('[data-testid="holder"]').first();
    await holder.waitFor({ timeout: 20_000 });
    // then the holder, its step and the deadline (Thursday) with the working days left are in one line
    expect(await holder.innerText()).toBe('当前办理：成都示范科技有限公司 申报单位审核，办理期限 3月5日（还剩 3 个工作日）');
    await screenshot(page, 'deadlines-applicant-1366');
    // and on a phone the line is there too
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.reload();
      await page.locator('[data-testid="holder"]').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('[data-testid="holder"]').first().innerText()).toContain('还剩 3 个工作日');
      await screenshot(page, 'deadlines-applicant-390');
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });

  it('工作日历 is a month grid: official holidays are marked, a click makes a working day a holiday', async () => {
    session.keepScreenshotOnFailure('3-calendar');
    await login(page, base, 'admin');
    await page.goto(`${base}/#/calendar`);
    await page.getByLabel('年份').click();
    await page.getByRole('option', { name: '2026 年', exact: true }).click();
    // given October 2026: 国庆节 is marked off, Saturday 10-10 is an adjusted working day
    await page.getByLabel('月份').click();
    await page.getByRole('option', { name: '10 月', exact: true }).click();
    const national = page.locator('[data-day="2026-10-01"]');
    expect(await national.getAttribute('data-working')).toBe('false');
    expect(await national.innerText()).toContain('国庆节');
    expect(await page.locator('[data-day="2026-10-10"]').getAttribute('data-working')).toBe('true');
    await screenshot(page, 'deadlines-calendar-october');

    // when the administrator clicks Friday 12-04 and saves
    await page.getByRole('button', { name: '下个月' }).click();
    await page.getByRole('button', { name: '下个月' }).click();
    const friday = page.locator('[data-day="2026-12-04"]');
    expect(await friday.getAttribute('data-working')).toBe('true');
    await friday.click();
    expect(await friday.getAttribute('data-working')).toBe('false');
    expect(await friday.innerText()).toContain('休');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.waitForSelector('text=2026 年工作日历已保存');
    // then it is a holiday in the table and for the server's working-day sums at once
    expect(await db.knex('calendar_days').whereRaw("day = '2026-12-04'").first()).toMatchObject({ kind: 'holiday' });
    expect(t.app.calendar.addWorkingDays('2026-12-03', 1)).toBe('2026-12-07');
    // and a second click gives the day back, with the other holidays of the year untouched
    await friday.click();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(async () => (await db.knex('calendar_days').whereRaw("day = '2026-12-04'")).length).toBe(0);
    expect(t.app.calendar.isWorkingDay('2026-10-01')).toBe(false);
    await screenshot(page, 'deadlines-calendar');
  });

  it('多岗审核配置 marks matter types no flow uses yet, and says where the posts’ due dates are set', async () => {
    session.keepScreenshotOnFailure('4-review-levels');
    await login(page, base, 'admin');
    await page.goto(`${base}/#/review-levels`);
    await page.getByLabel('单位').fill('示范科技');
    await page.getByRole('option', { name: '成都示范科技有限公司' }).click();
    await page.waitForSelector('text=审核按岗位从上到下');
    expect(await page.locator('text=每个岗位的办理期限按“办理期限设置”中该级的期限').count()).toBe(1);
    await page.getByLabel('事项').click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options).toContain('申报材料审核');
    // 专家库审核 and 职称确认审核 are called with 多岗审核 by their flows; 专技人才审核 is not yet
    expect(options).toContain('专家库审核');
    expect(options).toContain('职称确认审核');
    expect(options).toContain('专技人才审核（尚未启用）');
    // 评审结果确认 is called with 多岗审核 by the result-confirmation flow
    expect(options).toContain('评审结果确认');
    // 历史职称数据审核 is called with 多岗审核 by the history-data-approval flow
    expect(options).toContain('历史职称数据审核');
    expect(options.filter((o) => o.includes('尚未启用'))).toHaveLength(1);
    await screenshot(page, 'deadlines-matter-types');
    await page.getByRole('option', { name: '专技人才审核（尚未启用）' }).click();
    expect(await page.locator('[data-testid="matter-unused"]').innerText()).toContain('尚未启用');
  });
});
