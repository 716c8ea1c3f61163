import { parseDuration } from '@0dep/piso';

/**
 * Due dates count working days. A due date spec, from a diagram or an operator's setting, is one of
 * - `P3D` (ISO 8601, days only): 3 working days — what "3 天" means in the notices;
 * - `3 工作日`, `3 自然日`, `12 小时`: the amount and its unit spelled out (the settings page's form);
 * - any other ISO 8601 duration (`PT4H`, `P1W`, `P1DT12H`): that much clock time;
 * - an absolute date-time.
 * A count of days ends at the end of the last day (24:00 Asia/Shanghai), the day of arrival not
 * counted: a task arriving on Thursday with 3 working days is due at the end of next Tuesday.
 */

export type DueUnit = 'working_days' | 'natural_days' | 'hours';

export interface DueAmount {
  amount: number;
  unit: DueUnit;
}

/** Which days are worked: the api passes its 工作日历; dates are YYYY-MM-DD in Asia/Shanghai. */
export interface WorkingDayCalendar {
  isWorkingDay(day: string): boolean;
}

export const DUE_UNIT_WORDS: Readonly<Record<DueUnit, string>> = { working_days: '工作日', natural_days: '自然日', hours: '小时' };

/** Monday to Friday, for an engine given no calendar. */
export const mondayToFriday: WorkingDayCalendar = {
  isWorkingDay(day) {
    const w = new Date(`${day}T00:00:00Z`).getUTCDay();
    return w !== 0 && w !== 6;
  },
};

const WORDS = /^(\d{1,4})\s*(工作日|自然日|小时)$/;
const ISO_DAYS = /^P(\d{1,4})D$/i;
const ISO_HOURS = /^PT(\d{1,4})H$/i;

/** `3 工作日`, `P3D` (working days) and `PT12H` as an amount and unit; null for anything else. */
export function parseDueAmount(spec: string): DueAmount | null {
  const text = spec.trim();
  const words = WORDS.exec(text);
  if (words) return { amount: Number(words[1]), unit: (Object.keys(DUE_UNIT_WORDS) as DueUnit[]).find((u) => DUE_UNIT_WORDS[u] === words[2])! };
  const days = ISO_DAYS.exec(text);
  if (days) return { amount: Number(days[1]), unit: 'working_days' };
  const hours = ISO_HOURS.exec(text);
  if (hours) return { amount: Number(hours[1]), unit: 'hours' };
  return null;
}

/** The stored and diagram form of an amount: `5 工作日`. */
export function formatDueAmount(due: DueAmount): string {
  return `${due.amount} ${DUE_UNIT_WORDS[due.unit]}`;
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

function nextDay(day: string): string {
  const t = new Date(`${day}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** The last instant of a Shanghai calendar day (China keeps no daylight saving time). */
function endOfDay(day: string): Date {
  return new Date(new Date(`${nextDay(day)}T00:00:00Z`).getTime() - SHANGHAI_OFFSET_MS - 1);
}

/** The day `n` days (working days when `calendar` is given) after the Shanghai date of `from`. */
function addDays(from: Date, n: number, calendar: WorkingDayCalendar | null): string {
  let day = SHANGHAI.format(from);
  let left = n;
  // a calendar that never works would loop forever; two years of days is past any deadline
  for (let guard = 0; left > 0; guard++) {
    if (guard > 750) throw new Error(`期限“${n} 个工作日”在两年内找不到足够的工作日，请检查工作日历`);
    day = nextDay(day);
    if (!calendar || calendar.isWorkingDay(day)) left--;
  }
  return day;
}

/** When a due date spec falls due, counted from `from`. Invalid specs throw with a Chinese message. */
export function addDuration(from: Date, spec: string, calendar: WorkingDayCalendar = mondayToFriday): Date {
  const text = spec.trim();
  const amount = parseDueAmount(text);
  if (amount?.unit === 'working_days') return endOfDay(addDays(from, amount.amount, calendar));
  if (amount?.unit === 'natural_days') return endOfDay(addDays(from, amount.amount, null));
  if (amount?.unit === 'hours') return new Date(from.getTime() + amount.amount * 3600 * 1000);
  if (/^-?P/i.test(text)) {
    try {
      return parseDuration(text.toUpperCase()).getExpireAt(from);
    } catch {
      throw new Error(`期限“${spec}”不是有效的 ISO 8601 时长`);
    }
  }
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`期限“${spec}”既不是时长也不是日期时间`);
  return at;
}
