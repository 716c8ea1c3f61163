import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';
import { shanghaiDate } from '../../api/modules/calendar/calendar.service.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
/** 李娜's dossier: failed at the 专业组 round */
let failed: number;
/** 张伟's dossier: confirmed, with its 职称文件文号 */
let passed: number;
/** the day the results were recorded (the server's clock, Asia/Shanghai) */
let resultDay: string;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'dossier-results',
    viewport: { width: 390, height: 844 },
    prepare: async (db, t) => {
      const received = async (user: string) => {
        const id = await submitDossier(t, user);
        await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', id, 'unit_review')).id);
        await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', id, 'department_review')).id, 'pass');
        await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', id, 'bureau_review')).id, 'pass');
        await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', id, 'committee_receipt')).id, 'pass', '予以接收');
        return Number((await db.knex('dossiers').where({ instance_id: id }).first('id')).id);
      };
      const publish = async (name: string, dossierId: number, payload: Record<string, unknown>) => {
        await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name, correlationKey: `dossier:${dossierId}`, payload }));
        await t.app.engine.deliverMessages();
      };
      resultDay = shanghaiDate(t.clock.now());
      failed = await received('lina');
      await publish('review-result', failed, { reviewPassed: false, reviewStage: 'panel', reviewReason: '专业组同意票未达到出席专家的三分之二' });
      passed = await received('zhangwei');
      await publish('review-result', passed, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
      await publish('publicity-ended', passed, {});
      await db.knex('dossiers').where({ id: passed }).update({ document_no: '川人社职〔2026〕18号' });
      await publish('result-confirmed', passed, { confirmed: true, confirmReason: '' });
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const sidewaysOverflow = () => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);

describe('the applicant reads the result in 我的申报 on a 390 px phone', () => {
  it('未通过 at the 专业组 round, with the date and the reason, and nothing scrolls sideways', async () => {
    session.keepScreenshotOnFailure('failed');
    // Given 李娜's dossier failed at the panel round
    await login(page, base, 'lina');
    // When she opens 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    const result = page.locator('[data-testid="my-dossiers"] [data-testid="dossier-result"]').first();
    await result.waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'dossier-results-1-failed-phone');

    // Then the result, its date and its reason are there, in a block that fits the screen
    const text = await result.innerText();
    expect(text).toContain('评审结果：未通过（专业组评审）');
    expect(text).toContain(resultDay);
    expect(text).toContain('原因：专业组同意票未达到出席专家的三分之二');
    expect(await page.locator('[data-testid="my-dossiers"] table').count()).toBe(0);
    expect(await sidewaysOverflow()).toBeLessThanOrEqual(0);

    // and 申报详情 says the same
    await page.goto(`${base}/#/my-dossiers/${failed}`);
    await page.locator('[data-testid="dossier-result"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="dossier-result"]').innerText()).toContain('专业组评审');
  });

  it('通过 with the 职称文件文号', async () => {
    session.keepScreenshotOnFailure('passed');
    // Given 张伟's dossier was confirmed with its 文号
    await login(page, base, 'zhangwei');
    // When he opens 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    const result = page.locator('[data-testid="my-dossiers"] [data-testid="dossier-result"]').first();
    await result.waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'dossier-results-2-passed-phone');
    // Then
    const text = await result.innerText();
    expect(text).toContain('评审结果：通过');
    expect(text).toContain('职称文件文号：川人社职〔2026〕18号');
    expect(text).toContain(resultDay);
    expect(await sidewaysOverflow()).toBeLessThanOrEqual(0);
    await page.goto(`${base}/#/my-dossiers/${passed}`);
    await page.locator('[data-testid="dossier-result"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="dossier-result"]').innerText()).toContain('川人社职〔2026〕18号');
  });

  it('the employer’s clerk reads the same result on 申报详情 at 1366×768, and 我的申报 on a desktop keeps its table with the result in it', async () => {
    session.keepScreenshotOnFailure('staff');
    await page.setViewportSize({ width: 1366, height: 768 });
    try {
      // Given 李娜's failed dossier, When her employer's clerk opens it
      await login(page, base, 'kj_hr');
      await page.goto(`${base}/#/dossiers/${failed}`);
      const alert = page.locator('[data-testid="dossier-result"]');
      await alert.waitFor({ timeout: 30_000 });
      await screenshot(page, 'dossier-results-3-staff-desktop');
      // Then the result, its round, date and reason are there
      const text = await alert.innerText();
      expect(text).toContain('评审结果：未通过（专业组评审）');
      expect(text).toContain(resultDay);
      expect(text).toContain('专业组同意票未达到出席专家的三分之二');

      // and 李娜's 我的申报 on a desktop is a table whose 状态 column carries the result
      await login(page, base, 'lina');
      await page.goto(`${base}/#/my-dossiers`);
      const row = page.locator('[data-testid="my-dossiers"] tbody tr').first();
      await row.locator('[data-testid="dossier-result"]').waitFor({ timeout: 30_000 });
      expect(await row.innerText()).toContain('未通过（专业组评审）');
    } finally {
      await page.setViewportSize({ width: 390, height: 844 });
    }
  });
});
