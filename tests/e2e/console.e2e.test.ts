import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { publicityPeriod } from '../helpers/flow.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;
let instanceId: string;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'console' });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** the toast after a step: what was done, and what is next */
const DONE = 'text=/已(提交|审核通过|退回|接收|办理)/';

const keepScreenshotOnFailure = (name: string) => session.keepScreenshotOnFailure(name);

async function openTaskFromInbox(applicant: string) {
  await page.goto(`${base}/#/tasks`);
  const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: applicant }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.locator('td').nth(1).click();
  await page.waitForSelector('[data-testid="case-data"]');
}

async function act(action: string, opinion?: string) {
  if (await page.locator(`[data-choose="${action}"]`).count()) await page.click(`[data-choose="${action}"]`);
  if (opinion) await page.fill('[data-testid="opinion"]', opinion);
  await page.click(`button[data-action="${action}"]`);
  // 退回 and 不通过 ask first
  if (action === 'return' || action === 'reject') await page.getByRole('dialog').locator('[data-testid="confirm-button"]').click();
  await page.waitForSelector(DONE, { timeout: 20_000 });
}

describe('the console, end to end in Chromium', () => {
  it('an applicant logs in and submits a dossier on the declaration page the submit task opens', async () => {
    keepScreenshotOnFailure('1-submit');
    await login(page, base, 'zhangwei');
    await page.click('text=发起申报');
    await page.getByRole('dialog').getByText('年度成都市工程技术系列中级职称评审').click();
    // the flow's submit task opens the declaration page (its form names it), not the generated form
    await page.waitForSelector('[data-testid="declaration"]', { timeout: 20_000 });
    await page.getByLabel('申报系列').selectOption('engineering');
    await page.getByLabel('申报级别').selectOption('intermediate');
    await page.getByLabel('申报专业').selectOption('机械工程');
    await page.getByLabel('最高学历').selectOption('bachelor');
    await page.getByLabel('参加工作时间').fill('2012-07-01');
    await page.getByLabel('继续教育学时').fill('120');
    await page.getByLabel('专业技术工作总结').fill('从事机械设计与制造工艺十余年。');
    await screenshot(page, 'console-1-applicant-form');
    // 诚信承诺: every submission accepts it
    await page.check('[data-testid="pledge"] input');
    await page.click('[data-testid="declaration-submit"]');
    await page.waitForSelector('[data-testid="dossier-progress"]', { timeout: 20_000 });
    const row = await db.knex('process_instances').where({ process_key: 'dossier-review' }).first();
    instanceId = row.id;
    expect(row.variables.dossier).toMatchObject({ specialty: '机械工程', continuingEducationHours: 120 });
  });

  it('the employer’s clerk finds it in the inbox and returns it with an opinion', async () => {
    keepScreenshotOnFailure('2-return');
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks`);
    await page.waitForSelector('[data-testid="task-counts"]');
    await expect.poll(() => page.locator('[data-testid="task-counts"]').innerText()).toContain('申报单位审核 1');
    await openTaskFromInbox('张伟');
    await expect.poll(() => page.locator('[data-testid="case-data"]').innerText()).toContain('机械工程');
    await screenshot(page, 'console-2-clerk-task');
    // returning without an opinion is refused on the page
    await page.click('[data-choose="return"]');
    await page.click('button[data-action="return"]');
    await page.waitForSelector('text=退回时必须填写审核意见');
    await act('return', '继续教育学时证明缺失，请补充后重新提交');
    const history = await db.knex('history_events').where({ root_instance_id: instanceId, element_name: '申报单位审核', type: 'task.complete' }).first();
    expect(history).toMatchObject({ action: 'return', opinion: '继续教育学时证明缺失，请补充后重新提交' });
  });

  it('the applicant sees the return and resubmits the corrected dossier', async () => {
    keepScreenshotOnFailure('3-resubmit');
    await login(page, base, 'zhangwei');
    await page.waitForSelector('[data-testid="my-dossiers"]');
    await expect.poll(() => page.locator('[data-testid="my-dossiers"]').innerText()).toContain('已退回待修改');
    expect(await page.locator('[data-testid="my-dossiers"]').innerText()).toContain('继续教育学时证明缺失');
    await page.click('text=去办理');
    await page.waitForSelector('[data-testid="declaration"]', { timeout: 20_000 });
    // the declaration page comes back filled with the first submission
    await expect.poll(() => page.getByLabel('申报专业').inputValue()).toBe('机械工程');
    await page.getByLabel('继续教育学时').fill('96');
    // 诚信承诺: every submission accepts it
    await page.check('[data-testid="pledge"] input');
    await page.click('[data-testid="declaration-submit"]');
    await page.waitForSelector('[data-testid="dossier-progress"]', { timeout: 20_000 });
    expect((await db.knex('process_instances').where({ id: instanceId }).first()).variables.dossier).toMatchObject({ continuingEducationHours: 96 });
  });

  it('the clerks pass it up to the committee (one of them with a batch pass)', async () => {
    keepScreenshotOnFailure('4-pass');
    await login(page, base, 'kj_hr');
    await openTaskFromInbox('张伟');
    // the employer's pass carries the 公示期, the 公示 proof and the 综合推荐材料
    const period = publicityPeriod(session.t.clock.now());
    await page.fill('input[name="publicityStart"]', period.publicityStart);
    await page.fill('input[name="publicityEnd"]', period.publicityEnd);
    for (const [field, name] of [['publicityProof', '公示证明.pdf'], ['recommendation', '综合推荐材料.pdf']] as const) {
      await page.locator(`[data-field="${field}"] input[type="file"]`).setInputFiles({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4 ${name}`) });
      await expect.poll(() => page.locator(`[data-field="${field}"]`).innerText()).toContain(name);
    }
    await act('pass', '同意推荐');

    await login(page, base, 'cd_jxj');
    await openTaskFromInbox('张伟');
    await act('pass', '同意');

    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/tasks`);
    const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: '张伟' }).first();
    await row.waitFor();
    await row.locator('input[type="checkbox"]').check();
    await page.click('button:has-text("批量通过")');
    await page.fill('[data-testid="opinion"]', '批量审核通过');
    await page.click('button:has-text("确定审核通过")');
    await page.waitForSelector('[data-testid="batch-results"]');
    expect(await page.locator('[data-testid="batch-results"]').innerText()).toContain('已办理');
    await screenshot(page, 'console-4-batch-result');
    await page.click('button:has-text("关闭")');

    await login(page, base, 'cd_pw');
    await openTaskFromInbox('张伟');
    await act('pass', '材料齐全，予以接收');
    // received: the case goes on, waiting for the committee's 评审结果
    const instance = await db.knex('process_instances').where({ id: instanceId }).first();
    expect(instance.status).toBe('running');
    expect(instance.trail).toEqual(expect.arrayContaining(['received', 'gw_has_exam']));
  });

  it('the applicant sees the case received, and the history lists every step', async () => {
    keepScreenshotOnFailure('5-received');
    await login(page, base, 'zhangwei');
    await expect.poll(() => page.locator('[data-testid="my-dossiers"]').innerText()).toContain('评审中');
    await page.click('text=查看进度');
    // the applicant reads the chain as steps (progress-stepper.e2e.test.ts): every unit done, the
    // committee's link current while the case waits for its 评审结果
    await page.waitForSelector('[data-testid="progress-stepper"]');
    expect(await page.locator('[data-testid="progress-stepper"] [data-state="done"]').count()).toBe(4);
    expect(await page.locator('[data-testid="progress-stepper"] [data-state="current"]').innerText()).toContain('评委会');
    expect(await page.locator('[data-testid="waiting-messages"]').innerText()).toBe('等待：评审结果');
    const history = await page.locator('[data-testid="history"]').innerText();
    for (const step of ['申报单位审核', '主管部门审核', '人社部门审核', '评委会接收', '批量审核通过']) expect(history).toContain(step);
  });

  it('an administrator changes a label in the editor, deploys version 2, and the old instance stays on version 1', async () => {
    keepScreenshotOnFailure('6-editor');
    await login(page, base, 'admin');
    await page.goto(`${base}/#/process-definitions`);
    await page.click('[data-testid="edit-dossier-review"]');
    await page.waitForSelector('[data-testid="modeler"] [data-element-id="unit_review"]', { timeout: 30_000 });
    // the review chain is wider than the canvas: scroll the employer's review into view
    await page.hover('[data-testid="modeler"] [data-element-id="submit"]');
    await page.mouse.wheel(700, 0);
    await page.waitForTimeout(300);
    await page.click('[data-testid="modeler"] [data-element-id="unit_review"]');
    await page.click('.bio-properties-panel-group-header:has-text("基本")');
    const name = page.locator('#bio-properties-panel-name');
    await name.waitFor();
    await name.fill('申报单位初审');
    await name.press('Tab');
    await page.waitForTimeout(500);
    await screenshot(page, 'console-6-editor');
    await page.click('[data-testid="deploy"]');
    await page.waitForSelector('text=已部署为第 2 版', { timeout: 30_000 });
    const v2 = await db.knex('process_definitions').where({ key: 'dossier-review', version: 2 }).first();
    expect(v2.xml).toContain('申报单位初审');

    // the finished instance is shown on its own version, with the old label
    await page.goto(`${base}/#/instances/${instanceId}/view`);
    await page.waitForSelector('[data-testid="instance-diagram"] svg');
    expect(await page.locator('[data-testid="instance-version"]').innerText()).toBe('第 1 版');
    const labels = await page.locator('[data-testid="instance-diagram"] text').allTextContents();
    expect(labels.join(' ')).toContain('申报单位审核');
    expect(labels.join(' ')).not.toContain('申报单位初审');
    await screenshot(page, 'console-6-viewer-v1');
  });

  it('refuses a broken diagram element by element and marks it on the canvas', async () => {
    keepScreenshotOnFailure('7-refusal');
    await page.goto(`${base}/#/process-definitions`);
    await page.click('[data-testid="edit-dossier-review"]');
    await page.waitForSelector('[data-testid="modeler"] [data-element-id="submit"]', { timeout: 30_000 });
    await page.click('[data-testid="modeler"] [data-element-id="submit"]');
    await page.click('.bio-properties-panel-group-header:has-text("职称系统")');
    const formKey = page.locator('#bio-properties-panel-zcps-zcps-formKey');
    await formKey.waitFor();
    await formKey.fill('');
    await formKey.press('Tab');
    await page.waitForTimeout(500);
    await page.click('[data-testid="deploy"]');
    await page.waitForSelector('[data-testid="deploy-problems"]');
    expect(await page.locator('[data-testid="deploy-problems"]').innerText()).toContain('用户任务缺少表单');
    await expect.poll(() => page.locator('[data-testid="modeler"] [data-element-id="submit"].zcps-problem').count()).toBe(1);
    await screenshot(page, 'console-7-refused');
    expect(await db.knex('process_definitions').where({ key: 'dossier-review' })).toHaveLength(2);
  });

  it('shows on the canvas, before anyone deploys, the problems deploy would refuse', async () => {
    keepScreenshotOnFailure('7-editor-lint');
    // given a draft of the dossier flow whose first task lost its form and whose registration of the submission names a handler nobody registered
    const latest = await db.knex('process_definitions').where({ key: 'dossier-review' }).orderBy('version', 'desc').first();
    const broken = (latest.xml as string)
      .replace('<userTask id="submit" name="提交申报材料" zcps:formKey="dossier-submit"', '<userTask id="submit" name="提交申报材料"')
      .replace('zcps:handler="dossier.submitted"', 'zcps:handler="nobody.knows"');
    expect(broken).not.toBe(latest.xml);
    session.t.clock.advance(60_000);
    const saved = await session.t.request('PUT', '/api/process-definitions/dossier-review/draft', { user: 'admin', body: { xml: broken, baseVersion: latest.version } });
    expect(saved.statusCode, saved.body).toBe(200);

    // when the administrator opens it in the editor
    await page.goto(`${base}/#/process-definitions`);
    await page.click('[data-testid="edit-dossier-review"]');
    await page.waitForSelector('text=已载入草稿');
    const issuesOf = (id: string) => page.locator(`.djs-overlays[data-container-id="${id}"] .bjsl-overlay`);

    // then the lint marks both elements with deploy's own words
    await expect.poll(() => issuesOf('submit').textContent(), { timeout: 30_000 }).toContain('用户任务缺少表单（zcps:formKey）');
    await expect.poll(() => issuesOf('register').textContent()).toContain('服务任务处理器“nobody.knows”未注册');
    expect(await page.locator('.bjsl-button').innerText()).toContain('2 个错误');
    // marked in a colour one can see
    const markColour = await issuesOf('submit').locator('.bjsl-icon-error').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(markColour).toBe('rgb(198, 40, 40)');
    // room above the first row for the list of problems that opens over an element
    await page.hover('[data-testid="modeler"] [data-element-id="submit"]');
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(300);
    await issuesOf('submit').locator('.bjsl-icon').hover();
    await page.waitForTimeout(300);
    await screenshot(page, 'console-7-editor-lint-form');
    await issuesOf('register').locator('.bjsl-icon').hover();
    await page.waitForTimeout(300);
    await screenshot(page, 'console-7-editor-lint-handler');
    // and deploy refuses it for the same two problems
    await page.click('[data-testid="deploy"]');
    await page.waitForSelector('[data-testid="deploy-problems"]');
    const refusal = await page.locator('[data-testid="deploy-problems"]').innerText();
    expect(refusal).toContain('用户任务缺少表单（zcps:formKey）');
    expect(refusal).toContain('服务任务处理器“nobody.knows”未注册');
    expect(await db.knex('process_definitions').where({ key: 'dossier-review' })).toHaveLength(2);
    await session.t.request('DELETE', '/api/process-definitions/dossier-review/draft', { user: 'admin' });
  });

  it('shows a department the dossiers it has held past the transfer time (转报超时)', async () => {
    keepScreenshotOnFailure('8-overdue');
    // given the department has held 张伟's dossier for a month (by the server's clock)
    const department = await db.knex('units').where({ name: '成都市经济和信息化局' }).first();
    const since = new Date(session.t.clock.now().getTime() - 30 * 24 * 3600 * 1000);
    await db.knex('dossiers').where({ instance_id: instanceId }).update({ status: 'submitted', holder_unit_id: department.id, held_since: since, delivered_at: null });
    // when its clerk opens 转报超时
    await login(page, base, 'cd_jxj');
    await page.click('text=转报超时');
    // then the dossier is listed with the working days it has waited
    await expect.poll(() => page.locator('[data-testid="dossier-overdue"]').innerText()).toContain('张伟');
    expect(await page.locator('[data-testid="dossier-overdue"]').innerText()).toContain('个工作日');
    await screenshot(page, 'console-8-overdue');
  });

  it('an administrator cancels a running case with a reason, and the applicant reads it', async () => {
    keepScreenshotOnFailure('9-cancel');
    // given 李娜 has submitted a dossier that waits at her employer
    const activity = await db.knex('activities').where({ status: 'published' }).first();
    const started = await session.t.request('POST', '/api/process-instances', { user: 'lina', body: { processKey: 'dossier-review', variables: { activityId: activity.id } } });
    expect(started.statusCode, started.body).toBe(201);
    const caseId = (started.json() as { id: string }).id;
    // when the administrator opens the case and cancels it
    await login(page, base, 'admin');
    await page.goto(`${base}/#/instances/${caseId}/view`);
    await page.waitForSelector('[data-testid="instance-diagram"] svg');
    await page.getByRole('button', { name: '取消流程' }).click();
    await page.fill('[data-testid="cancel-reason"]', '申报人申请撤回');
    await screenshot(page, 'console-9-cancel');
    await page.getByRole('button', { name: '确认取消' }).click();
    // then the case shows as cancelled, with the reason in its history
    await page.getByText('已取消', { exact: true }).first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('body').innerText()).toContain('申报人申请撤回');
    expect(await page.getByRole('button', { name: '取消流程' }).count()).toBe(0);
    expect(await db.knex('dossiers').where({ instance_id: caseId }).first()).toMatchObject({ status: 'cancelled', cancel_reason: '申报人申请撤回' });
    // and 李娜 finds her dossier cancelled, with the reason, on 我的申报
    await login(page, base, 'lina');
    await page.waitForSelector('[data-testid="my-dossiers"]');
    await expect.poll(() => page.locator('[data-testid="my-dossiers"]').innerText()).toContain('已取消');
    expect(await page.locator('[data-testid="my-dossiers"]').innerText()).toContain('申报人申请撤回');
  });
});
