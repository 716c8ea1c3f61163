import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { idNumber } from '../helpers/fixtures.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'chain-paths',
    prepare: async (db) => {
      // a branch of 示范科技 with an applicant, and level deadlines on the demo activity
      const parent = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
      const [branch] = await db.knex('units').insert({ parent_id: parent.id, name: '成都示范科技有限公司第一分公司', unit_type: 'employer', region_code: parent.region_code, nature: parent.nature, path: '/' }).returning('*');
      await db.knex('units').where({ id: branch.id }).update({ path: `${parent.path}${branch.id}/` });
      const hash = await hashPassword(DEMO_PASSWORD);
      await db.knex('users').insert([
        { username: 'e2e_fgs_hr', password_hash: hash, display_name: '分公司经办人', unit_id: branch.id, roles: ['unit_clerk'] },
        { username: 'e2e_fgs_1', password_hash: hash, display_name: '分公司申报人', unit_id: branch.id, roles: ['applicant'] },
      ]);
      const a = await db.knex('activities').where({ id: 1 }).first();
      const at = (from: Date, hours: number) => new Date(new Date(from).getTime() + hours * 3_600_000);
      await db.knex('activities').where({ id: 1 }).update({ unit_review_deadline: at(a.first_deadline, 48), department_review_deadline: at(a.first_deadline, 120) });
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('the chain’s remaining paths in Chromium', () => {
  it('a person without an employer registers with a 属地 on the phone-sized page', async () => {
    session.keepScreenshotOnFailure('1-freelance');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/?fresh=${Date.now()}#/register-applicant`);
    await page.waitForSelector('[data-testid="register-applicant"]');
    await page.getByLabel('姓名').fill('自由职业者');
    const id = idNumber('19900101', 71);
    await page.getByLabel('身份证号码').fill(id);
    await page.getByLabel('手机号码').fill('13900000071');
    // the tick swaps the unit picker for the 属地 picker
    await page.check('[data-testid="freelance"] input');
    expect(await page.getByText('从已通过审核的单位中选择').count()).toBe(0);
    await page.getByLabel('属地').fill('锦江');
    await page.getByRole('option', { name: /锦江区/ }).first().click();
    await page.getByLabel(/^密码/).fill('Zcps#Free2026');
    await page.getByLabel('确认密码').fill('Zcps#Free2026');
    await screenshot(page, 'chain-paths-1-register-freelance');
    await page.click('button:has-text("注册")');
    await page.waitForSelector('[data-testid="registered"]');
    expect(await session.db.knex('users').where({ id_number_hash: session.t.app.pii.hash('idNumber', id) }).first()).toMatchObject({ unit_id: null, region_code: '510104' });
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the applicant accepts the 诚信承诺 on the declaration page and the activity shows the level deadlines', async () => {
    session.keepScreenshotOnFailure('2-pledge');
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, base, 'lina');
    await page.goto(`${base}/#/my-dossiers`);
    await page.waitForSelector('[data-testid="open-activities"]');
    await page.locator('[data-testid="open-activities"] tr', { hasText: '年度成都市工程技术系列中级职称评审' }).getByRole('button', { name: '我要申报' }).click();
    await page.waitForSelector('[data-testid="declaration"]');
    await page.getByLabel('申报系列').selectOption('engineering');
    await page.getByLabel('申报级别').selectOption('intermediate');
    await page.getByLabel('申报专业').selectOption('机械工程');
    await page.getByLabel('最高学历').selectOption('bachelor');
    await page.getByLabel('参加工作时间').fill('2012-07-01');
    await page.getByLabel('继续教育学时').fill('120');
    await page.getByLabel('专业技术工作总结').fill('从事机械设计与制造工艺十余年。');
    // the pledge text is shown; without the tick the submission is refused naming it
    expect(await page.locator('[data-testid="pledge-text"]').innerText()).toContain('本人承诺');
    await page.click('[data-testid="declaration-submit"]');
    await expect.poll(() => page.locator('body').innerText()).toContain('请阅读并勾选同意诚信承诺');
    await page.check('[data-testid="pledge"] input');
    await screenshot(page, 'chain-paths-2-pledge');
    await page.click('[data-testid="declaration-submit"]');
    await expect.poll(async () => (await session.db.knex('dossiers').where({ applicant_id: (await session.db.knex('users').where({ username: 'lina' }).first()).id }).first())?.pledge_accepted_at ?? null).not.toBeNull();
  });

  it('the sub-unit’s applicant sees 上级单位 in the progress steps and 示范科技 has the 上级单位审核 in its inbox', async () => {
    session.keepScreenshotOnFailure('3-superior');
    const id = await submitDossier(session.t, 'e2e_fgs_1');
    await passEmployer(session.t, 'e2e_fgs_hr', (await taskOf(session.t, 'e2e_fgs_hr', id, 'unit_review')).id);
    await login(page, base, 'e2e_fgs_1');
    await page.goto(`${base}/#/instances/${id}/view`);
    await page.waitForSelector('[data-testid="progress-stepper"]');
    const steps = await page.locator('[data-testid="progress-stepper"]').innerText();
    expect(steps).toContain('上级单位');
    expect(steps).toContain('成都示范科技有限公司');
    await screenshot(page, 'chain-paths-3-progress');
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks`);
    await expect.poll(() => page.locator('body').innerText()).toContain('上级单位审核');
    await screenshot(page, 'chain-paths-3-inbox');
  });

  it('the activity notice lists the levels’ deadlines in the notice’s order', async () => {
    session.keepScreenshotOnFailure('4-notice');
    await page.goto(`${base}/?fresh=${Date.now()}#/public/activities/1`);
    await page.waitForSelector('[data-testid="activity-notice"]');
    const text = await page.locator('[data-testid="activity-notice"]').innerText();
    expect(text.indexOf('个人初次提交截止时间')).toBeLessThan(text.indexOf('单位初次审核截止时间'));
    expect(text.indexOf('单位初次审核截止时间')).toBeLessThan(text.indexOf('主管部门网上审核截止时间'));
    expect(text.indexOf('主管部门网上审核截止时间')).toBeLessThan(text.indexOf('个人修改提交截止时间'));
    // none set: not listed
    expect(text).not.toContain('主管部门修改提交截止时间');
    await screenshot(page, 'chain-paths-4-notice');
  });
});
