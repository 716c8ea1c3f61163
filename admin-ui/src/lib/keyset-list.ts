import type { GetListParams, GetListResult, RaRecord, fetchUtils } from 'react-admin';

type Http = (url: string, options?: fetchUtils.Options) => Promise<{ headers: Headers; json: unknown }>;

/** How many page cursors the console keeps (they are small; this only bounds a long session). */
const KEPT = 2_000;

/**
 * getList for lists that page by cursor (申报材料综合查询, 评审人员统计): the simple-rest request, plus
 * the `cursor` the API sent with the page before (`X-Next-Cursor`), so 下一页 continues after
 * the last row seen instead of counting rows from the top — also past the 10,000 rows an offset
 * may reach. A total the API leaves open (`Content-Range …/*`) becomes react-admin's partial
 * pagination (上一页 / 下一页, “共超过 … 条”); the exact counts stand in the summary above the list.
 */
export function keysetLists(apiUrl: string, http: Http, resources: string[]) {
  const cursors = new Map<string, string>();
  return {
    handles: (resource: string) => resources.includes(resource),
    async getList<R extends RaRecord = RaRecord>(resource: string, params: GetListParams): Promise<GetListResult<R>> {
      const { page = 1, perPage = 25 } = params.pagination ?? {};
      const sort = params.sort?.field ? [params.sort.field, params.sort.order] : undefined;
      const list = `${resource}|${JSON.stringify(params.filter ?? {})}|${JSON.stringify(sort ?? null)}|${perPage}`;
      const start = (page - 1) * perPage;
      const query = new URLSearchParams({ range: JSON.stringify([start, start + perPage - 1]), filter: JSON.stringify(params.filter ?? {}) });
      if (sort) query.set('sort', JSON.stringify(sort));
      const cursor = page > 1 ? cursors.get(`${list}|${page}`) : undefined;
      if (cursor) query.set('cursor', cursor);
      const { headers, json } = await http(`${apiUrl}/${resource}?${query.toString()}`, { signal: params.signal });
      const next = headers.get('X-Next-Cursor');
      if (next) {
        if (cursors.size >= KEPT) cursors.clear();
        cursors.set(`${list}|${page + 1}`, next);
      }
      const total = headers.get('Content-Range')?.split('/').pop();
      const data = json as R[];
      if (total && total !== '*') return { data, total: Number(total) };
      // a list without cursors (已发放证书) has more while its pages are full
      return { data, pageInfo: { hasNextPage: next !== null || data.length === perPage, hasPreviousPage: page > 1 } };
    },
  };
}
