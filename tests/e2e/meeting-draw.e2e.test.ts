import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshot, startConsoleSession, type ConsoleSession } from '../helpers/browser.ts';
import { addExperts, createMeeting, demoCommittee } from '../helpers/meeting-draw.ts';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let base: string;
let db: ConsoleSession['db'];
let meetingId: number;
let shortMeetingId: number;
let chairsMeetingId: number;

const pageScrollsSideways = () => page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);

beforeAll(async () => {
  session = await startConsoleSession({
    prefix: 'meeting-draw',
    viewport: { width: 1366, height: 768 },
    prepare: async (database, t) => {
      const { committeeId } = await demoCommittee(database.knex);
      const year = t.clock.now().getFullYear();
      // a pool of 40 机械设计 正高级 experts: 6 from 绵阳 (outside 成都), 1 chair
      await addExperts(database.knex, committeeId, 33, { specialty: '机械设计' });
      await addExperts(database.knex, committeeId, 6, { specialty: '机械设计', region: '510700' });
      await addExperts(database.knex, committeeId, 1, { specialty: '机械设计', chair: true });
      ({ meetingId } = await createMeeting(database.knex, committeeId, year));
      // another meeting whose group's pool has nobody from outside
      await addExperts(database.knex, committeeId, 12, { specialty: '本地专业' });
      await addExperts(database.knex, committeeId, 1, { specialty: '本地专业', chair: true });
      ({ meetingId: shortMeetingId } = await createMeeting(database.knex, committeeId, year));
      await database.knex('draw_groups').insert({ meeting_id: shortMeetingId, group_no: 1, specialty: '本地专业', level: 'senior_full', count: 5, created_at: t.clock.now() });
      // a meeting whose group's pool is all chairs (every principal a 主任委员)
      await addExperts(database.knex, committeeId, 3, { specialty: '主任专业', chair: true });
      await addExperts(database.knex, committeeId, 2, { specialty: '主任专业', chair: true, region: '510700' });
      ({ meetingId: chairsMeetingId } = await createMeeting(database.knex, committeeId, year));
      await database.knex('draw_groups').insert({ meeting_id: chairsMeetingId, group_no: 1, specialty: '主任专业', level: 'senior_full', count: 2, created_at: t.clock.now() });
    },
  });
  ({ page, base, db } = session);
  await login(page, base, 'cd_pw');
}, 240_000);

afterAll(async () => {
  await session?.close();
});

