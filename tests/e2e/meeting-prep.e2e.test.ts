import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { submitDossier } from '../helpers/flow.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let meetingId: number;
let activityId: number;
const dossierOf = { zhangwei: 0, lina: 0 };

const HEADER = ['姓名', '证件号码', '工作单位', '答辩日期', '答辩到会时间', '答辩地址', '答辩签到处', '答辩序号', '答辩会议室'];
const ROWS = {
  zhangwei: ['张伟', '51010419900307231X', '成都示范科技有限公司', '2027-06-15', '08:30', '成都市青羊区人民中路 1 号', '一楼大厅', 1, '301 会议室'],
};

async function sheet(name: string, header: string[], rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const workbook = (rows: Array<Array<string | number>>) => sheet('答辩安排', HEADER, rows);

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

describe('导入笔试成绩, 导入答辩安排 and what the applicants see', () => {
  it('the clerk imports the exam results: the failed candidate ends as 笔试不通过', async () => {
    session.keepScreenshotOnFailure('exam');
    // given the committee clerk on the meeting's 导入笔试成绩 page
    await login(page, base, 'cd_pw');
    await page.goto(`${base}/#/meetings/${meetingId}/exam`);
    await page.locator('[data-testid="prep-candidates"]').waitFor({ timeout: 30_000 });
    // when 张伟 passed and 李娜 failed
    const exam = await sheet('笔试成绩', ['姓名', '证件号码', '工作单位', '笔试成绩', '是否合格'], [
      ['张伟', '51010419900307231X', '成都示范科技有限公司', 86.5, '合格'],
      ['李娜', '510107198806154823', '成都示范科技有限公司', 52, '不合格'],
    ]);
    await page.locator('[data-testid="prep-file"]').setInputFiles({ name: '笔试成绩.xlsx', mimeType: XLSX, buffer: exam });
    await page.getByRole('button', { name: '上传并检验' }).click();
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toContain('正确 2 行，错误 0 行');
    await page.getByRole('button', { name: '确认导入笔试成绩' }).click();
    // then the import reports one failure and 李娜's row says 笔试不通过
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toContain('笔试不通过 1 人');
    await expect.poll(() => page.locator('[data-testid="prep-candidates"] tr').nth(2).innerText(), { timeout: 20_000 }).toContain('笔试不通过');
  });

  it('the clerk sees the errors per cell, then imports the defense arrangement', async () => {
    session.keepScreenshotOnFailure('clerk');
    // given the 导入答辩安排 page of the meeting
    await page.locator('[data-testid="prep-nav"]').getByRole('button', { name: '导入答辩安排' }).click();
    await page.locator('[data-testid="prep-defense"]').waitFor({ timeout: 30_000 });
    // the candidate flagged 公示有异议 shows it
    expect(await page.locator('[data-testid="objection-chip"]').count()).toBe(1);

    // when a file with an impossible date is checked
    const bad = [...ROWS.zhangwei];
    bad[3] = '2027-02-30';
    await page.locator('[data-testid="prep-file"]').setInputFiles({ name: '答辩安排.xlsx', mimeType: XLSX, buffer: await workbook([bad]) });
    await page.getByRole('button', { name: '上传并检验' }).click();
    // then the bad cell is named with its value and reason, and nothing can be confirmed
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toContain('错误 1 行');
    expect(await page.locator('[data-testid="prep-bad-rows"]').innerText()).toContain('答辩日期（2027-02-30）：“2027-02-30”不是有效的日期');
    expect(await page.getByRole('button', { name: '确认导入并发送答辩通知' }).count()).toBe(0);

    // when the corrected file (the remaining candidate) is checked and confirmed
    await page.locator('[data-testid="prep-file"]').setInputFiles({ name: '答辩安排.xlsx', mimeType: XLSX, buffer: await workbook([ROWS.zhangwei]) });
    await page.getByRole('button', { name: '上传并检验' }).click();
    await expect.poll(() => page.locator('[data-testid="prep-check"]').innerText(), { timeout: 20_000 }).toContain('正确 1 行，错误 0 行');
    await page.getByRole('button', { name: '确认导入并发送答辩通知' }).click();
    // then the notices went out and the candidate shows the arrangement
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
    // when the clerk flags 张伟 with a note
    await page.locator('[data-testid="objection-row"]').first().getByRole('button', { name: '标记有异议' }).click();
    await page.getByLabel('异议说明').fill('公示期间实名投诉，经核实业绩不实');
    await page.getByRole('dialog').getByRole('button', { name: '标记' }).click();
    // then his row carries the flag and the note
    await expect.poll(() => page.locator('[data-testid="objection-row"]').first().innerText(), { timeout: 20_000 }).toContain('公示期间实名投诉，经核实业绩不实');
    expect(await page.locator('[data-testid="objection-chip"]').count()).toBe(2);
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
    // then the notice card has every detail of his arrangement
    const text = await notice.innerText();
    for (const part of ['2027-06-15', '08:30', '成都市青羊区人民中路 1 号', '一楼大厅', '第 1 号', '301 会议室']) expect(text).toContain(part);
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

  it('the applicant who failed the exam sees 笔试不通过 in 我的申报 on a phone', async () => {
    session.keepScreenshotOnFailure('failed');
    // given 李娜 on the phone
    await login(page, base, 'lina');
    // when she opens 我的申报
    await page.goto(`${base}/#/my-dossiers`);
    await page.locator('[data-testid="meeting-result"]').waitFor({ timeout: 30_000 });
    // then her result is 笔试不通过 with her score, and no defense notice
    expect(await page.locator('[data-testid="meeting-result"]').innerText()).toBe('笔试不通过');
    expect(await page.locator('[data-testid="exam-result"]').innerText()).toContain('52');
    expect(await page.locator('[data-testid="defense-notice"]').count()).toBe(0);
    await screenshot(page, 'meeting-prep-6-failed-390');
  });
});
