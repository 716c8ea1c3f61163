import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { demoChainUnits } from '../helpers/actors.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let db: ConsoleSession['db'];
/** a case at 评委会接收, and one at the employer's only review post */
let atCommittee: string;
let atPost: string;
let units: Awaited<ReturnType<typeof demoChainUnits>>;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'history',
    viewport: { width: 1366, height: 768 },
    prepare: async (database, t) => {
      units = await demoChainUnits(database.knex);
      await database.knex('users').insert({ username: 'history_e2e', password_hash: await hashPassword(DEMO_PASSWORD), display_name: '李历史', unit_id: units.employer.id, roles: ['applicant'] });
      // the demo chain up to the committee, whose organiser is the bureau's own unit
      atCommittee = await submitDossier(t, 'zhangwei');
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', atCommittee, 'unit_review')).id, '同意推荐');
      await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', atCommittee, 'department_review')).id, 'pass', '同意');
      await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', atCommittee, 'bureau_review')).id, 'pass', '同意报送');
      // then the employer reviews through one post, held by its clerk
      const clerk = await database.knex('users').where({ username: 'kj_hr' }).first('id');
      await database.knex('review_levels').insert({ unit_id: units.employer.id, matter_type: 'dossier_review', level_no: 1, name: '初审岗', user_ids: [clerk.id] });
      atPost = await submitDossier(t, 'history_e2e');
    },
  });
  ({ page, base, db } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

async function openTask(applicant: string, step: string) {
  await page.goto(`${base}/#/tasks`);
  const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: applicant }).filter({ hasText: step }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.locator('td').nth(1).click();
  await page.waitForSelector('[data-testid="case-data"]');
}

const toast = () => page.locator('.MuiSnackbar-root').first();

