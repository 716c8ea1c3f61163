import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { loadAnnouncementsDemoData } from '../../api/modules/announcements/announcements.demo.ts';

/** The demo a fresh `npm start` loads for 通知公告 and 消息推送. */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true });
  await loadAnnouncementsDemoData(t.app);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('通知公告 and 消息推送 demo data', () => {
  it('the public list shows the three published announcements, not the draft; 示范科技 has the city bureau’s message unread', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/announcements' });
    expect(res.statusCode).toBe(200);
    const titles = (res.json() as Array<{ title: string }>).map((a) => a.title);
    expect(titles).toHaveLength(3);
    expect(titles).toContain('关于做好2026年度职称评审工作的通知');
    expect(titles.some((x) => x.includes('征求意见稿'))).toBe(false);
    const inbox = (await t.request('GET', '/api/messages?filter={"unread":true}', { user: 'kj_hr' })).json() as Array<{ title: string }>;
    expect(inbox.map((m) => m.title)).toContain('请按时完成本单位申报材料审核');
  });
});
