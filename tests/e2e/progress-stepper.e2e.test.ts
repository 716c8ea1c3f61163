import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
/** 张伟's submitted declaration, waiting at 申报单位审核 */
let instanceId: string;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'progress',
    prepare: async (_db, t) => {
      instanceId = await submitDossier(t, 'zhangwei');
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('查看进度: applicants see the chain as steps, staff keep the diagram', () => {
  it('the applicant opens 查看进度 from 我的申报 and sees who holds the dossier and until when', async () => {
    session.keepScreenshotOnFailure('applicant');
    // given 张伟's declaration at the employer's review
    await login(page, base, 'zhangwei');

    // when he opens 查看进度 from 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    await page.getByRole('button', { name: '查看进度' }).click();
    const stepper = page.locator('[data-testid="progress-stepper"]');
    await stepper.waitFor({ timeout: 20_000 });

    // then the chain in order, the employer current with its name, task and deadline, and no diagram
    const text = await stepper.innerText();
    const order = ['申报人', '申报单位', '主管部门', '人社部门', '评委会'].map((label) => text.indexOf(label));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const current = stepper.locator('[data-state="current"]');
    await expect.poll(() => current.innerText()).toContain('申报单位');
    expect(await current.innerText()).toContain('成都示范科技有限公司');
    expect(await current.innerText()).toContain('正在办理：申报单位审核');
    expect(await current.locator('[data-testid="progress-due"]').innerText()).toMatch(/^办理期限：\d{4}-\d{2}-\d{2}/);
    expect(await stepper.locator('[data-state="done"]').count()).toBe(1);
    expect(await page.locator('[data-testid="instance-diagram"]').count()).toBe(0);
    expect(page.url()).toContain(`/instances/${instanceId}/view`);
    await screenshot(page, 'progress-1-applicant-stepper');
  });

  it('staff opening the same case still see the diagram of the flow', async () => {
    session.keepScreenshotOnFailure('staff');
    // given the administrator (流程监控)
    await login(page, base, 'admin');

    // when the case is opened from 流程实例
    await page.goto(`${base}/#/instances/${instanceId}/view`);

    // then the BPMN diagram is there, with the steps above it
    await page.locator('[data-testid="instance-diagram"] svg').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="progress-stepper"] [data-state="current"]').innerText()).toContain('申报单位');
    await screenshot(page, 'progress-2-staff-diagram');
  });
});
