import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'declaration',
    // the demo activity asks for one 论文 after the current title and a 学历证书
    prepare: async (database) => {
      await database.knex('activities').where({ id: 1 }).update({
        achievements: JSON.stringify([{ order: 1, title: 'after_current', templates: ['paper'], requirement: '取得现职称后发表论文 1 篇以上' }]),
        materials: JSON.stringify([{ name: '学历证书', required: true, maxFiles: 2 }]),
      });
    },
  });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('申报 in the console, in Chromium', () => {
  it('an applicant picks an open activity, saves a draft, is told what is missing, and submits the declaration', async () => {
    session.keepScreenshotOnFailure('1-declare');
    await login(page, base, 'zhangwei');

    // the activity is offered on 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    await page.waitForSelector('[data-testid="open-activities"]');
    await page.locator('[data-testid="open-activities"] tr', { hasText: '年度成都市工程技术系列中级职称评审' }).getByRole('button', { name: '我要申报' }).click();
    await page.waitForSelector('[data-testid="declaration"]');
    await expect.poll(() => page.locator('[data-testid="deadline"]').innerText()).toContain('个人初次提交截止时间');

    // the basic part, saved as a draft and found again after a reload
    await page.getByLabel('申报系列').selectOption('engineering');
    await page.getByLabel('申报级别').selectOption('intermediate');
    await page.getByLabel('申报专业').selectOption('机械工程');
    await page.getByLabel('最高学历').selectOption('bachelor');
    await page.getByLabel('参加工作时间').fill('2012-07-01');
    await page.getByLabel('继续教育学时').fill('120');
    await page.getByLabel('专业技术工作总结').fill('从事机械设计与制造工艺十余年。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('body').innerText()).toContain('草稿已保存');
    await page.reload();
    await page.waitForSelector('[data-testid="declaration"]');
    await expect.poll(() => page.getByLabel('专业技术工作总结').inputValue()).toBe('从事机械设计与制造工艺十余年。');

    // a paper without its 刊号, and the diploma uploaded once
    await page.getByRole('button', { name: '添加论文' }).click();
    await page.getByLabel('论文名称').fill('大型减速器齿轮修形研究');
    await page.getByLabel('发表时间').fill('2024-05-01');
    await page.getByLabel(/^类别/).fill('学术论文');
    await page.getByLabel('刊物名称').fill('机械工程学报');
    await page.getByLabel('作者排名').fill('第1/共3');
    await page.getByLabel('本人完成字数').fill('8');
    await page.setInputFiles('input[aria-label="学历证书上传"]', { name: '学历证书.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 学历证书\n') });
    await expect.poll(() => page.locator('[data-testid="material-学历证书"]').innerText()).toContain('学历证书.pdf');
    // 诚信承诺: every submission accepts it
    await page.check('[data-testid="pledge"] input');
    await page.click('[data-testid="declaration-submit"]');

    // the refusal names the missing field; the upload stays in the draft
    await expect.poll(() => page.locator('[data-testid="declaration-problems"]').innerText()).toContain('业绩成果 第1项（论文）：刊号必填');
    await screenshot(page, 'declaration-1-refused');
    const draft = await db.knex('dossiers').where({ activity_id: 1 }).first();
    expect(JSON.stringify(draft.data)).toContain('学历证书.pdf');

    // when the 刊号 is added, the submission goes in and the employer holds it
    await page.getByLabel('刊号').fill('ISSN 0577-6686');
    // 诚信承诺: every submission accepts it
    await page.check('[data-testid="pledge"] input');
    await page.click('[data-testid="declaration-submit"]');
    await page.waitForSelector('[data-testid="dossier-progress"]', { timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid="holders"]').innerText()).toContain('申报单位（成都示范科技有限公司）');
    await screenshot(page, 'declaration-2-submitted');
    const submitted = await db.knex('dossiers').where({ activity_id: 1 }).first();
    expect(submitted.status).toBe('submitted');
    expect(submitted.data).toMatchObject({ specialty: '机械工程', achievements: [{ item: 1, template: 'paper', number: 'ISSN 0577-6686' }], materials: [{ name: '学历证书' }] });
  });
});
