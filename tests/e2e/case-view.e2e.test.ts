import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { completeOk, submitDossier, taskOf } from '../helpers/flow.ts';
import { upload, uploadPdf } from '../helpers/files.ts';
import { VALID_DOSSIER } from '../helpers/app.ts';

let db: ConsoleSession['db'];
let t: ConsoleSession['t'];
let page: ConsoleSession['page'];
let base: string;
let session: ConsoleSession;
let instanceId: string;
let dossierId: number;

// a 2×2 red PNG: small, but an image the browser decodes
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64');

const pageScrollsSideways = () => page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);

/** Whether the element lies within the window, left to right (after scrolling its own box, if it has one). */
async function reachable(selector: string): Promise<boolean> {
  const target = page.locator(selector).first();
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  const width = await page.evaluate(() => window.innerWidth);
  return Boolean(box && box.x >= 0 && box.x + box.width <= width + 1 && box.width > 0);
}

beforeAll(async () => {
  session = await startConsoleSession({ prefix: 'case-view', viewport: { width: 1366, height: 768 } });
  ({ db, t, page, base } = session);
  // a declaration as long as real ones: three kinds of achievement, each with its attachment, a certificate with its scan
  const image = (await upload(t, 'zhangwei', [{ name: '获奖证书.png', type: 'image/png', content: PNG }])).json()[0];
  const paper = await uploadPdf(t, 'zhangwei', '论文全文.pdf');
  const certificate = await uploadPdf(t, 'zhangwei', '工程师资格证书.pdf');
  instanceId = await submitDossier(t, 'zhangwei', {
    ...VALID_DOSSIER,
    qualifications: [{ ...VALID_DOSSIER.qualifications[0], files: [certificate] }],
    workSummary: `${'本人长期从事大型减速器与传动系统的设计、试验与工艺改进工作，主持完成多项企业重点项目。'.repeat(12)}\n二、技术创新：提出齿轮修形新方法。`,
    achievements: [
      { template: 'paper', title: '大型减速器齿轮修形研究', date: '2024-05-01', category: '学术论文', publication: '机械工程学报（中文核心期刊）', number: 'ISSN 0577-6686 / CN 11-2187/TH', rank: '第1/共3', words: 8, files: [paper] },
      { template: 'award', title: '四川省科学技术进步奖', date: '2023-12-01', organisation: '四川省人民政府', awardLevel: '省部级', awardGrade: '三等奖', rank: '第2/共9', number: 'JB2023-3-118', files: [image] },
      { template: 'general', title: '某型风电齿轮箱研制', date: '2021-03-01', endDate: '2022-10-31', afterCurrentTitle: true, description: '负责总体方案与强度校核，完成样机试验。' },
    ],
  });
  dossierId = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('the case, readable by whoever approves it, in Chromium', () => {
  it('the employer’s clerk opens the whole declaration from the task at 1366×768, opens its attachments in the page, and goes back to the task', async () => {
    session.keepScreenshotOnFailure('1-clerk');
    // given the clerk on the task page
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks/${(await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id}/handle`);
    await page.waitForSelector('[data-testid="case-data"]');
    await page.waitForTimeout(500);
    // then the page itself does not scroll sideways
    expect(await pageScrollsSideways()).toBe(false);
    await screenshot(page, 'case-view-1-task');

    // when they open 查看详细信息
    await page.click('[data-testid="case-detail"]');
    await page.waitForSelector('[data-testid="dossier-case"] [data-testid="case-section-achievements"]', { timeout: 20_000 });

    // then the declaration reads in sections, the page does not scroll sideways, and the last columns are reachable
    const text = await page.locator('[data-testid="dossier-case"]').innerText();
    for (const section of ['基本信息', '学历', '继续教育', '资格证书', '工作经历', '专业技术工作总结', '业绩成果']) expect(text).toContain(section);
    expect(text).toContain('二、技术创新：提出齿轮修形新方法。');
    expect(await pageScrollsSideways()).toBe(false);
    expect(await reachable('[data-field="achievements.0.number"]')).toBe(true);
    expect(await page.locator('[data-field="achievements.0.number"]').innerText()).toContain('CN 11-2187/TH');
    expect(await reachable('[data-field="achievements.1.files"]')).toBe(true);
    expect(await reachable('[data-field="qualifications.0.files"]')).toBe(true);
    expect(await reachable('[data-field="qualifications.0.date"]')).toBe(true);
    await page.locator('[data-testid="case-section-basic"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'case-view-2-case');

    // when they open the award's image, it is shown in the page
    await page.click('[data-field="achievements.1.files"] [data-file="获奖证书.png"]');
    await expect.poll(() => page.locator('[data-testid="file-preview-image"]').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBe(2);
    await page.getByRole('button', { name: '关闭' }).click();
    // and the paper's PDF in the browser's viewer
    await page.click('[data-field="achievements.0.files"] [data-file="论文全文.pdf"]');
    const frame = page.locator('[data-testid="file-preview-pdf"]');
    await frame.waitFor({ timeout: 20_000 });
    expect(await frame.evaluate((f: HTMLIFrameElement) => fetch(f.src).then(async (r) => `${r.headers.get('content-type') ?? (await r.blob()).type} ${(await r.text()).slice(0, 8)}`))).toBe('application/pdf %PDF-1.4');
    await screenshot(page, 'case-view-3-pdf');
    await page.getByRole('button', { name: '关闭' }).click();

    // and 返回办理 leads back to the task
    await page.click('[data-testid="back-to-task"]');
    await page.waitForSelector('[data-testid="case-data"]');
    expect(page.url()).toContain('/handle');
  });

  it('the clerk sees the applicant’s ID number masked and reveals it with 查看 (recorded in the audit), on a phone as well', async () => {
    session.keepScreenshotOnFailure('1b-pii');
    // given the clerk reading the case at 390 px wide
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks/${(await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id}/handle`);
    await page.click('[data-testid="case-detail"]');
    const idField = page.locator('[data-testid="dossier-case"] [data-field="applicant.idNumber"]');
    await idField.waitFor({ timeout: 20_000 });
    expect(await idField.innerText()).toContain('5101**********231X');
    await screenshot(page, 'case-view-pii-1-masked-phone');
    // when they press 查看
    await idField.locator('[data-testid="pii-view-idNumber"]').click();
    // then the whole number shows, and the audit holds their view
    await expect.poll(() => idField.innerText(), { timeout: 20_000 }).toContain('51010419900307231X');
    expect(await pageScrollsSideways()).toBe(false);
    await screenshot(page, 'case-view-pii-2-revealed-phone');
    const views = await db.knex('audit_events').where({ action: 'pii.view', target_id: `dossier:${dossierId}` });
    expect(views.length).toBeGreaterThanOrEqual(1);
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('the applicant re-reads what they submitted, on a phone as well', async () => {
    session.keepScreenshotOnFailure('2-applicant');
    await page.setViewportSize({ width: 1366, height: 768 });
    // given the applicant on 我的申报
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/my-dossiers`);
    await page.waitForSelector('[data-testid="my-dossiers"]');
    // when they open 申报详情
    await page.locator('[data-testid="my-dossiers"]').getByRole('button', { name: '申报详情' }).click();
    await page.waitForSelector('[data-testid="dossier-case"] [data-testid="case-section-achievements"]', { timeout: 20_000 });
    // then the declaration is there, with its attachments
    const text = await page.locator('[data-testid="dossier-case"]').innerText();
    expect(text).toContain('大型减速器齿轮修形研究');
    expect(text).toContain('工程师资格证书.pdf');
    // and on a 390 px phone the declaration fits the screen
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    const right = await page.locator('[data-testid="case-section-achievements"]').evaluate((el) => el.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(390);
    expect(await pageScrollsSideways()).toBe(false);
    await page.locator('[data-testid="case-section-achievements"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'case-view-4-applicant-phone');
  });

  it('修改并重新提交 opens the declaration page from 待办事项 and from 我的申报, with what to fix, on a phone as well', async () => {
    session.keepScreenshotOnFailure('3-resubmit');
    await page.setViewportSize({ width: 1366, height: 768 });
    // given the dossier returned for its phone number
    await completeOk(t, 'kj_hr', (await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id, 'return', '联系电话有误，请更正');

    // when the applicant opens the task from 待办事项
    await login(page, base, 'zhangwei');
    await page.goto(`${base}/#/tasks`);
    // (an applicant's inbox is a list of cards, each with 去办理)
    const card = page.locator('[data-testid="applicant-task"]', { hasText: '修改并重新提交' }).first();
    await card.waitFor({ timeout: 20_000 });
    await card.getByRole('button', { name: '去办理' }).click();
    // then it is the declaration page, not the generated form
    await page.waitForSelector('[data-testid="declaration"]', { timeout: 20_000 });
    expect(page.url()).toContain(`/my-dossiers/${dossierId}/declaration`);
    expect(await page.locator('[data-testid="task-form"]').count()).toBe(0);
    expect(await pageScrollsSideways()).toBe(false);

    // and so it is from 我的申报's 去办理
    await page.goto(`${base}/#/my-dossiers`);
    await page.locator('[data-testid="my-dossiers"]').getByRole('button', { name: '去办理' }).click();
    await page.waitForSelector('[data-testid="declaration"]', { timeout: 20_000 });
    expect(page.url()).toContain(`/my-dossiers/${dossierId}/declaration`);
    // with what the clerk asked to fix above the form
    await expect.poll(() => page.locator('[data-testid="declaration"] [data-testid="defects"]').innerText(), { timeout: 20_000 }).toContain('联系电话有误，请更正');
    await screenshot(page, 'case-view-5-resubmit-page');
    // and it works on a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    expect(await pageScrollsSideways()).toBe(false);
    await screenshot(page, 'case-view-5-resubmit-phone');
    await page.setViewportSize({ width: 1366, height: 768 });

    // when the applicant corrects the phone and resubmits
    await page.getByLabel('联系电话').fill('13911112222');
    // 诚信承诺: every submission accepts it
    await page.check('[data-testid="pledge"] input');
    await page.click('[data-testid="declaration-submit"]');
    await page.waitForSelector('[data-testid="dossier-progress"]', { timeout: 20_000 });
  });

  it('after the resubmission the clerk, opening the case from the task, sees what changed (修改痕迹)', async () => {
    session.keepScreenshotOnFailure('4-changes');
    await page.setViewportSize({ width: 1366, height: 768 });
    // given the resubmission above; when the clerk opens the case from the task
    await login(page, base, 'kj_hr');
    await page.goto(`${base}/#/tasks/${(await taskOf(t, 'kj_hr', instanceId, 'unit_review')).id}/handle`);
    await page.click('[data-testid="case-detail"]');
    await page.waitForSelector('[data-testid="case-changes"]', { timeout: 20_000 });
    // then the change is named and marked
    expect(await page.locator('[data-testid="case-changes"]').innerText()).toContain('修改 基本信息 联系电话：138****0000 → 139****2222');
    expect(await page.locator('[data-field="phone"]').getAttribute('data-changed')).toBe('true');
    expect(await page.locator('[data-field="education"]').getAttribute('data-changed')).toBeNull();
    await screenshot(page, 'case-view-6-changes');
  });
});
