import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { insertExpert } from '../helpers/fixtures.ts';

let db: ConsoleSession['db'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'committees' });
  ({ db, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

async function pick(label: string, typed: string, option: string) {
  await page.getByLabel(label, { exact: false }).first().fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

async function choose(label: string, option: string) {
  await page.getByLabel(label, { exact: false }).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

describe('评委会备案申报 in the console, in Chromium', () => {
  it('a committee clerk adds a committee (the region rule shown on its field), files it, and the issuer finds it in the inbox', async () => {
    session.keepScreenshotOnFailure('1-create-and-file');
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/committees/create`);
    await page.getByLabel('评委会名称').fill('成都市经济系列中级职称评审委员会');
    await page.getByLabel('评委会办事机构').fill('成都市人力资源和社会保障局');
    await page.getByLabel('评委会办公室').fill('成都市经济系列中级职称评审委员会办公室');
    await choose('评审类型', '评审');
    await choose('评审级别', '中级');
    await pick('授权管理单位', '成都市人力', '成都市人力资源和社会保障局');
    await pick('备案批复单位', '四川省人力', '四川省人力资源和社会保障厅');
    await page.getByLabel('对外联系人').fill('王老师');
    await page.getByLabel('对外联系电话').fill('028-86000002');
    await page.getByLabel('联系地址').fill('成都市青羊区人民中路 2 号');
    await choose('评审系列', '经济');
    // a region outside the city
    await pick('评审区域', '锦江', '四川省 / 成都市 / 锦江区');
    await pick('评审区域', '自贡', '四川省 / 自贡市（市本级）');
    await page.click('[data-testid="committee-save"]');
    await expect.poll(() => page.locator('body').innerText()).toContain('市（州）级单位组建的评委会只能选择本市（州）内的区域');
    expect(await db.knex('committees').where({ name: '成都市经济系列中级职称评审委员会' })).toHaveLength(0);

    // when the clerk removes it and saves again
    await page.locator('.MuiChip-root:has-text("自贡") .MuiChip-deleteIcon').click();
    await page.click('[data-testid="committee-save"]');
    await page.waitForURL(/#\/committees\/\d+\/show/);
    await expect.poll(() => page.locator('body').innerText()).toContain('未备案');
    const committee = await db.knex('committees').where({ name: '成都市经济系列中级职称评审委员会' }).first();
    expect(committee).toMatchObject({ review_regions: ['510104'], levels: ['intermediate'], series: 'economics' });

    // with an expert list, the clerk applies for filing and submits the request letter in the task
    await insertExpert(db.knex, Number(committee.id));
    await page.reload();
    await page.getByRole('button', { name: '备案申请' }).click();
    await page.waitForURL(/#\/tasks\/.+\/handle/);
    await page.locator('[data-field="requestFiles"] input[type="file"]').setInputFiles({ name: '核准备案请示.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 核准备案请示') });
    await expect.poll(() => page.locator('[data-field="requestFiles"]').innerText()).toContain('核准备案请示.pdf');
    await page.locator('button[data-action="submit"]').click();
    await page.waitForURL(/#\/tasks$/);
    await expect.poll(async () => (await db.knex('committee_filings').where({ committee_id: committee.id }).first())?.status).toBe('submitted');

    // the issuer (city bureau) sees it in the inbox, with the committee's details one click away
    await login(page, base, 'cd_hr');
    await page.goto(`${base}/#/tasks`);
    const row = page.locator('[data-testid="inbox"] tbody tr', { hasText: '评委会备案审核（授权管理单位）：成都市经济系列中级职称评审委员会' }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.locator('td').nth(1).click();
    await page.waitForSelector('[data-testid="case-data"]');
    await expect.poll(() => page.locator('[data-testid="case-data"]').innerText()).toContain('专家人数：1');
    await page.getByText('查看详细信息').click();
    await page.waitForURL(/#\/committees\/\d+\/show/);
    await expect.poll(() => page.locator('body').innerText()).toContain('备案审核中');
  });
});
