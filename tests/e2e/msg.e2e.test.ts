import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { completeOk, passEmployer, submitDossier, taskOf } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
/** 张伟's declaration, received by the committee: the case waits for 评审结果 */
let instanceId: string;
let dossierId: number;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'msg',
    prepare: async (db, t) => {
      instanceId = await submitDossier(t, 'zhangwei');
      await passEmployer(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id);
      await completeOk(t, 'cd_jxj', (await taskOf(t, 'cd_jxj', instanceId, 'department_review')).id, 'pass');
      await completeOk(t, 'cd_hr', (await taskOf(t, 'cd_hr', instanceId, 'bureau_review')).id, 'pass');
      await completeOk(t, 'cd_pw', (await taskOf(t, 'cd_pw', instanceId, 'committee_receipt')).id, 'pass', '予以接收');
      dossierId = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
      // a message for nobody, kept for an administrator to see
      await db.knex.transaction((trx) => t.app.engine.publishMessage(trx, { name: 'review-result', correlationKey: 'dossier:424242', payload: { reviewPassed: true } }));
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

async function myDossierChip() {
  await page.goto(`${base}/#/my-dossiers`);
  const row = page.getByText('2026年度成都市工程技术系列中级职称评审').first();
  await row.waitFor({ timeout: 20_000 });
  return page.locator('.MuiChip-root', { hasText: /评审|接收|审核/ }).first();
}

describe('the applicant’s life after receipt, and the messages behind it', () => {
  it('the administrator sees the case waiting for 评审结果, and 流程消息 lists the undelivered message', async () => {
    session.keepScreenshotOnFailure('viewer');
    // given the administrator (流程监控)
    await login(page, base, 'admin');

    // when the received case is opened
    await page.goto(`${base}/#/instances/${instanceId}/view`);

    // then the viewer says which message it waits for, by which key, since when
    const waiting = page.locator('[data-testid="waiting-messages"]');
    await waiting.waitFor({ timeout: 30_000 });
    expect(await waiting.innerText()).toMatch(new RegExp(`等待消息：评审结果（review-result，关联键 dossier:${dossierId}），自 \\d{4}-\\d{2}-\\d{2}`));
    await page.locator('[data-testid="instance-diagram"] svg').first().waitFor({ timeout: 30_000 });
    await page.setViewportSize({ width: 1366, height: 768 });
    await screenshot(page, 'msg-1-viewer-waiting');

    // and 流程消息 lists the message nobody waits for, not the case's own (none was sent yet)
    await page.goto(`${base}/#/process-messages`);
    const key = page.getByText('dossier:424242');
    await key.waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="message-status"]').first().innerText()).toBe('待接收');
    await screenshot(page, 'msg-2-process-messages');
  });

  it('the applicant reads 评审中, then the result once the committee’s message arrives', async () => {
    session.keepScreenshotOnFailure('applicant');
    // given the applicant on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, base, 'zhangwei');

    // when he looks at 我的申报 and 查看进度
    await expect.poll(async () => (await myDossierChip()).innerText(), { timeout: 20_000 }).toBe('评审中');
    await page.getByRole('button', { name: '查看进度' }).click();
    await page.locator('[data-testid="waiting-messages"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="waiting-messages"]').innerText()).toBe('等待：评审结果');
    await screenshot(page, 'msg-3-applicant-waiting');

    // when the committee's flow sends the result
    await session.db.knex.transaction((trx) =>
      session.t.app.engine.publishMessage(trx, { name: 'review-result', correlationKey: `dossier:${dossierId}`, payload: { reviewPassed: true, reviewStage: 'plenary', reviewReason: null } }),
    );
    await session.t.app.engine.deliverMessages();

    // then 我的申报 shows the result, and the case waits for the end of the publicity
    await expect.poll(async () => (await myDossierChip()).innerText(), { timeout: 20_000 }).toBe('评审通过（公示中）');
    await screenshot(page, 'msg-4-applicant-passed');
    await page.getByRole('button', { name: '查看进度' }).click();
    await expect.poll(() => page.locator('[data-testid="waiting-messages"]').innerText(), { timeout: 20_000 }).toContain('等待：公示结束');
    // and the case's history shows the result's arrival
    const arrival = page.locator('[data-testid="history-entry"]').filter({ hasText: '评审结果' });
    expect(await arrival.locator('[data-testid="history-action"]').innerText()).toBe('收到消息');
    await screenshot(page, 'msg-5-applicant-progress-after-result');
  });

  it('the flow editor edits a message catch’s key: 评审结果 of the dossier flow', async () => {
    session.keepScreenshotOnFailure('editor');
    // given the administrator in the flow editor of the dossier flow
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, base, 'admin');
    await page.goto(`${base}/#/process-definitions`);
    await page.click('[data-testid="edit-dossier-review"]');
    await page.waitForSelector('[data-testid="modeler"] [data-element-id="wait_review"]', { state: 'attached', timeout: 30_000 });

    // when 评审结果 (far right of the chain) is selected and its 关联键 set
    // (the chain is far wider than the canvas: scroll right until the element is inside it)
    await page.hover('[data-testid="modeler"] [data-element-id="submit"]');
    const canvas = (await page.locator('[data-testid="modeler"]').boundingBox())!;
    const target = page.locator('[data-testid="modeler"] [data-element-id="wait_review"]');
    for (let i = 0; i < 20; i++) {
      const box = await target.boundingBox();
      if (box && box.x > canvas.x + 150 && box.x + box.width < canvas.x + canvas.width - 400) break;
      await page.mouse.wheel(box && box.x < canvas.x + 150 ? -300 : 300, 0);
      await page.waitForTimeout(150);
    }
    await target.click();
    await page.click('.bio-properties-panel-group-header:has-text("职称系统")');
    const key = page.locator('#bio-properties-panel-zcps-zcps-correlationKey');
    await key.waitFor();
    expect(await page.locator('.bio-properties-panel-group:has-text("职称系统")').innerText()).toContain('不填即本实例的业务键');
    // (the message itself is chosen in the panel's own 消息 group, in Chinese too)
    await page.click('.bio-properties-panel-group-header:has-text("消息")');
    await page.getByText('引用的消息').waitFor();
    await key.fill('="dossier:" + string(dossierId)');
    await key.press('Tab');
    await page.waitForTimeout(500);
    await screenshot(page, 'msg-6-editor-correlation-key');
    await page.click('[data-testid="deploy"]');
    await page.waitForSelector('text=已部署为第 2 版', { timeout: 30_000 });

    // then the new version's catch waits by that key
    const v2 = await session.db.knex('process_definitions').where({ key: 'dossier-review', version: 2 }).first();
    expect(v2.meta.messages.find((m: { id: string }) => m.id === 'wait_review')).toMatchObject({ messageName: 'review-result', correlationKey: '="dossier:" + string(dossierId)' });
  });
});
