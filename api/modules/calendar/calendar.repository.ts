import type { Knex } from 'knex';

/** A row of `calendar_years` as stored: whose arrangement a year has, and whether it is published. */
export interface CalendarYearRow {
  year: number;
  source: string;
  published: boolean;
  updated_by: number | null;
  updated_at: Date;
}

/** A row of `calendar_days` as stored: a holiday, or a weekend day that is worked. */
export interface CalendarDayRow {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  updated_by: number | null;
  updated_at: Date;
}

export interface CalendarYear {
  year: number;
  source: string;
  published: boolean;
}

export interface CalendarDay {
  /** YYYY-MM-DD */
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** 工作日历: each year's holidays and worked weekend days. */
export function createCalendarRepository(knex: Knex) {
  const q = (trx?: Knex.Transaction) => trx ?? knex;
  const dayText = (db: Knex | Knex.Transaction) => db.raw("to_char(day, 'YYYY-MM-DD') as day");
  return {
    /** The years kept, newest first, with how many holidays and worked weekend days each has. */
    async years(trx?: Knex.Transaction): Promise<Array<CalendarYear & { holidays: number; workdays: number }>> {
      const db = q(trx);
      const rows = (await db<CalendarYearRow>('calendar_years as y')
        .select('y.year', 'y.source', 'y.published')
        .select(db.raw("(select count(*) from calendar_days d where extract(year from d.day) = y.year and d.kind = 'holiday')::int as holidays"))
        .select(db.raw("(select count(*) from calendar_days d where extract(year from d.day) = y.year and d.kind = 'workday')::int as workdays"))
        .orderBy('y.year', 'desc')) as Array<CalendarYearRow & { holidays: number; workdays: number }>;
      return rows.map((r) => ({ year: Number(r.year), source: r.source, published: Boolean(r.published), holidays: Number(r.holidays), workdays: Number(r.workdays) }));
    },

    async year(year: number, trx?: Knex.Transaction): Promise<CalendarYear | null> {
      const row = await q(trx)<CalendarYearRow>('calendar_years').where({ year }).first();
      return row ? { year: Number(row.year), source: row.source, published: Boolean(row.published) } : null;
    },

    async daysOf(year: number, trx?: Knex.Transaction): Promise<CalendarDay[]> {
      const db = q(trx);
      return (await db('calendar_days').select(dayText(db), 'kind', 'name').whereRaw('extract(year from day) = ?', [year]).orderBy('day')) as CalendarDay[];
    },

    /** Replaces a year's arrangement by the one given. */
    async replaceYear(year: number, arrangement: { source: string; published: boolean; days: CalendarDay[] }, by: number, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('calendar_years')
        .insert({ year, source: arrangement.source, published: arrangement.published, updated_by: by, updated_at: now })
        .onConflict('year')
        .merge(['published', 'updated_by', 'updated_at']);
      await trx('calendar_days').whereRaw('extract(year from day) = ?', [year]).delete();
      if (arrangement.days.length) {
        await trx('calendar_days').insert(arrangement.days.map((d) => ({ ...d, updated_by: by, updated_at: now })));
      }
    },
  };
}

export type CalendarRepository = ReturnType<typeof createCalendarRepository>;
