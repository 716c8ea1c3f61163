import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';
import { shanghaiDate } from '../../api/modules/calendar/calendar.service.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'operator', prepare: async (db, t) => {
    // a second clerk in the employer, so the unit can have two review posts
    const clerk = await db.knex('users').where({ username: 'kj_hr' }).first();
    await db.knex('users').insert({ ...clerk, id: undefined, username: 'kj_hr2', display_name: '示范科技复核人' });
    // version 2 of the dossier flow, with one task renamed
    const v1 = await db.knex('process_definitions').where({ key: 'dossier-review', version: 1 }).first();
    await t.app.engine.deploy(String(v1.xml).replace('name="申报单位审核"', 'name="申报单位初审"'));
  } });
  ({ db, t, page, base } = session);
  await login(page, base, 'admin');
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const keepScreenshotOnFailure = (name: string) => session.keepScreenshotOnFailure(name);

describe('operator screens, in Chromium', () => {
  it('shows side by side what changed from the previous version of a flow', async () => {
    keepScreenshotOnFailure('diff');
    await page.goto(`${base}/#/process-definitions`);
    await page.click('[data-testid="diff-dossier-review"]');
    const list = page.locator('[data-testid="diff-list"]');
    await list.waitFor({ timeout: 30_000 });
    const text = await list.innerText();
    expect(text).toContain('修改');
    expect(text).toContain('name：申报单位审核 → 申报单位初审');
    expect(await page.locator('[data-testid="diff-view"]').innerText()).toContain('共 1 处变化');
    // both diagrams are drawn, the changed task marked on each
    await expect.poll(() => page.locator('[data-testid="diff-view"] [data-element-id="unit_review"].zcps-changed').count()).toBe(2);
    await screenshot(page, 'operator-diff');
    await page.click('button:has-text("关闭")');
  });

  it('sets a step’s due date, and the next task to arrive there carries it', async () => {
    keepScreenshotOnFailure('due-dates');
    await page.goto(`${base}/#/settings/task-due-dates`);
    const row = page.locator('tbody tr', { hasText: '申报单位初审' }).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('3 个工作日');
    await row.locator('button:has-text("设置")').click();
    const input = page.getByRole('spinbutton', { name: '期限数值' });
    await input.fill('0');
    await page.click('button:has-text("保存")');
    // the API's refusal is shown beside the field and the dialog stays open
    await expect.poll(() => page.locator('[role="dialog"]').innerText()).toContain('期限数值：至少为 1');
    expect(await db.knex('task_settings').count({ n: '*' })).toEqual([{ n: 0 }]);
    await input.fill('5');
    await page.click('button:has-text("保存")');
    await page.waitForSelector('text=办理期限已保存');
    await expect.poll(async () => page.locator('tbody tr', { hasText: '申报单位初审' }).first().innerText()).toContain('5 个工作日（已调整）');
    await screenshot(page, 'operator-due-dates');

    const id = await submitDossier(t, 'zhangwei');
    const review = await db.knex('tasks').where({ root_instance_id: id, status: 'open' }).first();
    expect(review.name).toBe('申报单位初审');
    // the end of the fifth working day after the task arrived
    const fifth = t.app.calendar.addWorkingDays(shanghaiDate(new Date(review.created_at)), 5);
    expect(new Date(review.due_at).toISOString()).toBe(new Date(`${fifth}T23:59:59.999+08:00`).toISOString());
  });

  it('configures two review posts for a unit, with staff chosen from that unit only', async () => {
    keepScreenshotOnFailure('review-levels');
    await page.goto(`${base}/#/review-levels`);
    await page.getByLabel('单位').fill('示范科技');
    await page.getByRole('option', { name: '成都示范科技有限公司' }).click();
    await page.waitForSelector('text=审核按岗位从上到下');
    await page.click('button:has-text("添加岗位")');
    await page.click('button:has-text("添加岗位")');
    const posts = page.locator('[data-testid="post"]');
    await expect.poll(() => posts.count()).toBe(2);
    await posts.nth(0).getByLabel('岗位名称').fill('初审岗');
    await posts.nth(1).getByLabel('岗位名称').fill('复核岗');
    await posts.nth(0).getByLabel('审核人员').click();
    // only staff of this unit are offered, never its applicants (read once the list has loaded)
    await page.getByRole('option', { name: '示范科技经办人（kj_hr）' }).waitFor();
    const offered = await page.getByRole('option').allInnerTexts();
    expect(offered.join(' ')).toContain('示范科技经办人');
    expect(offered.join(' ')).not.toContain('张伟');
    expect(offered.join(' ')).not.toContain('成都市人社局经办人');
    await page.getByRole('option', { name: '示范科技经办人（kj_hr）' }).click();
    await page.keyboard.press('Escape');
    await posts.nth(1).getByLabel('审核人员').click();
    await page.getByRole('option', { name: '示范科技复核人（kj_hr2）' }).click();
    await page.keyboard.press('Escape');
    await page.click('button:has-text("保存")');
    await page.waitForSelector('text=多岗审核配置已保存');
    await screenshot(page, 'operator-review-levels');

    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    const rows = await db.knex('review_levels').where({ unit_id: employer.id, matter_type: 'dossier_review' }).orderBy('level_no');
    const ids = Object.fromEntries((await db.knex('users').whereIn('username', ['kj_hr', 'kj_hr2'])).map((u: { username: string; id: string }) => [u.username, Number(u.id)]));
    expect(rows.map((r: { level_no: number; name: string; user_ids: number[] }) => [r.level_no, r.name, r.user_ids.map(Number)])).toEqual([
      [1, '初审岗', [ids.kj_hr]],
      [2, '复核岗', [ids.kj_hr2]],
    ]);

    // reopening the page shows what was saved
    await page.reload();
    await page.getByLabel('单位').fill('示范科技');
    await page.getByRole('option', { name: '成都示范科技有限公司' }).click();
    await expect.poll(() => page.locator('[data-testid="post"]').count()).toBe(2);
    expect(await page.locator('[data-testid="post"]').nth(1).innerText()).toContain('示范科技复核人');
  });
});
