import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { completeOk, openTasksAt, passEmployer, publicityPeriod, startDossier, submitDossier, taskOf } from '../helpers/flow.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;
let people = 0;

/** A new applicant of the demo employer, by user name; their display name is 收件人N. */
const applicant = () => `inbox_${++people}`;
const nameOf = (username: string) => `收件人${username.split('_')[1]}`;

const row = (text: string) => page.locator('[data-testid="inbox"] tbody tr', { hasText: text }).first();
const badge = () => page.locator('[data-testid="inbox-badge"] .MuiBadge-badge');

/** What the API counts as the user's open tasks (the badge must show the same). */
async function openCount(user: string): Promise<number> {
  const res = await t.request('GET', '/api/tasks/counts', { user });
  return (res.json() as Array<{ count: number }>).reduce((sum, c) => sum + c.count, 0);
}

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'inbox',
    viewport: { width: 1366, height: 768 },
    prepare: async (database) => {
      const { employer } = await demoChainUnits(database.knex);
      const hash = await hashPassword(DEMO_PASSWORD);
      await database.knex('users').insert(Array.from({ length: 12 }, (_, i) => ({ username: `inbox_${i + 1}`, password_hash: hash, display_name: `收件人${i + 1}`, unit_id: employer.id, roles: ['applicant'] })));
    },
  });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('待办事项 for applicants', () => {
  it('shows the applicant a simple list of their own steps, without checkboxes or batch actions, on a phone too', async () => {
    session.keepScreenshotOnFailure('1-applicant');
    // given an applicant with a dossier to fill in
    const user = applicant();
    await startDossier(t, user);

    // when they open 待办事项 on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await login(page, base, user);
      await page.goto(`${base}/#/tasks`);
      const card = page.locator('[data-testid="applicant-task"]').first();
      await card.waitFor({ timeout: 20_000 });

      // then each step is a card with 去办理, and nothing of the clerks' inbox is there
      expect(await page.locator('[data-testid="applicant-task"]').count()).toBe(1);
      expect(await card.innerText()).toContain('去办理');
      expect(await page.locator('input[type="checkbox"]').count()).toBe(0);
      expect(await page.locator('text=批量通过').count()).toBe(0);
      expect(await page.locator('text=办理单位').count()).toBe(0);
      await screenshot(page, 'inbox-1-applicant-phone');

      // and 去办理 opens the step
      await card.locator('button:has-text("去办理")').click();
      await page.waitForURL(/#\/tasks\/[0-9a-f-]+\/handle/);
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });
});

describe('待办事项 for clerks', () => {
  it('tints overdue rows and rows due today, with how late or when', async () => {
    session.keepScreenshotOnFailure('2-due');
    // given two dossiers at the employer: one 2 days overdue, one due in two hours (the server's clock)
    const late = applicant();
    const soon = applicant();
    const now = t.clock.now().getTime();
    for (const [user, due] of [[late, now - 2 * 86_400_000], [soon, now + 2 * 3_600_000]] as const) {
      const id = await submitDossier(t, user);
      await db.knex('tasks').where({ root_instance_id: id, element_id: 'unit_review', status: 'open' }).update({ due_at: new Date(due) });
    }

    // when the clerk opens the inbox
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks`);
    await row(nameOf(late)).waitFor({ timeout: 20_000 });

    // then the overdue row is red and says by how much, the one due today amber
    expect(await row(nameOf(late)).innerText()).toContain('已超期 2 天');
    expect(await row(nameOf(soon)).innerText()).toContain('今日到期');
    const background = (text: string) => row(text).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await background(nameOf(late))).toBe('rgba(211, 47, 47, 0.1)');
    expect(await background(nameOf(soon))).toBe('rgba(237, 108, 2, 0.12)');
    await screenshot(page, 'inbox-2-due');
  });

  it('passes a batch at 申报单位审核 with one shared 公示证明 and 推荐材料, showing progress, and the badge drops', async () => {
    session.keepScreenshotOnFailure('3-batch-pass');
    // given three dossiers at the employer
    const users = [applicant(), applicant(), applicant()];
    const ids = [];
    for (const user of users) ids.push(await submitDossier(t, user));
    const before = await openCount('kj_hr');

    // when the clerk opens the inbox, the 待办事项 badge shows their open tasks
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks`);
    await row(nameOf(users[2]!)).waitFor({ timeout: 20_000 });
    await expect.poll(() => badge().innerText()).toBe(String(before));

    // when they select the three and pass them as one batch, uploading the two files once
    for (const user of users) await row(nameOf(user)).locator('input[type="checkbox"]').check();
    await page.click('button:has-text("批量通过")');
    const period = publicityPeriod(t.clock.now());
    await page.locator('input[name="publicityStart"]').waitFor({ timeout: 20_000 });
    await page.fill('input[name="publicityStart"]', period.publicityStart);
    await page.fill('input[name="publicityEnd"]', period.publicityEnd);
    for (const [field, name] of [['publicityProof', '公示证明.pdf'], ['recommendation', '综合推荐材料.pdf']] as const) {
      const input = page.locator(`[data-field="${field}"] input[type="file"]`);
      await input.waitFor({ state: 'attached', timeout: 20_000 });
      await input.setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${name}`) });
      await expect.poll(() => page.locator(`[data-field="${field}"]`).innerText()).toContain(name);
    }
    // the opinion comes from a preset 常用意见
    await page.click('[data-testid="saved-opinions"]');
    await page.click('li[role="option"]:has-text("同意推荐。")');
    expect(await page.inputValue('[data-testid="opinion"]')).toBe('同意推荐。');
    // each part of the batch is held a moment, so the progress is there to be seen
    await page.route('**/api/tasks/batch-complete', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.click('button:has-text("确定审核通过")');

    // then the progress shows, and the result reports all three
    await expect.poll(() => page.locator('[data-testid="batch-progress"]').innerText()).toContain('已处理 0/3');
    // a second click while it runs sends nothing
    expect(await page.locator('.MuiDialog-root button:has-text("确定审核通过")').isDisabled()).toBe(true);
    await screenshot(page, 'inbox-3-batch-progress');
    await page.waitForSelector('[data-testid="batch-results"]', { timeout: 30_000 });
    expect(await page.locator('.MuiDialog-root').last().innerText()).toContain('已处理 3/3：成功 3 项，失败 0 项');
    await screenshot(page, 'inbox-3-batch-result');
    await page.unroute('**/api/tasks/batch-complete');
    await page.click('button:has-text("关闭")');

    // each dossier went on to the department with the shared files of its own
    for (const id of ids) {
      expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
      expect(await db.knex('files').where({ root_instance_id: id }).pluck('name')).toEqual(expect.arrayContaining(['公示证明.pdf', '综合推荐材料.pdf']));
    }
    // and the badge dropped by three
    await expect.poll(() => badge().innerText(), { timeout: 20_000 }).toBe(String(before - 3));
  });

  it('asks 退回至 for a batch return, offering the levels every case allows, and confirms before returning', async () => {
    session.keepScreenshotOnFailure('4-batch-return');
    // given two dossiers at the city's HR bureau
    const users = [applicant(), applicant()];
    const ids = [];
    for (const user of users) {
      const id = await submitDossier(t, user);
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id, '同意推荐');
      await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass', '同意');
      ids.push(id);
    }

    // when the bureau's clerk selects both and chooses 批量退回
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/tasks`);
    await row(nameOf(users[1]!)).waitFor({ timeout: 20_000 });
    for (const user of users) await row(nameOf(user)).locator('input[type="checkbox"]').check();
    await page.click('button:has-text("批量退回")');

    // then 退回至 offers the chain's levels below the bureau
    const choice = page.locator('.MuiDialog-root [role="radiogroup"]');
    await choice.waitFor({ timeout: 20_000 });
    expect((await choice.innerText()).split('\n').filter(Boolean)).toEqual(['申报人', '申报单位', '主管部门']);

    // when they choose 主管部门 with an opinion and confirm
    await page.click('.MuiDialog-root label:has-text("主管部门")');
    await page.fill('[data-testid="opinion"]', '请主管部门补充推荐意见');
    await page.click('.MuiDialog-root button:has-text("确定退回")');
    const confirm = page.locator('[data-testid="batch-return-confirm"]');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('将所选 2 项退回至“主管部门”');
    await screenshot(page, 'inbox-4-return-confirm');
    // nothing moves before the confirmation
    for (const id of ids) expect(await openTasksAt(db.knex, id, 'bureau_review')).toBe(1);
    await page.locator('.MuiDialog-root').last().locator('button:has-text("确定退回")').click();

    // then both are back at the department
    await page.waitForSelector('[data-testid="batch-results"]', { timeout: 30_000 });
    await page.click('button:has-text("关闭")');
    for (const id of ids) expect(await openTasksAt(db.knex, id, 'department_review')).toBe(1);
  });
});
