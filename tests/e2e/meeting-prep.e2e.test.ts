import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let meetingId: number;
let activityId: number;
const dossierOf: Record<string, number> = {};

const HEADER = ['姓名', '证件号码', '工作单位', '答辩日期', '答辩到会时间', '答辩地址', '答辩签到处', '答辩序号', '答辩会议室'];
const ROWS = {
  zhangwei: ['张伟', '51010419900307231X', '成都示范科技有限公司', '2027-06-15', '08:30', '成都市青羊区人民中路 1 号', '一楼大厅', 1, '301 会议室'],
  lina: ['李娜', '510107198806154823', '成都示范科技有限公司', '2027-06-15', '09:30', '成都市青羊区人民中路 1 号', '一楼大厅', 2, '301 会议室'],
};

async function workbook(rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('答辩安排');
  sheet.addRow(HEADER);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'meeting-prep',
    viewport: { width: 1366, height: 768 },
    prepare: async (db, t) => {
      const now = t.clock.now();
      const activity = await db.knex('activities').first('id', 'committee_id');
      activityId = Number(activity.id);
      await db.knex('activities').where({ id: activityId }).update({ written_exam: 'all', defense: 'all' });
      for (const who of ['zhangwei', 'lina'] as const) {
        const instanceId = await submitDossier(t, who);
        dossierOf[who] = Number((await db.knex('dossiers').where({ instance_id: instanceId }).first('id')).id);
      }
      // the meeting and its candidates, written directly (the meeting part creates them)
      const [meeting] = await db
        .knex('review_meetings')
        .insert({ activity_id: activityId, committee_id: activity.committee_id, kind: 'normal', name: '2026年度普通评审会议', created_at: now, updated_at: now })
        .returning('id');
      meetingId = Number(meeting.id);
      await db.knex('meeting_candidates').insert([
        { meeting_id: meetingId, dossier_id: dossierOf.zhangwei, order_no: 1, created_at: now },
        { meeting_id: meetingId, dossier_id: dossierOf.lina, order_no: 2, created_at: now, objection: true, objection_note: '单位公示期间投诉经核实' },
      ]);
    },
  });
  ({ page, base } = session);
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('导入答辩安排 and the applicant’s 答辩通知', () => {
  it('the clerk sees the errors per cell, then imports the arrangement', async () => {
    session.keepScreenshotOnFailure('clerk');
    // given the committee clerk on the meeting's 导入答辩安排 page
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/meetings/${meetingId}/defense`);
    await page.locator('[data-testid="prep-candidates"]').waitFor({ timeout: 30_000 });
    // the candidate flagged 公示有异议 shows it
    expect(await page.locator('[data-testid="objection-chip"]').count()).toBe(1);

    // when a file with an impossible date is checked
    const bad = [...ROWS.lina];
    bad[3] = '2027-02-30';
    await page.locator('[data-testid="prep-file"]').setInputFiles({ name: '答辩安排.xlsx', mimeType: XLSX, buffer: await workbook([ROWS.zhangwei, bad]) });
    await page.getByRole('button', { name: '上传并检验' }).click();
    // then the bad cell is named with its value and reason, and nothing can be confirmed
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toContain('错误 1 行');
    expect(await page.locator('[data-testid="prep-bad-rows"]').innerText()).toContain('答辩日期（2027-02-30）：“2027-02-30”不是有效的日期');
    expect(await page.getByRole('button', { name: '确认导入并发送答辩通知' }).count()).toBe(0);

    // when the corrected file is checked and confirmed
    await page.locator('[data-testid="prep-file"]').setInputFiles({ name: '答辩安排.xlsx', mimeType: XLSX, buffer: await workbook([ROWS.zhangwei, ROWS.lina]) });
    await page.getByRole('button', { name: '上传并检验' }).click();
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toContain('正确 2 行，错误 0 行');
    await page.getByRole('button', { name: '确认导入并发送答辩通知' }).click();
    // then the notices went out and each candidate shows the arrangement
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toMatch(/已导入，发送答辩通知 \d+ 条/);
    await expect.poll(() => page.locator('[data-testid="prep-candidates"]').innerText(), { timeout: 20_000 }).toContain('2027-06-15 08:30 到会 · 第 1 号 · 301 会议室');
    await screenshot(page, 'meeting-prep-1-defense-1366');
  });

  it('the clerk reaches the 评分标准 and 公示有异议人员 pages from the meeting', async () => {
    session.keepScreenshotOnFailure('pages');
    // when the clerk opens 公示有异议人员 from the meeting's preparation links
    await page.locator('[data-testid="prep-nav"]').getByRole('button', { name: '公示有异议人员' }).click();
    await page.locator('[data-testid="prep-objections"]').waitFor({ timeout: 30_000 });
    // then the flagged candidate and the note are listed
    expect(await page.locator('[data-testid="objection-row"]').nth(1).innerText()).toContain('单位公示期间投诉经核实');
    await screenshot(page, 'meeting-prep-2-objections-1366');
    // and 评分标准 saves items with their total
    await page.locator('[data-testid="prep-nav"]').getByRole('button', { name: '评分标准' }).click();
    await page.locator('[data-testid="scoring-page"]').waitFor({ timeout: 30_000 });
    for (const [name, points] of [
      ['业绩成果', '60'],
      ['答辩表现', '40'],
    ]) {
      await page.getByRole('button', { name: '新增评分项' }).click();
      const item = page.locator('[data-testid="scoring-item"]').last();
      await item.getByLabel('评分项').fill(name!);
      await item.getByLabel('满分').fill(points!);
    }
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('[data-testid="scoring-page"]').innerText(), { timeout: 20_000 }).toContain('已保存 2 项，总分 100 分');
    await screenshot(page, 'meeting-prep-3-scoring-1366');
  });

  it('the applicant sees the 答辩通知 in 我的申报 on a phone', async () => {
    session.keepScreenshotOnFailure('applicant');
    // given 张伟 on a 390 px phone
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, base, 'zhangwei');
    // when he opens 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    const notice = page.locator('[data-testid="defense-notice"]');
    await notice.waitFor({ timeout: 30_000 });
    // then the notice card has every detail of his arrangement, and nothing of 李娜's
    const text = await notice.innerText();
    for (const part of ['2027-06-15', '08:30', '成都市青羊区人民中路 1 号', '一楼大厅', '第 1 号', '301 会议室']) expect(text).toContain(part);
    expect(text).not.toContain('09:30');
    // and the card fits the screen
    const box = await page.locator('[data-testid="meeting-notice"]').first().boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'meeting-prep-4-notice-390');
    // and 申报详情 shows the same notice
    await page.goto(`${base}/#/my-dossiers/${dossierOf.zhangwei}`);
    await page.locator('[data-testid="defense-notice"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="defense-notice"]').innerText()).toContain('301 会议室');
    await screenshot(page, 'meeting-prep-5-dossier-390');
  });
});
