import type { Knex } from 'knex';
import { ValidationError } from '../../src/errors.ts';

/**
 * 工作日历: working days and holidays as the State Council arranges them (调休 included). A date is
 * a working day when it is an adjusted working day (调休上班), or a Monday–Friday that is not a
 * holiday. A year counts only once its arrangement is in the table: a computation reaching into
 * a year without one is refused, never guessed as plain Monday–Friday.
 *
 * Dates are calendar dates in Asia/Shanghai, written YYYY-MM-DD.
 */

export type DayKind = 'holiday' | 'workday';

const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
  return SHANGHAI.format(at);
}

function parse(day: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new ValidationError(`日期格式应为 YYYY-MM-DD：${day}`, [{ field: 'date', message: '日期格式不正确' }]);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function shift(day: string, days: number): string {
  const { y, m, d } = parse(day);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

function weekday(day: string): number {
  const { y, m, d } = parse(day);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export class CalendarUnavailable extends ValidationError {
  constructor(readonly year: number) {
    super(`${year} 年的节假日安排尚未录入工作日历，不能按工作日计算；请系统管理员在“工作日历”中维护 ${year} 年后再试`, [{ field: 'date', message: `${year} 年工作日历未公布` }]);
  }
}

export interface Calendar {
  isWorkingDay(day: string): boolean;
  /** The date `n` working days after `day` (that day itself not counted); n ≥ 0. */
  addWorkingDays(day: string, n: number): string;
  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number;
  years(): number[];
  /**
   * The days a task's due date counts: this calendar, and Monday to Friday in a year not yet
   * entered — a reminder's date must not stop a case at the turn of the year (the 工作日历 page
   * warns the administrator instead).
   */
  readonly dueDates: {
    isWorkingDay(day: string): boolean;
    /** working days after `from` up to and including `to`, as `workingDaysBetween` */
    workingDaysBetween(from: string, to: string): number;
  };
  reload(): Promise<void>;
}

/** The calendar read from the database into memory; `reload` after an edit. */
export async function loadCalendar(db: Knex): Promise<Calendar> {
  let years = new Set<number>();
  let special = new Map<string, DayKind>();

  async function reload() {
    // dates as text: no driver's idea of a time zone gets near them
    const [y, d] = await Promise.all([db('calendar_years').select('year').where({ published: true }), db('calendar_days').select(db.raw("to_char(day, 'YYYY-MM-DD') as day"), 'kind')]);
    years = new Set(y.map((r: { year: number }) => Number(r.year)));
    special = new Map(d.map((r: { day: string; kind: DayKind }) => [r.day, r.kind]));
  }
  await reload();

  function isWorkingDay(day: string): boolean {
    const year = parse(day).y;
    if (!years.has(year)) throw new CalendarUnavailable(year);
    const kind = special.get(day);
    if (kind) return kind === 'workday';
    const w = weekday(day);
    return w !== 0 && w !== 6;
  }

  const dueDay = (day: string) => (years.has(parse(day).y) ? isWorkingDay(day) : weekday(day) !== 0 && weekday(day) !== 6);

  return {
    isWorkingDay,
    addWorkingDays(day, n) {
      let current = day;
      let left = n;
      while (left > 0) {
        current = shift(current, 1);
        if (isWorkingDay(current)) left--;
      }
      return current;
    },
    workingDaysBetween(from, to) {
      let count = 0;
      for (let current = shift(from, 1); current <= to; current = shift(current, 1)) if (isWorkingDay(current)) count++;
      return count;
    },
    years: () => [...years].sort(),
    dueDates: {
      isWorkingDay: dueDay,
      workingDaysBetween(from, to) {
        let count = 0;
        for (let current = shift(from, 1); current <= to; current = shift(current, 1)) if (dueDay(current)) count++;
        return count;
      },
    },
    reload,
  };
}
