import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { Knex } from 'knex';
import { ValidationError } from '../../engine/errors.ts';

const jsonParam = <T extends z.ZodType>(schema: T, label: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${label}必须是 JSON` });
        return z.NEVER;
      }
    })
    .pipe(schema.optional());

/** The react-admin simple-rest list dialect: sort=["field","ASC"], range=[0,24], filter={…}. */
export const listQuerySchema = z.object({
  sort: jsonParam(z.tuple([z.string().min(1), z.enum(['ASC', 'DESC', 'asc', 'desc'])]), '排序'),
  range: jsonParam(z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => b >= a && b - a < 1000, '每页最多 1000 条'), '分页范围'),
  filter: jsonParam(z.record(z.string(), z.unknown()), '筛选条件'),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

export interface Page {
  offset: number;
  limit: number;
}

/**
 * How deep an offset page may reach. Past it PostgreSQL reads and throws away every row before the
 * page (page 4,000 of 200,000 dossiers: ≈ 0.5 s), so a list refuses and asks for a narrower search;
 * lists where people page through everything (综合查询, 评审人员统计) go on with a `cursor` instead.
 */
export const MAX_OFFSET = 10_000;

export function pageOf(query: ListQuery & { cursor?: Cursor }, defaultSize = 25): Page {
  const [start, end] = query.range ?? [0, defaultSize - 1];
  if (!query.cursor && end >= MAX_OFFSET) {
    throw new ValidationError(`列表只能按页码翻到第 ${MAX_OFFSET} 条，请增加筛选条件缩小范围，或逐页点“下一页”继续`, [
      { field: 'range', message: `超过第 ${MAX_OFFSET} 条` },
    ]);
  }
  return { offset: start, limit: end - start + 1 };
}

// ---------------------------------------------------------------- keyset (cursor) paging

/**
 * A keyset position: the sort key and id of the last row of the page before. Opaque to the
 * console (base64url of a small JSON); it only carries values of rows the caller could already
 * see, and the query's own scope and filter still apply, so it needs no signature — only a shape.
 */
export interface Cursor {
  /** the sort field as the console names it (`submittedAt`) */
  sort: string;
  order: 'asc' | 'desc';
  /** the sort column's value as PostgreSQL prints it (exact: timestamps keep their microseconds) */
  value: string | null;
  id: number;
}

const cursorShape = z
  .object({ s: z.string().min(1).max(40), o: z.enum(['asc', 'desc']), v: z.string().max(200).nullable(), i: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
  .strict();

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ s: c.sort, o: c.order, v: c.value, i: c.id })).toString('base64url');
}

export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  try {
    const parsed = cursorShape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { sort: parsed.data.s, order: parsed.data.o, value: parsed.data.v, id: parsed.data.i } : null;
  } catch {
    return null;
  }
}

const CURSOR_INVALID = '翻页位置（cursor）无效，请回到第一页重新查询';

/** The simple-rest dialect plus `cursor`: the position after which the page starts (from `X-Next-Cursor`). */
export const keysetListQuerySchema = listQuerySchema.extend({
  cursor: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const cursor = decodeCursor(text);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: CURSOR_INVALID });
        return z.NEVER;
      }
      return cursor;
    }),
});

export type KeysetListQuery = z.infer<typeof keysetListQuerySchema>;

/** A sortable field of a keyset list: its column, the column's type (to compare a cursor's text), and nullability. */
export interface KeysetField {
  column: string;
  type: 'timestamptz' | 'text' | 'bigint';
  nullable?: boolean;
}

/** The field and order a keyset list sorts by; an unknown field falls back; a cursor of another sort is a 400. */
export function keysetSortOf(query: KeysetListQuery, fields: Record<string, KeysetField>, fallback: [string, 'asc' | 'desc']): { field: string; key: KeysetField; order: 'asc' | 'desc' } {
  let [field, order] = fallback;
  // own keys only: a sort field such as `__proto__` or `constructor` must fall back, not reach SQL
  if (query.sort && Object.hasOwn(fields, query.sort[0])) [field, order] = [query.sort[0], query.sort[1].toLowerCase() as 'asc' | 'desc'];
  const key = fields[field] as KeysetField;
  const c = query.cursor;
  if (c && (c.sort !== field || c.order !== order || (c.value === null && !key.nullable))) {
    throw new ValidationError(`${CURSOR_INVALID}（排序已改变）`, [{ field: 'cursor', message: '与排序不符' }]);
  }
  return { field, key, order };
}

/**
 * Orders a query by the key then the id (nulls last either way), after the cursor when one is
 * given, and selects the key as text for the next cursor (`keyset_value`). The plain row
 * comparison `(key, id) < (v, i)` lets an index on (key, id) start at the cursor.
 */
export function keysetPage(db: Knex, q: Knex.QueryBuilder, idColumn: string, sort: { key: KeysetField; order: 'asc' | 'desc' }, cursor: Cursor | undefined, limit: number) {
  const { column, type, nullable } = sort.key;
  const op = sort.order === 'asc' ? '>' : '<';
  if (cursor) {
    if (cursor.value === null) {
      q.whereNull(column).where(idColumn, op, cursor.id);
    } else if (nullable) {
      q.where((w) => w.whereRaw(`(${column}, ${idColumn}) ${op} (?::${type}, ?)`, [cursor.value, cursor.id]).orWhereNull(column));
    } else {
      q.whereRaw(`(${column}, ${idColumn}) ${op} (?::${type}, ?)`, [cursor.value, cursor.id]);
    }
  }
  return q
    .select(db.raw(`${column}::text as keyset_value`))
    .orderBy(column, sort.order, nullable ? 'last' : undefined)
    .orderBy(idColumn, sort.order)
    .limit(limit);
}

/** The cursor of the page after `rows` (null when the page is not full: nothing follows). */
export function nextCursorOf(rows: Array<{ keyset_value?: unknown; id?: unknown }>, limit: number, sort: { field: string; order: 'asc' | 'desc' }): string | null {
  const last = rows[rows.length - 1];
  if (rows.length < limit || !last) return null;
  return encodeCursor({ sort: sort.field, order: sort.order, value: last.keyset_value == null ? null : String(last.keyset_value), id: Number(last.id) });
}

/** Sends the next page's cursor beside Content-Range (the console's data provider keeps it for “下一页”). */
export function sendCursor(reply: FastifyReply, next: string | null) {
  if (next) reply.header('X-Next-Cursor', next);
  reply.header('Access-Control-Expose-Headers', 'Content-Range, X-Next-Cursor');
}

export function sortOf<T extends string>(query: ListQuery, allowed: Record<string, T>, fallback: [T, 'asc' | 'desc']): [T, 'asc' | 'desc'] {
  if (!query.sort) return fallback;
  const [field, order] = query.sort;
  const column = Object.hasOwn(allowed, field) ? allowed[field] : undefined;
  if (!column) return fallback;
  return [column, order.toLowerCase() as 'asc' | 'desc'];
}

/**
 * Sets Content-Range the way react-admin's simple-rest provider reads it. A total of null (more
 * rows than a capped count reads) is sent as `*`, HTTP's "length unknown": the console's data
 * provider then pages with 上一页 / 下一页 (a list that may send it has its own getList there).
 */
export function sendPage(reply: FastifyReply, resource: string, page: Page, count: number, total: number | null) {
  const end = count === 0 ? page.offset : page.offset + count - 1;
  reply.header('Content-Range', `${resource} ${page.offset}-${end}/${total ?? '*'}`);
  reply.header('Access-Control-Expose-Headers', 'Content-Range');
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * A search term as typed, for `like` / `ilike`: `%`, `_` and `\` match themselves, not any text
 * (PostgreSQL's default escape character is the backslash). Without it `q=%%` lists everything.
 */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The `like` / `ilike` pattern of names containing a search term. */
export const containing = (term: string): string => `%${escapeLike(term)}%`;

/**
 * The `like` pattern of names starting with a search term: a `text_pattern_ops` index answers it
 * (a substring cannot be served by a b-tree and reads every row of the list).
 */
export const startingWith = (term: string): string => `${escapeLike(term)}%`;

/** An id given in a list filter: a whole number, or a 400 naming the filter. */
export function filterId(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new ValidationError(`筛选条件“${field}”应为编号（整数）`, [{ field: `filter.${field}`, message: '应为整数' }]);
  return n;
}

/** A list of ids given in a list filter. */
export function filterIds(value: unknown, field: string): number[] {
  return (Array.isArray(value) ? value : [value]).map((v) => filterId(v, field)).filter((n): n is number => n !== undefined);
}

/**
 * The number of rows a query would return, read no further than `cap` rows: null when there are
 * more. A list's total then costs at most `cap` index entries, whatever the table's size.
 */
export async function countUpTo(db: Knex, query: Knex.QueryBuilder, cap: number): Promise<number | null> {
  const capped = query.clone().clearSelect().clearOrder().select(db.raw('1')).limit(cap + 1);
  const rows = (await db.count({ n: '*' }).from(capped.as('capped'))) as Array<{ n?: string | number }>;
  const n = Number(rows[0]?.n ?? 0);
  return n > cap ? null : n;
}

/** The number of rows a query would return (its select and order dropped). */
export async function countOf(query: { clone(): unknown }): Promise<number> {
  const q = query.clone() as { clearSelect(): { clearOrder(): { count(c: Record<string, string>): Promise<Array<{ n?: string | number }>> } } };
  const rows = await q.clearSelect().clearOrder().count({ n: '*' });
  return Number(rows[0]?.n ?? 0);
}
