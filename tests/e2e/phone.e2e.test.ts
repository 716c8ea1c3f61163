import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { startDossier, submitDossier, taskOf } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
/** 李娜's declaration, submitted: 查看进度 */
let submitted: string;
/** 张伟's declaration, started and not yet submitted: the declaration page and his task form */
let draft: { instanceId: string; dossierId: number; taskId: string };

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'phone',
    viewport: { width: 390, height: 844 },
    prepare: async (db, t) => {
      submitted = await submitDossier(t, 'lina');
      const instanceId = await startDossier(t, 'zhangwei');
      const dossier = await db.knex('dossiers').where({ instance_id: instanceId }).first('id');
      draft = { instanceId, dossierId: Number(dossier.id), taskId: (await taskOf(t, 'zhangwei', instanceId, 'submit')).id };
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** How far the page reaches beyond the screen (without its scroll bar); 0 when nothing scrolls sideways. */
async function sidewaysOverflow(): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);
}

/** Opens a page, lets it settle, and measures it. */
async function measure(path: string, ready: string, name: string): Promise<number> {
  await page.goto(`${base}/#${path}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await screenshot(page, `phone-${name}`);
  return sidewaysOverflow();
}

describe('the applicant’s pages on a 390 px phone', () => {
  it('login and register fit the screen', async () => {
    session.keepScreenshotOnFailure('public');
    // given a phone-sized window
    // when the login and the applicant's register page are opened
    // then neither scrolls sideways
    expect(await measure('/login', 'input[name="username"]', '1-login')).toBeLessThanOrEqual(0);
    expect(await measure('/register-applicant', 'input', '2-register')).toBeLessThanOrEqual(0);
  });

  it('the menu lives in a drawer that opens from the app bar', async () => {
    session.keepScreenshotOnFailure('menu');
    // given 张伟 logged in on the phone
    await login(page, base, 'zhangwei');

    // then the menu is hidden until the menu button opens it
    const myDossiers = page.getByRole('menuitem', { name: '我的申报' });
    expect(await myDossiers.isVisible()).toBe(false);
    await page.getByRole('button', { name: '打开菜单' }).click();
    await myDossiers.waitFor({ state: 'visible' });
    await screenshot(page, 'phone-3-menu');
    await myDossiers.click();
    await page.getByText('发起申报').first().waitFor();
    expect(await sidewaysOverflow()).toBeLessThanOrEqual(0);
  });

  it('我的申报, the declaration, a task form, 查看进度 and the messages do not scroll sideways', async () => {
    session.keepScreenshotOnFailure('pages');
    // given 张伟 logged in on the phone (李娜's case for 查看进度)
    await login(page, base, 'zhangwei');

    // when each of his pages is opened, then none is wider than the screen
    const widths: Record<string, number> = {
      我的申报: await measure('/my-dossiers', '[data-testid="my-dossiers"]', '4-my-dossiers'),
      申报材料: await measure(`/my-dossiers/${draft.dossierId}/declaration`, 'text=申报系列', '5-declaration'),
      // the applicant's step opens its form's own page, the declaration
      办理表单: await measure(`/tasks/${draft.taskId}/handle`, '[data-testid="declaration"]', '6-task-form'),
      消息: await measure('/messages', 'text=消息', '7-messages'),
    };
    await login(page, base, 'lina');
    widths['查看进度'] = await measure(`/instances/${submitted}/view`, '[data-testid="progress-stepper"]', '8-progress');
    expect(widths).toEqual({ 我的申报: 0, 申报材料: 0, 办理表单: 0, 消息: 0, 查看进度: 0 });
  });
});
