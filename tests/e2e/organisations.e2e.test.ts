import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { monthsBefore } from '../../api/modules/staff/inactivity.job.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'org' });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const keepScreenshotOnFailure = (name: string) => session.keepScreenshotOnFailure(name);

async function pick(label: string, typed: string, option: string, scope: Pick<ConsoleSession['page'], 'getByLabel'> = page) {
  await scope.getByLabel(label, { exact: false }).first().fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

/** Logs in with a password other than the demo one (a self-chosen or initial password). */
async function loginWith(username: string, password: string) {
  await login(page, base, username, password).catch(async () => {
    // a forced password change shows its own page instead of the dashboard
    await page.waitForSelector('[data-testid="change-password"]', { timeout: 10_000 });
  });
}

describe('organisations in the console, in Chromium', () => {
  it('a unit registers on the public page, completes 用户权限申请, and its parent approves it from the inbox', async () => {
    keepScreenshotOnFailure('1-register');
    // given the public registration page, reached from the login page
    await page.goto(`${base}/?fresh=${Date.now()}#/login`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${base}/?fresh=${Date.now()}#/login`);
    await page.click('text=单位注册');
    await page.waitForSelector('[data-testid="register-unit"]');

    // when the unit fills it in — first with a wrong check character
    await page.getByLabel('统一社会信用代码').fill('91510100MA6CN4T051');
    await page.getByLabel('单位名称').fill('成都新材料科技有限公司');
    await pick('上级单位', '经济和信息化', '成都市经济和信息化局');
    await pick('职称业务归属地', '锦江', '四川省 / 成都市 / 锦江区');
    await page.getByLabel('联系电话').first().fill('028-85550000');
    await page.getByLabel('登录账号').fill('xcl_admin');
    await page.getByLabel('经办人姓名').fill('新材料经办人');
    await page.getByLabel('经办人身份证号码').fill('510107198506121050');
    await page.getByLabel('经办人手机号码').fill('13900000001');
    await page.getByLabel(/^密码/).fill('Xcl#2026pass');
    await page.getByLabel('确认密码').fill('Xcl#2026pass');
    await page.click('button:has-text("注册")');
    await expect.poll(() => page.locator('[data-testid="register-unit"]').innerText()).toContain('校验码错误');
    expect(await db.knex('units').where({ name: '成都新材料科技有限公司' })).toHaveLength(0);
    await page.getByLabel('统一社会信用代码').fill('91510100MA6CN4T050');
    await page.click('button:has-text("注册")');
    await page.waitForSelector('[data-testid="registered"]');
    await screenshot(page, 'org-1-registered');

    // then the new clerk sees only the registration task, and submits the completed information
    await login(page, base, 'xcl_admin', 'Xcl#2026pass');
    await page.waitForSelector('[data-testid="registering-banner"]');
    await page.goto(`${base}/#/tasks`);
    const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: '用户权限申请' }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.locator('td').nth(1).click();
    const form = page.locator('[data-testid="task-form"]');
    await form.waitFor();
    expect(await page.getByLabel('单位名称').inputValue()).toBe('成都新材料科技有限公司');
    await page.getByLabel('法定代表人（负责人）姓名').fill('赵建');
    await page.getByLabel('法定代表人身份证号码').fill('11010519491231002X');
    await page.locator('[data-field="licence"] input[type="file"]').setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 营业执照') });
    await page.waitForSelector('[data-field="licence"] .MuiChip-root:has-text("营业执照.pdf")');
    await screenshot(page, 'org-1-apply');
    await page.click('button[data-action="submit"]');
    await page.waitForSelector('text=/已(提交|审核通过|退回|接收|办理)/', { timeout: 20_000 });

    // and the department approves it from its inbox
    await login(page, base, 'cd_jxj');
    await page.goto(`${base}/#/tasks`);
    const review = page.locator('[data-testid="inbox"] tbody tr', { hasText: '下级单位注册审核' }).first();
    await review.waitFor({ timeout: 20_000 });
    expect(await review.innerText()).toContain('成都新材料科技有限公司');
    await review.locator('td').nth(1).click();
    await expect.poll(() => page.locator('[data-testid="case-data"]').innerText()).toContain('赵建');
    await screenshot(page, 'org-1-review');
    await page.click('button[data-action="pass"]');
    await page.waitForSelector('text=/已(提交|审核通过|退回|接收|办理)/', { timeout: 20_000 });
    expect((await db.knex('units').where({ name: '成都新材料科技有限公司' }).first()).status).toBe('active');
  });

  it('a parent creates a subordinate in three steps; its first clerk must replace the initial password', async () => {
    keepScreenshotOnFailure('2-create');
    await login(page, base, 'cd_jxj');
    await page.goto(`${base}/#/subordinate-units`);
    await page.waitForSelector('[data-testid="subordinate-units"]');
    expect(await page.locator('[data-testid="subordinate-units"]').innerText()).toContain('成都新材料科技有限公司');
    await page.click('text=新增下级单位');
    // step 1: no code of its own, derived from the department's
    await page.getByLabel('没有独立的统一社会信用代码').check();
    await page.getByLabel('单位名称').fill('经信局信息中心');
    await page.getByLabel('单位性质').click();
    await page.getByRole('option', { name: '事业单位' }).click();
    await pick('职称业务归属地', '成都', '四川省 / 成都市（市本级）');
    await page.getByLabel(/^联系电话/).fill('028-86000001');
    await page.getByLabel('单位类型').click();
    // a department may create only these types
    expect(await page.getByRole('option').allInnerTexts()).toEqual(['申报单位', '自主评审单位', '中央在川单位']);
    await page.getByRole('option', { name: '申报单位' }).click();
    await screenshot(page, 'org-2-step1');
    await page.click('[data-testid="wizard-next"]');
    // step 2: legal person (optional here)
    await page.getByLabel('法定代表人（负责人）姓名').fill('钱主任');
    await page.click('[data-testid="wizard-next"]');
    // step 3: the first clerk
    await page.getByLabel('登录账号').fill('jxj_info');
    await page.getByLabel('经办人姓名').fill('信息中心经办人');
    await page.getByLabel('经办人手机号码').fill('13900000005');
    await page.click('[data-testid="wizard-finish"]');
    const password = await page.locator('[data-testid="initial-password"]').innerText();
    expect(password).toMatch(/^\S{12}$/);
    await screenshot(page, 'org-2-initial-password');
    await page.click('button:has-text("我已记下")');
    const parent = await db.knex('units').where({ name: '成都市经济和信息化局' }).first();
    expect((await db.knex('units').where({ name: '经信局信息中心' }).first()).credit_code).toBe(`${parent.credit_code}01`);

    // the clerk's first login leads to the password change, nothing else
    await loginWith('jxj_info', password);
    await page.waitForSelector('[data-testid="change-password"]');
    await screenshot(page, 'org-2-forced-change');
    await page.getByLabel('原密码').fill(password);
    await page.getByLabel(/^新密码/).fill('short');
    await page.getByLabel('确认新密码').fill('short');
    await page.click('button:has-text("确认修改")');
    await expect.poll(() => page.locator('[data-testid="change-password"]').innerText()).toContain('密码至少 8 位');
    await page.getByLabel(/^新密码/).fill('Center#2026a');
    await page.getByLabel('确认新密码').fill('Center#2026a');
    await page.click('button:has-text("确认修改")');
    await page.waitForSelector('text=首页', { timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid="change-password"]').count()).toBe(0);
    expect((await db.knex('users').where({ username: 'jxj_info' }).first()).must_change_password).toBe(false);
  });

  it('a super admin makes a role from the catalogue and gives it to a new clerk', async () => {
    keepScreenshotOnFailure('3-staff');
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/roles`);
    await page.click('[data-testid="add-role"]');
    await page.getByLabel('角色名称').fill('初审员');
    await page.getByLabel('本单位人员审核（审核本单位人员的申报材料）').check();
    await page.click('[data-testid="save-role"]');
    await expect.poll(() => page.locator('[data-testid="roles"]').innerText()).toContain('初审员');
    expect(await page.locator('[data-testid="roles"]').innerText()).not.toContain('流程管理');
    await screenshot(page, 'org-3-roles');

    await page.goto(`${base}/#/staff`);
    await page.click('[data-testid="add-staff"]');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('登录账号').fill('kj_reviewer');
    await dialog.getByLabel('姓名').fill('初审员甲');
    await dialog.getByLabel('角色').click();
    await page.getByRole('option', { name: '初审员' }).click();
    await page.keyboard.press('Escape');
    await page.click('[data-testid="save-staff"]');
    await page.waitForSelector('[data-testid="initial-password"]');
    await page.click('button:has-text("我已记下")');
    await expect.poll(() => page.locator('[data-testid="staff"]').innerText()).toContain('初审员甲');
    await screenshot(page, 'org-3-staff');
    const created = await db.knex('users').where({ username: 'kj_reviewer' }).first();
    expect(created.must_change_password).toBe(true);
    expect(created.roles).toHaveLength(1);
  });

  it('the city bureau sets a competent department and re-enables an account disabled for inactivity', async () => {
    keepScreenshotOnFailure('4-bureau');
    await db.knex('users').where({ username: 'jj_hr' }).update({ last_login_at: monthsBefore(t.clock.now(), 4) });
    await t.app.scheduler.runJob('disable-inactive-accounts');
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/department-routes`);
    const row = page.locator('[data-testid="department-routes"] tbody tr').first();
    await row.waitFor();
    expect(await row.innerText()).toContain('未设置');
    await row.locator('button:has-text("设置主管部门")').click();
    await pick('主管部门', '经济', '成都市经济和信息化局', page.getByRole('dialog'));
    await page.click('button:has-text("确定")');
    await expect.poll(() => row.innerText()).toContain('成都市经济和信息化局');
    await screenshot(page, 'org-4-routes');

    await page.goto(`${base}/#/locked-accounts`);
    const locked = page.locator('[data-testid="locked-accounts"] tbody tr', { hasText: 'jj_hr' });
    await locked.waitFor();
    await locked.locator('input[type="checkbox"]').check();
    await page.click('button:has-text("解禁所选")');
    await page.waitForSelector('text=已解禁 1 个账号');
    expect((await db.knex('users').where({ username: 'jj_hr' }).first()).status).toBe('active');
  });

  it('a unit edits its own information and asks to move under another parent', async () => {
    keepScreenshotOnFailure('6-my-unit');
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/my-unit`);
    await page.waitForSelector('[data-testid="save-unit"]');
    await page.getByLabel('单位地址').fill('成都市高新区天府大道 2 号');
    await page.getByLabel(/^联系电话/).fill('12345');
    await page.click('[data-testid="save-unit"]');
    // the API's message lands on the field
    await expect.poll(() => page.locator('form').innerText()).toContain('电话号码格式不正确');
    await page.getByLabel(/^联系电话/).fill('028-85000009');
    await page.click('[data-testid="save-unit"]');
    await page.waitForSelector('text=单位信息已保存');
    expect(await db.knex('units').where({ name: '成都示范科技有限公司' }).first()).toMatchObject({ phone: '028-85000009', address: '成都市高新区天府大道 2 号' });

    await page.click('[data-testid="change-parent"]');
    await pick('新的上级单位', '人力资源', '成都市人力资源和社会保障局', page.getByRole('dialog'));
    await page.click('[data-testid="submit-parent-change"]');
    await page.waitForSelector('text=变更上级单位为“成都市人力资源和社会保障局”的申请正在等待该单位审核');
    await screenshot(page, 'org-6-my-unit');
    const unit = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    const department = await db.knex('units').where({ name: '成都市经济和信息化局' }).first();
    expect(unit.parent_id).toBe(department.id);
  });

  it('an applicant registers with the ID number and logs in with it', async () => {
    keepScreenshotOnFailure('5-applicant');
    await page.goto(`${base}/?fresh=${Date.now()}#/register-applicant`);
    await page.waitForSelector('[data-testid="register-applicant"]');
    await page.getByLabel('姓名').fill('周杰');
    await page.getByLabel('身份证号码').fill('51130219780101101x');
    await page.getByLabel('手机号码').fill('13900000021');
    // the unit picker (a combobox; the 没有工作单位 tick beside it is a checkbox)
    await page.getByRole('combobox', { name: /工作单位/ }).fill('示范科技');
    await page.getByRole('option', { name: '成都示范科技有限公司' }).first().click();
    await page.getByLabel(/^密码/).fill('Zhou#2026a');
    await page.getByLabel('确认密码').fill('Zhou#2026a');
    await page.click('button:has-text("注册")');
    await page.waitForSelector('[data-testid="registered"]');
    expect(await page.locator('[data-testid="registered"]').innerText()).toContain('51130219780101101X');
    await login(page, base, '51130219780101101X', 'Zhou#2026a');
    expect(await page.locator('text=我的申报').count()).toBeGreaterThan(0);
  });
});
