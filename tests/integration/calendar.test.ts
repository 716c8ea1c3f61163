import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  t = await startTestApp(db, { demo: true, deploy: false });
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

describe('工作日历', () => {
  it('counts around the 2025 National Day holiday with its adjusted working days', () => {
    const calendar = t.app.calendar;
    // 10-01…10-08 off; Sunday 09-28 and Saturday 10-11 worked
    expect(calendar.isWorkingDay('2025-10-03')).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
    expect(calendar.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(calendar.addWorkingDays('2025-09-26', 3)).toBe('2025-09-30');
    expect(calendar.addWorkingDays('2025-09-30', 3)).toBe('2025-10-11');
    // 09-28, 09-29, 09-30, 10-09, 10-10, 10-11
    expect(calendar.workingDaysBetween('2025-09-26', '2025-10-11')).toBe(6);
    expect(calendar.workingDaysBetween('2025-10-11', '2025-10-01')).toBe(0);
  });

  it('refuses a computation that reaches into a year without a published arrangement', async () => {
    expect(() => t.app.calendar.addWorkingDays('2026-12-30', 5)).toThrow(/2027 年的节假日安排尚未录入工作日历/);
    const res = await t.request('GET', '/api/working-days?from=2026-12-30&add=5', { user: 'kj_hr' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('2027 年的节假日安排尚未录入工作日历');
    // inside 2026 it answers
    const ok = await t.request('GET', '/api/working-days?from=2026-12-21&to=2026-12-31', { user: 'kj_hr' });
    expect(ok.json()).toEqual({ from: '2026-12-21', workingDays: 8 });
  });

  it('lets the province administrator enter the next year, and nobody else', async () => {
    const body = {
      published: true,
      days: [
        { day: '2027-01-01', kind: 'holiday', name: '元旦' },
        { day: '2027-01-04', kind: 'holiday', name: '元旦' },
        { day: '2027-01-09', kind: 'workday', name: '元旦调休上班' },
      ],
    };
    expect((await t.request('PUT', '/api/calendar/2027', { user: 'kj_hr', body })).statusCode).toBe(403);
    const wrongYear = await t.request('PUT', '/api/calendar/2027', { user: 'admin', body: { published: true, days: [{ day: '2028-01-01', kind: 'holiday', name: '元旦' }] } });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().message).toContain('2028-01-01 不在 2027 年');
    const saved = await t.request('PUT', '/api/calendar/2027', { user: 'admin', body });
    expect(saved.statusCode, saved.body).toBe(200);
    // Thu 12-31 … Fri 01-01 off, Mon 01-04 off, Tue 01-05 is the first working day after
    expect(t.app.calendar.addWorkingDays('2026-12-31', 1)).toBe('2027-01-05');
    expect(t.app.calendar.isWorkingDay('2027-01-09')).toBe(true);
    const years = (await t.request('GET', '/api/calendar/years', { user: 'kj_hr' })).json() as Array<{ year: number; source: string; holidays: number }>;
    expect(years[0]).toMatchObject({ year: 2027, holidays: 2, workdays: 1 });
    expect(years[0]?.source).toContain('管理员录入');
    expect(years.find((y) => y.year === 2025)?.source).toMatch(/^chinese-days/);
  });
});
