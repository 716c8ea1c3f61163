import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { completeOk, submitDossier, taskOf } from '../helpers/flow.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'revision-deadline' });
  ({ db, t, page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('修改提交截止时间 in the console, in Chromium', () => {
  it('the clerk who returned a dossier sets the applicant’s revision deadline on the dossier’s progress page', async () => {
    session.keepScreenshotOnFailure('1-set');
    const instanceId = await submitDossier(t, 'zhangwei');
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id, 'return', '请补充学历证书');
    const dossier = await db.knex('dossiers').where({ instance_id: instanceId }).first();

    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/dossiers/${dossier.id}`);
    await page.waitForSelector('[data-testid="revision-deadline"]', { timeout: 20_000 });
    await page.locator('[data-testid="revision-deadline"] input').fill('2026-06-10T17:00');
    await page.getByRole('button', { name: '设置' }).click();
    await expect.poll(async () => (await db.knex('dossiers').where({ id: dossier.id }).first()).revision_deadline?.toISOString()).toBe('2026-06-10T09:00:00.000Z');

    // the applicant sees the unit's time, and no such control
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-dossiers/${dossier.id}`);
    await expect.poll(() => page.locator('[data-testid="dossier-progress"]').innerText(), { timeout: 20_000 }).toContain('退回单位设置的修改提交截止时间');
    expect(await page.locator('[data-testid="revision-deadline"]').count()).toBe(0);
  });
});
