import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { FIXTURES_DIR } from '../helpers/app.ts';
import { actorOf } from '../helpers/actors.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let failing = true;
const ids: { atSubmit: string; atReview: string; failed: string; other: string } = { atSubmit: '', atReview: '', failed: '', other: '' };

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'migration',
    viewport: { width: 1366, height: 768 },
    prepare: async (db, t) => {
      const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES_DIR, name), 'utf8');
      const clerk = await actorOf(db.knex, 'kj_hr');
      const complete = async (instanceId: string) => {
        const task = await db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).first();
        await t.app.engine.completeTask(task.id, clerk, { action: 'pass' });
      };
      // two cases on version 1 of a small flow: one at 提交, one at 审核 (renamed 复审 in version 2)
      await t.app.engine.deploy(fixture('migration-v1.bpmn'));
      ids.atSubmit = await t.app.engine.startInstance({ processKey: 'fixture-migration', actor: clerk, checkStarter: false });
      ids.atReview = await t.app.engine.startInstance({ processKey: 'fixture-migration', actor: clerk, checkStarter: false });
      await complete(ids.atReview);
      await t.app.engine.deploy(fixture('migration-v2.bpmn'));
      // two cases whose service step fails
      t.app.engine.registerHandler('test.flaky', async () => {
        if (failing) throw new Error('外部系统无响应');
        return { synced: true };
      });
      await t.app.engine.deploy(fixture('incident.bpmn'));
      for (const key of ['failed', 'other'] as const) {
        ids[key] = await t.app.engine.startInstance({ processKey: 'fixture-incident', actor: clerk, checkStarter: false });
        await complete(ids[key]);
      }
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

const openTasks = (instanceId: string) => session.db.knex('tasks').where({ root_instance_id: instanceId, status: 'open' }).pluck('element_id');

describe('迁移运行中实例', () => {
  it('shows the dry run, lets the administrator map the renamed task, and migrates with progress', async () => {
    session.keepScreenshotOnFailure('run');
    // given the administrator on the flow's migration page
    await login(page, base, 'admin');
    await page.goto(`${base}/#/process-definitions`);
    await page.getByTestId('migrate-fixture-migration').click();
    await page.getByTestId('migration-page').waitFor();

    // when the dry run is asked (version 1 → 2, the defaults)
    await page.getByTestId('migration-plan').click();

    // then the case at 审核 is refused with the reason, the one at 提交 may migrate
    const table = page.getByTestId('migration-plan-table');
    await expect.poll(() => table.locator('[data-testid="migration-plan-row"]').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => table.innerText()).toContain('不能迁移');
    expect(await table.innerText()).toContain('目标版本没有元素“review”');
    await screenshot(page, 'migration-1-plan');

    // when 审核 is mapped to 复审 and the dry run asked again
    await page.getByRole('combobox', { name: '目标元素' }).click();
    await page.getByRole('option', { name: '复审' }).click();
    await page.getByTestId('migration-plan').click();
    await expect.poll(() => table.innerText(), { timeout: 20_000 }).not.toContain('不能迁移');

    // and 执行迁移 is clicked
    await page.getByTestId('migration-run').click();

    // then the progress ends with both migrated, and the cases continue on version 2
    await expect.poll(() => page.getByTestId('migration-progress').innerText(), { timeout: 30_000 }).toContain('迁移完成：共 2 个，已迁移 2');
    await screenshot(page, 'migration-2-done');
    expect(await openTasks(ids.atReview)).toEqual(['check']);
    expect((await session.db.knex('process_instances').where({ id: ids.atSubmit }).first()).process_version).toBe(2);
  });

  it('reads on a phone', async () => {
    session.keepScreenshotOnFailure('phone');
    // given a phone-sized window
    await page.setViewportSize({ width: 390, height: 844 });
    // when the page is opened
    await page.goto(`${base}/#/processes/fixture-migration/migrate`);
    await page.getByTestId('migration-page').waitFor();
    // then nothing is wider than the screen
    await screenshot(page, 'migration-3-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});

describe('流程异常', () => {
  it('opens an incident with its error and stack, and moves the case on to another step', async () => {
    session.keepScreenshotOnFailure('incident');
    // given the administrator on 流程异常
    await page.goto(`${base}/#/incidents`);
    const rows = page.locator('[data-testid="incident-list"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    await screenshot(page, 'incidents-1-list');

    // when one is opened
    await rows.first().locator('td').nth(3).click();
    await page.getByTestId('incident-show').waitFor();

    // then the error, the attempts and the stack are shown
    expect(await page.getByTestId('incident-show').innerText()).toContain('外部系统无响应');
    expect(await page.getByTestId('incident-stack').innerText()).toContain('Error');
    await screenshot(page, 'incidents-2-show');

    // when the case is moved to 后续办理 with a reason
    const id = Number(page.url().match(/incidents\/(\d+)\/show/)?.[1]);
    const incident = await session.db.knex('incidents').where({ id }).first();
    await page.getByTestId('incident-move').click();
    await page.getByRole('combobox', { name: '移至' }).click();
    await page.getByRole('option', { name: /后续办理/ }).click();
    await page.getByLabel('处理说明').fill('外部系统已手工同步');
    await page.getByTestId('move-confirm').click();

    // then it is resolved and the case waits at 后续办理, the move in its history
    await expect.poll(() => page.getByTestId('incident-show').innerText(), { timeout: 20_000 }).toContain('已解决');
    expect(await page.getByTestId('incident-history').innerText()).toContain('移至其他步骤');
    expect(await openTasks(incident.instance_id)).toEqual(['after']);
    await screenshot(page, 'incidents-3-moved');
  });

  it('retries the selected incidents in one batch', async () => {
    session.keepScreenshotOnFailure('batch');
    // given the outside system back, and the list of open incidents
    failing = false;
    await page.goto(`${base}/#/incidents`);
    const rows = page.locator('[data-testid="incident-list"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);

    // when the remaining one is selected and 批量重试 clicked
    await rows.first().locator('input[type="checkbox"]').check();
    await page.getByTestId('incidents-batch-retry').click();

    // then it is resolved and its case moved on
    await expect.poll(() => openTasks(ids.other), { timeout: 20_000 }).toEqual(['after']);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(0);
  });
});
