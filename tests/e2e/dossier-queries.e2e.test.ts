import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'dossier-queries',
    // 张伟 submits and his employer passes him on to the competent department
    prepare: async (_db, t) => {
      const instance = await submitDossier(t, 'zhangwei');
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', instance, 'unit_review')).id);
    },
  });
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('申报材料综合查询 and 评审人员统计 in the console, in Chromium', () => {
  it('the committee clerk sees the counts and the dossier behind them', async () => {
    const { page, base } = session;
    session.keepScreenshotOnFailure('1-query');
    await login(page, base, 'cd_pw');
    await page.getByRole('menuitem', { name: '申报材料综合查询' }).click();
    await expect.poll(() => page.getByTestId('count-declared').textContent()).toBe('1');
    await expect.poll(() => page.getByTestId('dossier-queries').getByText('张伟').count()).toBe(1);
    await screenshot(page, 'dossier-queries-1-query');
  });

  it('the employer’s clerk changes 评价方式 of a dossier it passed on', async () => {
    const { page, base } = session;
    session.keepScreenshotOnFailure('2-change');
    await login(page, base, 'kj_hr');
    await page.getByRole('menuitem', { name: '评审人员统计' }).click();
    await page.getByTestId('forwarded-dossiers').getByRole('button', { name: '修改' }).click();
    await page.getByTestId('change-method').click();
    await page.getByRole('option', { name: '破格申报' }).click();
    await page.getByLabel('修改原因').fill('符合破格条件');
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.getByTestId('forwarded-dossiers').getByText('破格申报').count()).toBe(1);
    await page.getByTestId('forwarded-dossiers').getByRole('button', { name: '修改' }).click();
    await expect.poll(() => page.getByTestId('change-history').textContent()).toContain('符合破格条件');
    await screenshot(page, 'dossier-queries-2-change');
  });
});
