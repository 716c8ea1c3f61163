import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../helpers/app.ts';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { actorOf } from '../helpers/actors.ts';
import { registerForm } from '../../forms/index.ts';
import { allWidgetsForm } from '../fixtures/all-widgets.form.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;
let instanceId: string;

beforeAll(async () => {
  // a new form in forms/ and a new task in a diagram — nothing under admin-ui/ changes
  registerForm(allWidgetsForm);
  session = await startConsoleSession({
    prefix: 'generic-form',
    viewport: { width: 1440, height: 1100 },
    prepare: async (database, t) => {
      await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'new-form.bpmn'), 'utf8'));
      instanceId = await t.app.engine.startInstance({ processKey: 'fixture-new-form', actor: await actorOf(database.knex, 'kj_hr'), checkStarter: false });
    },
  });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('a task added to a diagram with a new form', () => {
  it('appears in the inbox and renders every widget of its form, generated from the definition', async () => {
    session.keepScreenshotOnFailure('failure');
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks`);
    const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: '填写全控件表单' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('新增环节（测试）');
    await row.locator('td').nth(1).click();
    const form = page.locator('[data-testid="task-form"]');
    await form.waitFor();
    for (const label of ['项目名称', '备注', '数量', '开始日期', '会议时间', '类别', '标签', '是否加急', '承办单位', '所在地区', '证明材料', '明细']) {
      expect(await form.innerText(), label).toContain(label);
    }
    expect(await form.innerText()).toContain('允许 .pdf、.txt，单个不超过 5 MB');

    // fill it in the way a clerk would
    await page.getByLabel('项目名称').fill('全控件测试');
    await page.getByLabel('数量').fill('3');
    await page.getByLabel('开始日期').fill('2026-04-01');
    await page.getByLabel('类别').click();
    await page.getByRole('option', { name: '乙类' }).click();
    await page.getByLabel('标签').click();
    await page.getByRole('option', { name: '标签Y' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('是').check();
    await page.getByLabel('承办单位').fill('示范');
    await page.getByRole('option', { name: '成都示范科技有限公司' }).click();
    await page.getByLabel('所在地区').fill('锦江');
    await page.getByRole('option', { name: '四川省 / 成都市 / 锦江区' }).click();
    await page.locator('[data-field="files"] input[type="file"]').setInputFiles({ name: '证明.txt', mimeType: 'text/plain', buffer: Buffer.from('证明材料内容') });
    await page.waitForSelector('[data-field="files"] .MuiChip-root:has-text("证明.txt")');
    await page.getByRole('button', { name: '添加' }).click();
    await page.getByLabel('条目名称').fill('条目一');
    await page.getByLabel('条目数量').fill('2');
    await screenshot(page, 'generic-form-filled');
    await page.click('button[data-action="submit"]');
    await page.waitForSelector('text=/已(提交|审核通过|退回|接收|办理)/', { timeout: 20_000 });

    const instance = await db.knex('process_instances').where({ id: instanceId }).first();
    expect(instance.status).toBe('completed');
    const employer = await db.knex('units').where({ name: '成都示范科技有限公司' }).first();
    expect(instance.variables.fixtureData).toMatchObject({
      title: '全控件测试',
      amount: 3,
      startDate: '2026-04-01',
      category: 'b',
      tags: ['y'],
      urgent: true,
      unitId: Number(employer.id),
      regionCode: '510104',
      items: [{ name: '条目一', count: 2 }],
    });
    const [file] = instance.variables.fixtureData.files as Array<{ id: string; name: string }>;
    expect(file?.name).toBe('证明.txt');
    // the upload now belongs to the case
    expect((await db.knex('files').where({ id: file!.id }).first()).root_instance_id).toBe(instanceId);
  });
});
