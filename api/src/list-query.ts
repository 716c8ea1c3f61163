import { z } from 'zod';
import type { FastifyReply } from 'fastify';
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

export function pageOf(query: ListQuery, defaultSize = 25): Page {
  const [start, end] = query.range ?? [0, defaultSize - 1];
  return { offset: start, limit: end - start + 1 };
}

export function sortOf<T extends string>(query: ListQuery, allowed: Record<string, T>, fallback: [T, 'asc' | 'desc']): [T, 'asc' | 'desc'] {
  if (!query.sort) return fallback;
  const [field, order] = query.sort;
  const column = allowed[field];
  if (!column) return fallback;
  return [column, order.toLowerCase() as 'asc' | 'desc'];
}

/** Sets Content-Range the way react-admin's simple-rest provider reads it. */
export function sendPage(reply: FastifyReply, resource: string, page: Page, count: number, total: number) {
  const end = count === 0 ? page.offset : page.offset + count - 1;
  reply.header('Content-Range', `${resource} ${page.offset}-${end}/${total}`);
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

/** The number of rows a query would return (its select and order dropped). */
export async function countOf(query: { clone(): unknown }): Promise<number> {
  const q = query.clone() as { clearSelect(): { clearOrder(): { count(c: Record<string, string>): Promise<Array<{ n?: string | number }>> } } };
  const rows = await q.clearSelect().clearOrder().count({ n: '*' });
  return Number(rows[0]?.n ?? 0);
}
