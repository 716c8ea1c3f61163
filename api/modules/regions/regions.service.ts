import type { Knex } from 'knex';

export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
}

/**
 * 职称业务归属地: the administrative divisions, read once (they change only by migration).
 * Codes are GB/T 2260: a city shares the first four digits of its counties, the province the
 * first two of everything in it.
 */
export async function loadRegions(db: Knex) {
  const rows = await db('regions').select('code', 'name', 'level', 'parent_code').orderBy('sort_order');
  const list: Region[] = rows.map((r: Record<string, unknown>) => ({
    code: String(r.code),
    name: String(r.name),
    level: r.level as Region['level'],
    parentCode: (r.parent_code as string | null) ?? null,
  }));
  const byCode = new Map(list.map((r) => [r.code, r]));

  /** The region and the ones above it, nearest first. */
  function chain(code: string): Region[] {
    const out: Region[] = [];
    for (let r = byCode.get(code); r; r = r.parentCode ? byCode.get(r.parentCode) : undefined) out.push(r);
    return out;
  }

  return {
    list,
    get: (code: string) => byCode.get(code) ?? null,
    chain,
    /** 四川省 / 成都市 / 锦江区, with 省本级 / 市本级 for units whose business sits at that level */
    label(code: string | null | undefined): string | null {
      if (!code) return null;
      const parts = chain(code).reverse();
      if (!parts.length) return code;
      const last = parts[parts.length - 1]!;
      const names = parts.map((p) => p.name).join(' / ');
      return last.level === 'province' ? `${names}（省本级）` : last.level === 'city' ? `${names}（市本级）` : names;
    },
    /** Whether `code` lies in (or is) `outer`. */
    within(code: string, outer: string): boolean {
      const region = byCode.get(outer);
      if (!region) return false;
      if (region.level === 'province') return code.slice(0, 2) === outer.slice(0, 2);
      if (region.level === 'city') return code.slice(0, 4) === outer.slice(0, 4);
      return code === outer;
    },
  };
}

export type Regions = Awaited<ReturnType<typeof loadRegions>>;
