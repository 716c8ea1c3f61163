import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { addConfirmedExperts, addReceivedDossiers, ballotStandIn, OTHER_PARTS, setActivityOptions } from '../helpers/meeting-fixtures.ts';

let session: ConsoleSession;
let dossiers: number[];
let meetingId: number;
let experts: Awaited<ReturnType<typeof addConfirmedExperts>>;

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'meeting',
    viewport: { width: 1366, height: 768 },
    // the draw's and the vote's steps are stood in for (confirmed experts with credentials)
    app: { withoutModules: OTHER_PARTS, extraModules: [ballotStandIn()] },
    prepare: async (db) => {
      await setActivityOptions(db.knex, { panels: true, panelMethod: 'vote' });
      dossiers = await addReceivedDossiers(db.knex, [{ name: '赵参评' }, { name: '钱参评' }, { name: '孙参评', specialty: '电气工程' }]);
    },
  });
}, 240_000);

afterAll(async () => {
  await session?.close();
});

/** The open task of a step of the meeting's case, completed by the clerk through the API (the draw part's pages are not on this branch). */
async function completeByApi(elementId: string) {
  const meeting = await session.db.knex('review_meetings').where({ id: meetingId }).first('instance_id');
  const task = await session.db.knex('tasks').where({ root_instance_id: meeting.instance_id, element_id: elementId, status: 'open' }).first('id');
  const res = await session.t.request('POST', `/api/tasks/${task.id}/complete`, { user: 'cd_pw', body: { action: 'complete' } });
  expect(res.statusCode, res.body).toBe(200);
}

const stepState = (elementId: string) => session.page.locator(`[data-testid="step-${elementId}"]`).innerText();

