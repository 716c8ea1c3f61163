import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { activityBody } from '../helpers/fixtures.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'declaration-rules', viewport: { width: 1366, height: 768 } });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** The MUI text field whose label starts with `label` (a required one ends in " *"). */
const fieldOf = (label: string) => page.locator('.MuiTextField-root').filter({ has: page.locator('label', { hasText: new RegExp(`^${label}`) }) });

describe('declarations that make sense, in Chromium', () => {
  it('the declaration page offers only the activity’s series, shows sex and birth date from the ID number, and puts a future 参加工作时间 refusal at its field', async () => {
    session.keepScreenshotOnFailure('1-declaration');
    // given zhangwei (ID number 51010419900307231X) and the demo activity of the 工程技术 committee
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-dossiers`);
    await page.waitForSelector('[data-testid="open-activities"]');
    await page.locator('[data-testid="open-activities"] tr', { hasText: '年度成都市工程技术系列中级职称评审' }).getByRole('button', { name: '我要申报' }).click();
    await page.waitForSelector('[data-testid="declaration"]');

    // then 申报系列 offers 工程技术 alone, already chosen
    const series = page.getByLabel('申报系列');
    await expect.poll(() => series.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).textContent).filter(Boolean))).toEqual(['工程技术']);
    expect(await series.inputValue()).toBe('engineering');

    // and 性别 and 出生日期 are shown from the ID number, not typed
    const gender = page.getByTestId('derived-gender');
    const birth = page.getByTestId('derived-birthDate');
    expect(await gender.inputValue()).toBe('男');
    expect(await birth.inputValue()).toBe('1990-03-07');
    expect(await birth.getAttribute('readonly')).not.toBeNull();
    expect(await fieldOf('出生日期').innerText()).toContain('由身份证号码自动生成');
    expect(await fieldOf('继续教育学时').innerText()).toContain('本次评审活动要求不少于 90 学时');

    // when the applicant declares work from 2030-07-01 and submits
    await page.getByLabel('申报级别').selectOption('intermediate');
    await page.getByLabel('申报专业').selectOption('机械工程');
    await page.getByLabel('最高学历').selectOption('bachelor');
    await page.getByLabel('参加工作时间').fill('2030-07-01');
    await page.getByLabel('继续教育学时').fill('120');
    await page.getByLabel('专业技术工作总结').fill('从事机械设计与制造工艺十余年。');
    await page.getByRole('button', { name: '添加通用' }).click();
    await page.getByLabel('专业技术工作名称').fill('某型减速器设计');
    await page.getByLabel('开始时间').fill('2020-05-01');
    await page.getByLabel('结束时间').fill('2021-05-01');
    // 诚信承诺: every submission accepts it
    await page.check('[data-testid="pledge"] input');
    await page.click('[data-testid="declaration-submit"]');

    // then the Chinese refusal stands at the field, and nothing was submitted
    await expect.poll(() => fieldOf('参加工作时间').innerText(), { timeout: 20_000 }).toContain('参加工作时间不能晚于今天（2026-03-02）');
    expect(await page.locator('[data-testid="declaration-problems"]').innerText()).toContain('参加工作时间不能晚于今天');
    await screenshot(page, 'declaration-rules-1-future-work-start');
    expect((await db.knex('dossiers').where({ activity_id: 1 }).first('status')).status).toBe('draft');

    // and on a phone the basic part stacks one field a line (the console's frame on a phone is another part's)
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(async () => (await fieldOf('出生日期').boundingBox())?.width ?? 0).toBeGreaterThan(250);
    await screenshot(page, 'declaration-rules-2-phone');
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the activity editor refuses the 文号 "成人社2026-3" at its field and takes 成人社发〔2026〕3号; the offering step asks for 继续教育最低学时', async () => {
    session.keepScreenshotOnFailure('2-doc-number');
    // given a draft activity of the organiser
    const committee = await db.knex('committees').first('id');
    const created = await t.request('POST', '/api/activities', { user: 'cd_pw', body: activityBody(Number(committee.id)) });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: number }).id;
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/activities/${id}`);
    await page.waitForSelector('[data-testid="step-basic"]', { timeout: 20_000 });

    // when the clerk types a 文号 without the hexagonal brackets and saves
    await page.getByLabel('文号').fill('成人社2026-3');
    await page.click('[data-testid="save-activity"]');

    // then the step stays and 文号 shows the format in Chinese
    await expect.poll(() => fieldOf('文号').innerText(), { timeout: 20_000 }).toContain('机关代字〔年份〕序号号');
    expect(await page.locator('[data-testid="step-basic"]').count()).toBe(1);
    await screenshot(page, 'declaration-rules-3-doc-number-refused');

    // when it is written as a 文号 (once the error notice no longer covers the button), it is saved
    // and the next step asks for the minimum hours (90 by default)
    // (a snackbar under the pointer does not hide: move the pointer away first)
    await page.mouse.move(5, 5);
    await page.locator('.MuiSnackbar-root').waitFor({ state: 'hidden', timeout: 20_000 });
    await page.getByLabel('文号').fill('成人社发〔2026〕3号');
    await page.click('[data-testid="save-activity"]');
    await page.waitForSelector('[data-testid="step-offering"]', { timeout: 20_000 });
    expect(await page.getByLabel('继续教育最低学时').inputValue()).toBe('90');
    await screenshot(page, 'declaration-rules-4-offering');
    expect((await db.knex('activities').where({ id }).first('document_number')).document_number).toBe('成人社发〔2026〕3号');
  });

  it('the public notice of the demo activity (notice 004) says 继续教育最低学时 90 学时', async () => {
    session.keepScreenshotOnFailure('3-notice');
    // given anybody, not logged in
    await page.evaluate('localStorage.clear()');
    // when they open the demo activity's notice on the home page
    await page.goto(`${base}/?fresh=${Date.now()}#/public/activities/1`);
    // then the minimum hours are part of what an applicant reads
    await expect.poll(() => page.locator('[data-field="继续教育最低学时"]').innerText(), { timeout: 20_000 }).toBe('90 学时');
    await screenshot(page, 'declaration-rules-5-notice');
  });
});