describe('专家抽选 and 确认出席 in Chromium at 1366×768', () => {
  it('the clerk adds a group seeing the matching experts, draws at 3×, replays and accepts', async () => {
    session.keepScreenshotOnFailure('1-draw');
    // given the meeting's 专家抽选 page
    await page.goto(`${base}/#/meetings/${meetingId}/draw`);
    // when a group of 10 机械设计 正高级 is entered
    await page.fill('[data-testid="group-specialty"]', '机械设计');
    await expect.poll(() => page.locator('[data-testid="group-matching"]').innerText(), { timeout: 15_000 }).toContain('40 名');
    await page.fill('[data-testid="group-count"]', '10');
    await page.click('[data-testid="group-add"]');
    await expect.poll(() => page.locator('[data-testid="draw-groups"]').innerText()).toContain('机械设计');
    // and drawn at 3×
    await page.getByLabel('3 倍').check();
    await page.click('[data-testid="draw-start"]');
    // then 30 experts are listed (10 principals, 20 alternates), with the seed shown
    await expect.poll(() => page.locator('[data-testid="draw-list"] tbody tr').count(), { timeout: 15_000 }).toBe(30);
    await expect.poll(() => page.locator('[data-testid="draw-detail"]').innerText()).toContain('正选 10 名，候补 20 名');
    expect(await page.locator('[data-testid="draw-seed"]').innerText()).toMatch(/^[0-9a-f]{64}$/);
    // when replayed, then it says the list is the same
    await page.click('[data-testid="draw-replay"]');
    await expect.poll(() => page.locator('[data-testid="replay-result"]').innerText()).toContain('重放结果与原抽选结果完全一致');
    // when the stored snapshot is opened, then it pages the 40 experts the draw read
    await page.click('[data-testid="draw-show-pool"]');
    await expect.poll(() => page.locator('[data-testid="draw-snapshot"]').innerText(), { timeout: 15_000 }).toContain('第 1–25 名，共 40 名');
    expect(await pageScrollsSideways()).toBe(false);
    await screenshot(page, 'meeting-draw-drawn-1366');
    // when accepted, then the meeting has its 30 experts
    await page.click('[data-testid="draw-accept"]');
    await expect.poll(() => page.locator('[data-testid="draw-accepted"]').innerText(), { timeout: 15_000 }).toContain('已采用');
    expect(await db.knex('meeting_experts').where({ meeting_id: meetingId }).count({ n: '*' })).toEqual([{ n: 30 }]);
  });

  it('a draw the pool cannot satisfy is refused with the 20 % rule named', async () => {
    session.keepScreenshotOnFailure('2-refused');
    // given a meeting whose group has no expert from outside
    await page.goto(`${base}/#/meetings/${shortMeetingId}/draw`);
    // when drawn at 2×
    await page.getByLabel('2 倍').check();
    await page.click('[data-testid="draw-start"]');
    // then the page names the rule and the shortfall, and the refused attempt is in the records
    await expect.poll(() => page.locator('[data-testid="draw-refusal"]').innerText(), { timeout: 15_000 }).toContain('外地专家不足：需至少 1 名（正选 5 名的 20%），符合条件的仅 0 名');
    await expect.poll(() => page.locator('[data-testid="draw-history"]').innerText()).toContain('未完成（不满足抽选规则）');
  });

  it('确认出席: cancelling a principal shows the alternate who moves up; confirming all at once completes the attendance', async () => {
    session.keepScreenshotOnFailure('3-attendance');
    // given the accepted draw's 30 experts on the 确认出席 page
    await page.goto(`${base}/#/meetings/${meetingId}/attendance`);
    await expect.poll(() => page.locator('[data-testid="attendance-table"] tbody tr').count(), { timeout: 15_000 }).toBe(30);
    expect(await pageScrollsSideways()).toBe(false);
    await screenshot(page, 'meeting-attendance-1366');
    // when a local non-chair principal is cancelled with a reason
    const principal = await db.knex('meeting_experts as me')
      .join('experts as e', 'e.id', 'me.expert_id')
      .where({ 'me.meeting_id': meetingId, 'me.role': 'principal', 'e.is_chair': false, 'e.region_code': '510100' })
      .first('me.expert_id', 'e.name');
    const firstAlt = await db.knex('meeting_experts as me').join('experts as e', 'e.id', 'me.expert_id').where({ 'me.meeting_id': meetingId, 'me.alt_order': 1 }).first('me.expert_id', 'e.name');
    await page.click(`[data-testid="cancel-${principal.expert_id}"]`);
    await page.fill('[data-testid="cancel-reason"]', '外出开会，无法参加');
    await page.click('[data-testid="cancel-confirm"]');
    // then the page says which alternate moves up for whom
    await expect.poll(() => page.locator('[data-testid="attendance-promoted"]').innerText(), { timeout: 15_000 }).toContain(`第1组候补专家${firstAlt.name}递补${principal.name}`);
    await expect.poll(() => page.locator(`[data-testid="attendance-row-${firstAlt.expert_id}"]`).innerText()).toContain(`递补${principal.name}`);
    // when everyone still listed is selected and confirmed in one go
    await page.getByLabel('全选').check();
    await page.click('[data-testid="batch-confirm"]');
    // then the requirements are met and every remaining expert is confirmed
    await expect.poll(() => page.locator('[data-testid="attendance-done"]').count(), { timeout: 15_000 }).toBe(1);
    const rows = await db.knex('meeting_experts').where({ meeting_id: meetingId }).select('attendance');
    expect(rows.filter((r) => r.attendance === 'confirmed')).toHaveLength(29);
    expect(rows.filter((r) => r.attendance === 'cancelled')).toHaveLength(1);
  });

  it('several 主任委员 confirmed: the clerk names the 执行主任 and the attendance is complete', async () => {
    session.keepScreenshotOnFailure('4-executive-chair');
    // given an accepted draw of 2 principals who are both chairs, both confirmed
    const drawn = await session.t.request('POST', `/api/meetings/${chairsMeetingId}/draws`, { user: 'cd_pw', body: { multiplier: 1.5 } });
    expect(drawn.statusCode, drawn.body).toBe(201);
    await session.t.request('POST', `/api/meetings/${chairsMeetingId}/draws/${drawn.json().id}/accept`, { user: 'cd_pw' });
    const principals = (drawn.json().list as Array<{ expertId: number; role: string }>).filter((e) => e.role === 'principal').map((e) => e.expertId);
    await page.goto(`${base}/#/meetings/${chairsMeetingId}/attendance`);
    for (const id of principals) {
      await page.click(`[data-testid="confirm-${id}"]`);
      await expect.poll(() => page.locator(`[data-testid="attendance-row-${id}"]`).innerText(), { timeout: 15_000 }).toContain('确认出席');
    }
    // then the page asks for the 执行主任
    await expect.poll(() => page.locator('[data-testid="attendance-problems"]').innerText()).toContain('确认出席的主任委员有 2 名，请指定执行主任');
    // when the first is named
    await page.click(`[data-testid="executive-${principals[0]}"]`);
    // then he is shown as 执行主任 and nothing is missing
    await expect.poll(() => page.locator(`[data-testid="attendance-row-${principals[0]}"]`).innerText(), { timeout: 15_000 }).toContain('执行主任');
    await expect.poll(() => page.locator('[data-testid="attendance-done"]').count()).toBe(1);
  });
});