describe('评审会议管理 in the console, in Chromium', () => {
  it('the clerk opens 评审会议管理, calls the 普通评审会议 and lands on its page with 专家抽选 open', async () => {
    session.keepScreenshotOnFailure('1-create');
    const { page, base } = session;
    // given a published activity with three received dossiers
    await login(page, base, 'cd_pw');
    // when the clerk opens the menu entry and calls the meeting
    await page.getByText('评审会议管理').first().click();
    await page.waitForSelector('[data-testid="activity-meetings-1"]');
    expect(await page.locator('[data-testid="activity-meetings-1"]').innerText()).toContain('已接收申报 3 人');
    await screenshot(page, 'meeting-1-list');
    await page.getByRole('button', { name: '召开普通评审会议' }).click();
    await page.fill('[data-testid="meeting-starts-at"]', '2026-06-01T09:00');
    await page.fill('[data-testid="meeting-location"]', '成都市人社局 3 楼会议室');
    await page.getByRole('button', { name: '召开会议' }).click();
    // then the meeting page shows the steps from its case and the candidates
    await page.waitForSelector('[data-testid="meeting-steps"]');
    meetingId = Number(/#\/meetings\/(\d+)/.exec(page.url())?.[1]);
    expect(meetingId).toBeGreaterThan(0);
    await expect.poll(() => stepState('draw')).toContain('办理中');
    expect(await stepState('exam')).toContain('不适用');
    expect(await page.locator('[data-testid="meeting-candidates"]').innerText()).toContain('孙参评');
    await screenshot(page, 'meeting-2-detail');
  });

  it('专家分组: the clerk makes a panel, puts the confirmed experts in it, names a 组长 and completes the step', async () => {
    session.keepScreenshotOnFailure('2-panels');
    const { page, base, db } = session;
    // given three confirmed experts (stand-in for the draw part) and the case at 专家分组
    experts = await addConfirmedExperts(db.knex, meetingId, 3);
    await completeByApi('draw');
    await completeByApi('attendance');
    await page.goto(`${base}/#/meetings/${meetingId}`);
    await expect.poll(() => stepState('panels')).toContain('办理中');
    // when the clerk goes to the step's page and groups the experts
    await page.locator('[data-testid="step-panels"]').getByRole('button', { name: '去办理' }).click();
    await page.fill('[data-testid="panel-name"]', '机械组');
    await page.fill('[data-testid="panel-specialty"]', '机械工程');
    await page.getByRole('button', { name: '新增专业组' }).click();
    await expect.poll(() => page.locator('[data-testid="panel-list"]').innerText()).toContain('机械组');
    for (const e of experts) {
      await page.selectOption(`[data-testid="panel-of-${e.expertId}"]`, { label: '机械组' });
      await expect.poll(async () => (await db.knex('meeting_experts').where({ meeting_id: meetingId, expert_id: e.expertId }).first('panel_id')).panel_id).not.toBeNull();
    }
    await page.click(`[data-testid="leader-${experts[0]!.expertId}"]`);
    await expect.poll(() => page.locator('[data-testid="panel-list"]').innerText()).toContain('组长');
    await screenshot(page, 'meeting-3-panels');
    await page.click('[data-testid="complete-panels"]');
    // then the step is done and 人员分配 is open
    await expect.poll(() => stepState('assignment'), { timeout: 15_000 }).toContain('办理中');
    expect(await stepState('panels')).toContain('已完成');
  });

  it('人员分配: a reorder import with a bad cell shows the cell; batch assignment fills 主审, 辅审 and panel; the step completes', async () => {
    session.keepScreenshotOnFailure('3-assignment');
    const { page, base, t } = session;
    // given the case at 人员分配
    await page.goto(`${base}/#/meetings/${meetingId}/assignment`);
    await page.waitForSelector('[data-testid="assignment-candidates"]');
    // when the clerk imports a template whose 顺序 of one row is text
    const template = await t.request('GET', `/api/meetings/${meetingId}/order-template`, { user: 'cd_pw' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    book.worksheets[0]!.getRow(3).getCell(2).value = '第二';
    await page.locator('[data-testid="order-import"]').setInputFiles({ name: '顺序.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await book.xlsx.writeBuffer()) });
    // then the page names the cell
    await expect.poll(() => page.locator('[data-testid="order-problems"]').innerText(), { timeout: 15_000 }).toContain('B3：第 3 行“顺序”应为正整数');
    expect(await page.locator('[data-testid="order-problems"]').innerText()).not.toContain('缺少');
    // when the clerk selects everyone and assigns 主审, one 辅审 and the panel
    await page.getByRole('checkbox', { name: '全选' }).check();
    await page.selectOption('[data-testid="main-expert"]', String(experts[0]!.expertId));
    await page.click(`[data-testid="assistant-${experts[1]!.expertId}"]`);
    await page.selectOption('[data-testid="candidate-panel"]', { label: '机械组' });
    await page.click('[data-testid="assign"]');
    // then every row shows them
    const mainName = (await session.db.knex('experts').where({ id: experts[0]!.expertId }).first('name')).name as string;
    await expect.poll(() => page.locator(`[data-testid="candidate-${dossiers[2]}"]`).innerText()).toContain(mainName);
    expect(await page.locator(`[data-testid="candidate-${dossiers[0]}"]`).innerText()).toContain('机械组');
    await screenshot(page, 'meeting-4-assignment');
    // and the step completes, with 开启专家投票 next
    await page.click('[data-testid="complete-assignment"]');
    await expect.poll(() => stepState('open_voting'), { timeout: 15_000 }).toContain('办理中');
  });

  it('评审方案: the clerk chooses no supervisor yet and sees the three exports on the meeting page', async () => {
    session.keepScreenshotOnFailure('4-plan');
    const { page, base } = session;
    // given the meeting page
    await page.goto(`${base}/#/meetings/${meetingId}`);
    await page.waitForSelector('[data-testid="supervisor-select"]');
    // when the clerk looks at 评审方案
    const buttons = await page.getByRole('button', { name: /^导出/ }).allInnerTexts();
    // then the three exports are offered
    expect(buttons).toEqual(['导出报评人员名册', '导出申报人员汇总表', '导出参评专家信息']);
    await screenshot(page, 'meeting-5-plan');
  });
});
