import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { addDuration, formatDueAmount, parseDueAmount, type WorkingDayCalendar } from '../../engine/durations.ts';

/** The State Council arrangements as the migration seeds them (chinese-days), Monday to Friday otherwise. */
function officialCalendar(): WorkingDayCalendar {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  return {
    isWorkingDay(day) {
      if (data.workdays[day]) return true;
      if (data.holidays[day]) return false;
      const w = new Date(`${day}T00:00:00Z`).getUTCDay();
      return w !== 0 && w !== 6;
    },
  };
}

const calendar = officialCalendar();
/** the last instant of a day in Asia/Shanghai */
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString();

describe('due dates in working days', () => {
  it('counts 3 working days from a Thursday to the end of next Tuesday', () => {
    // given a task arriving on Thursday 2026-12-03
    const thursday = new Date('2026-12-03T10:15:00+08:00');
    // when its due date is "3 days" as a diagram writes it, or 3 工作日 as the settings page stores it
    // then Friday, Monday and Tuesday are counted, the weekend is not
    expect(addDuration(thursday, 'P3D', calendar).toISOString()).toBe(endOf('2026-12-08'));
    expect(addDuration(thursday, '3 工作日', calendar).toISOString()).toBe(endOf('2026-12-08'));
  });

  it('counts by the date in Asia/Shanghai, not in UTC', () => {
    // given a task arriving at 04:00 on Friday in Shanghai (still Thursday in UTC)
    const fridayEarly = new Date('2026-12-03T20:00:00Z');
    // then Friday is the day of arrival and Wednesday the third working day
    expect(addDuration(fridayEarly, 'P3D', calendar).toISOString()).toBe(endOf('2026-12-09'));
  });

  it('skips the 国庆 holiday and counts its adjusted working Saturday', () => {
    // given 2025's arrangement: 10-01…10-08 off, Sunday 09-28 and Saturday 10-11 worked
    const tuesday = new Date('2025-09-30T09:00:00+08:00');
    // then the three working days after 09-30 are 10-09, 10-10 and Saturday 10-11
    expect(addDuration(tuesday, 'P3D', calendar).toISOString()).toBe(endOf('2025-10-11'));
    // and a Friday's next working day is the adjusted Sunday 09-28
    expect(addDuration(new Date('2025-09-26T16:00:00+08:00'), '1 工作日', calendar).toISOString()).toBe(endOf('2025-09-28'));
  });

  it('counts natural days through weekends and holidays, and hours on the clock', () => {
    const thursday = new Date('2026-12-03T10:15:00+08:00');
    expect(addDuration(thursday, '3 自然日', calendar).toISOString()).toBe(endOf('2026-12-06'));
    expect(addDuration(new Date('2025-09-30T09:00:00+08:00'), '3 自然日', calendar).toISOString()).toBe(endOf('2025-10-03'));
    // 12 hours from Friday 20:00 end on Saturday 08:00, weekend or not
    expect(addDuration(new Date('2026-12-04T20:00:00+08:00'), '12 小时', calendar).toISOString()).toBe(new Date('2026-12-05T08:00:00+08:00').toISOString());
    expect(addDuration(new Date('2026-12-04T20:00:00+08:00'), 'PT12H', calendar).toISOString()).toBe(new Date('2026-12-05T08:00:00+08:00').toISOString());
  });

  it('counts Monday to Friday when the engine is given no calendar', () => {
    // 2025-10-01 is a holiday, but without a calendar only weekends are known
    expect(addDuration(new Date('2025-09-30T09:00:00+08:00'), 'P1D').toISOString()).toBe(endOf('2025-10-01'));
    expect(addDuration(new Date('2026-12-04T09:00:00+08:00'), 'P1D').toISOString()).toBe(endOf('2026-12-07'));
  });

  it('refuses a calendar without working days instead of looping', () => {
    expect(() => addDuration(new Date('2026-12-03T09:00:00+08:00'), 'P3D', { isWorkingDay: () => false })).toThrow(/找不到足够的工作日/);
  });
});

describe('due date amounts in words', () => {
  it('reads amounts and units from the settings form and from diagrams', () => {
    expect(parseDueAmount('5 工作日')).toEqual({ amount: 5, unit: 'working_days' });
    expect(parseDueAmount('5自然日')).toEqual({ amount: 5, unit: 'natural_days' });
    expect(parseDueAmount('12 小时')).toEqual({ amount: 12, unit: 'hours' });
    expect(parseDueAmount('P3D')).toEqual({ amount: 3, unit: 'working_days' });
    expect(parseDueAmount('PT12H')).toEqual({ amount: 12, unit: 'hours' });
    // anything else is an expert's expression
    expect(parseDueAmount('P1W')).toBeNull();
    expect(parseDueAmount('=deadline')).toBeNull();
    expect(parseDueAmount('五天')).toBeNull();
    expect(formatDueAmount({ amount: 5, unit: 'natural_days' })).toBe('5 自然日');
  });
});