describe('history that tells the truth, in Chromium', () => {
  it('at 评委会接收 the earlier entries read 审核通过, each with its own unit', async () => {
    session.keepScreenshotOnFailure('1-history');
    // given the committee clerk on the 评委会接收 task
    await login(page, base, 'cd_pw');
    await openTask('张伟', '评委会接收');
    // then each earlier pass keeps its own label and unit
    const entries = page.locator('[data-testid="history-entry"]', { has: page.locator('[data-testid="history-action"]') });
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(4);
    const texts = await entries.allInnerTexts();
    const pass = (step: string) => texts.find((x) => x.includes(step) && x.includes('审核通过')) ?? '';
    expect(pass('申报单位审核')).toContain(units.employer.name);
    expect(pass('主管部门审核')).toContain(units.department.name);
    expect(pass('人社部门审核')).toContain(units.city.name);
    expect(texts.join('\n')).not.toContain('接收');
    await page.locator('[data-testid="history"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'history-1-committee-history');
  });

  it('choosing 退回 shows 退回至 with only the allowed levels; choosing 接收 hides it', async () => {
    session.keepScreenshotOnFailure('2-return-to');
    // given the same task, where 接收 is chosen to begin with
    await expect.poll(() => page.locator('[data-testid="action-choice"]').innerText()).toContain('接收');
    expect(await page.locator('input[name="returnTo"]').count()).toBe(0);
    // when the clerk chooses 退回
    await page.click('[data-choose="return"]');
    // then 退回至 appears, empty, offering the applicant and the three levels below the committee
    await page.locator('input[name="returnTo"]').waitFor({ state: 'attached' });
    expect(await page.locator('input[name="returnTo"]').inputValue()).toBe('');
    await page.getByLabel('退回至', { exact: false }).first().click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options.map((o) => o.trim()).filter(Boolean)).toEqual(['申报人', '申报单位', '主管部门', '人社部门']);
    await screenshot(page, 'history-2-return-to');
    await page.keyboard.press('Escape');
    // and choosing 接收 again hides it
    await page.click('[data-choose="pass"]');
    await expect.poll(() => page.locator('input[name="returnTo"]').count()).toBe(0);
  });

  it('退回 asks for confirmation, and the toast names the next step', async () => {
    session.keepScreenshotOnFailure('3-confirm');
    // given 退回 chosen, 主管部门 picked and an opinion
    await page.click('[data-choose="return"]');
    await page.getByLabel('退回至', { exact: false }).first().click();
    await page.getByRole('option', { name: '主管部门', exact: true }).click();
    await page.fill('[data-testid="opinion"]', '主管部门推荐意见不完整');
    // when the clerk presses 退回
    await page.click('button[data-action="return"]');
    // then a confirmation names where it goes, and cancelling sends nothing
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.innerText()).toContain('退回至主管部门');
    await screenshot(page, 'history-3-confirm-return');
    await dialog.getByRole('button', { name: '取消' }).click();
    expect(await db.knex('tasks').where({ root_instance_id: atCommittee, element_id: 'committee_receipt', status: 'open' })).toHaveLength(1);
    // when confirmed, it goes to the department, and the toast says so
    await page.click('button[data-action="return"]');
    await page.getByRole('dialog').getByRole('button', { name: '确定退回' }).click();
    await expect.poll(() => toast().innerText(), { timeout: 20_000 }).toContain(`已退回，下一步：主管部门审核（${units.department.name}）`);
    await screenshot(page, 'history-3-returned-toast');
    const entry = await db.knex('history_events').where({ root_instance_id: atCommittee, element_id: 'committee_receipt', type: 'task.complete' }).first('data');
    expect(entry.data).toEqual({ returnTo: 'department' });
  });

  it('after the last 多岗审核 post the toast says what is next, not that the flow ended', async () => {
    session.keepScreenshotOnFailure('4-post');
    // given the employer's clerk at the only post of the second case
    await login(page, base, 'kj_hr');
    await openTask('李历史', '初审岗');
    // when the post passes it
    await page.click('button[data-action="pass"]');
    // then the toast names the employer's uploads
    await expect.poll(() => toast().innerText(), { timeout: 20_000 }).toContain(`下一步：上传公示证明和综合推荐材料（${units.employer.name}）`);
    expect(await toast().innerText()).not.toContain('流程已结束');
    await screenshot(page, 'history-4-post-toast');
    expect(await db.knex('tasks').where({ root_instance_id: atPost, element_id: 'unit_materials', status: 'open' })).toHaveLength(1);
  });

  it('a pass after looking at 退回 is not held up by the hidden 退回至; after 接收 the toast says where the case is', async () => {
    session.keepScreenshotOnFailure('5-receive');
    // given the returned case passed up again by the department (who looks at 退回 first, then passes) and the bureau
    await login(page, base, 'cd_jxj');
    await openTask('张伟', '主管部门审核');
    await page.click('[data-choose="return"]');
    await page.locator('input[name="returnTo"]').waitFor({ state: 'attached' });
    await page.click('[data-choose="pass"]');
    await page.click('button[data-action="pass"]');
    await expect.poll(() => toast().innerText(), { timeout: 20_000 }).toContain(`已审核通过，下一步：人社部门审核（${units.city.name}）`);
    await completeOk(session.t, 'cd_hr', (await taskOf(session.t, 'cd_hr', atCommittee, 'bureau_review')).id, 'pass', '同意报送');
    // when the committee receives it
    await login(page, base, 'cd_pw');
    await openTask('张伟', '评委会接收');
    await page.click('button[data-action="pass"]');
    // then the toast says it was received and the case now waits for the review's result
    await expect.poll(() => toast().innerText(), { timeout: 20_000 }).toContain('已接收，等待：评审结果');
    expect(await toast().innerText()).not.toContain('流程已结束');
    await screenshot(page, 'history-5-received-toast');
  });

  it('已办事项 and the applicant’s 办理过程 read 接收 under 评委会', async () => {
    session.keepScreenshotOnFailure('6-done');
    // given the case received by the committee (the test before)
    // then the committee clerk's 已办事项 calls the step 接收
    await page.goto(`${base}/#/tasks/done`);
    const row = page.locator('tbody tr', { hasText: '张伟' }).filter({ hasText: '评委会接收' }).first();
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('接收');
    expect(await row.innerText()).not.toContain('审核通过');
    await screenshot(page, 'history-6-done-list');
    // and the applicant's 办理过程 lists it under 评委会, and the bureau's pass under 人社部门
    const dossier = await db.knex('dossiers').where({ instance_id: atCommittee }).first('id');
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-dossiers/${dossier.id}`);
    const rows = page.locator('[data-testid="opinions"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(7);
    // 环节 | 单位 | 经办人 | 结果 | …
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())));
    const received = cells.filter((c) => c[0] === '评委会接收').map((c) => [c[1]?.split(' · ')[0], c[3]]);
    expect(received).toEqual([
      ['评委会', '退回'],
      ['评委会', '接收'],
    ]);
    const bureau = cells.filter((c) => c[0] === '人社部门审核').map((c) => [c[1]?.split(' · ')[0], c[3]]);
    expect(bureau).toEqual([
      ['人社部门', '审核通过'],
      ['人社部门', '审核通过'],
    ]);
    await screenshot(page, 'history-6-applicant-progress');
  });
});
