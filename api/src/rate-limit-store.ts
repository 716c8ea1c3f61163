import type { Knex } from 'knex';

/** What @fastify/rate-limit's `incr` and `read` answer: the count in the window and the ms left of it. */
export interface RateLimitState {
  current: number;
  ttl: number;
}

type Callback = (err: Error | null, res?: RateLimitState) => void;

interface CounterRow {
  count: number;
  ttl: number;
}

/** The counters' table: the current window of each (route, address). */
export const RATE_LIMIT_TABLE = 'rate_limit_counters';

/**
 * A store for @fastify/rate-limit that counts in PostgreSQL, so that every API process shares one
 * count per route and address: one upsert per request, which starts a new window when the stored
 * one has ended. The database's clock decides the windows (processes' clocks may differ).
 * `continueExceeding` and `exponentialBackoff` are not supported (zcps uses neither).
 */
export class DatabaseRateLimitStore {
  constructor(
    private readonly knex: Knex,
    private readonly prefix = 'all',
  ) {}

  incr(key: string, cb: Callback, timeWindow: number): void {
    this.knex
      .raw<{ rows: CounterRow[] }>(
        `insert into ${RATE_LIMIT_TABLE} as c (key, window_start, count) values (?, now(), 1)
         on conflict (key) do update set
           count = case when c.window_start + ? * interval '1 millisecond' <= now() then 1 else c.count + 1 end,
           window_start = case when c.window_start + ? * interval '1 millisecond' <= now() then now() else c.window_start end
         returning count, greatest(0, ceil(extract(epoch from (window_start + ? * interval '1 millisecond' - now())) * 1000))::int as ttl`,
        [this.keyOf(key), timeWindow, timeWindow, timeWindow],
      )
      .then(
        (res) => {
          const row = res.rows[0];
          cb(null, { current: Number(row?.count ?? 1), ttl: Number(row?.ttl ?? timeWindow) });
        },
        (err: Error) => cb(err),
      );
  }

  read(key: string, cb: Callback, timeWindow: number): void {
    this.knex
      .raw<{ rows: CounterRow[] }>(
        `select count, ceil(extract(epoch from (window_start + ? * interval '1 millisecond' - now())) * 1000)::int as ttl
           from ${RATE_LIMIT_TABLE} where key = ?`,
        [timeWindow, this.keyOf(key)],
      )
      .then(
        (res) => {
          const row = res.rows[0];
          cb(null, row && Number(row.ttl) > 0 ? { current: Number(row.count), ttl: Number(row.ttl) } : { current: 0, ttl: 0 });
        },
        (err: Error) => cb(err),
      );
  }

  /** A route's own counters (as the memory store keeps one map per route): the key names the route. */
  child(routeOptions: object): DatabaseRateLimitStore {
    // the plugin passes the route's merged limit options, with the route itself as `routeInfo`
    const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
    const method = Array.isArray(info?.method) ? info.method.join(',') : info?.method;
    return new DatabaseRateLimitStore(this.knex, info?.url ? `${method ?? ''} ${info.url}` : this.prefix);
  }

  private keyOf(key: string): string {
    return `${this.prefix}|${key}`;
  }
}

/** Deletes the counters whose window started more than `olderThanMs` ago; how many. */
export async function deleteEndedRateLimitWindows(knex: Knex, olderThanMs: number): Promise<number> {
  return knex(RATE_LIMIT_TABLE).where('window_start', '<', knex.raw("now() - ? * interval '1 millisecond'", [olderThanMs])).delete();
}
