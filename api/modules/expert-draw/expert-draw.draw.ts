import { createHmac } from 'node:crypto';

/** 层级 of a draw group (GLOSSARY: level). */
export const DRAW_LEVELS = {
  senior_full: '正高级',
  senior_deputy: '副高级',
  intermediate: '中级',
  junior: '初级',
} as const;
export type DrawLevel = keyof typeof DRAW_LEVELS;

export const MULTIPLIERS = [1.5, 2, 3] as const;

/** The version of the procedure below; a stored draw names it so a replay runs the same one. */
export const DRAW_ALGORITHM = 'hmac-sha256-ctr/fisher-yates/v1';

// titles of the 正高级 that do not say 正高级 in their name (教授, 研究员, 主任医师 …)
const FULL_TITLES = ['教授', '研究员', '主任医师', '主任药师', '主任护师', '主任技师', '编审', '译审', '高级记者', '高级编辑', '一级播音员', '一级演员', '一级编剧', '一级导演', '一级美术师', '一级作曲', '正高级'];
const DEPUTY_TITLES = ['副教授', '副研究员', '副主任', '副编审', '副译审', '主任记者', '主任编辑', '二级', '高级'];
const JUNIOR_TITLES = ['助理', '技术员', '员'];

/**
 * 职称层级 of an expert's 现职称 (free text in the pool, e.g. 正高级工程师, 高级会计师, 副教授, 讲师):
 * the pool stores the title as written, so the draw groups compare the level it names.
 */
export function titleLevelOf(currentTitle: string): DrawLevel {
  const t = currentTitle.trim();
  if (t.startsWith('正高级') || FULL_TITLES.some((f) => t === f || (f !== '正高级' && t.startsWith(f) && !t.startsWith('副')))) return 'senior_full';
  if (DEPUTY_TITLES.some((d) => t.startsWith(d))) return 'senior_deputy';
  if (t === '助理研究员' || t.startsWith('三级')) return 'intermediate';
  if (JUNIOR_TITLES.some((j) => t.startsWith(j) || (j === '员' && t.endsWith(j)))) return 'junior';
  return 'intermediate';
}

/**
 * A deterministic stream of random 32-bit words from a seed: HMAC-SHA256(seed, counter) blocks,
 * so the same seed always gives the same draw (replay) while the seed itself comes from
 * crypto.randomBytes (nobody can steer or foresee it).
 */
export function randomStream(seed: Buffer) {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  const nextWord = (): number => {
    if (offset + 4 > block.length) {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(BigInt(counter++));
      block = createHmac('sha256', seed).update(c).digest();
      offset = 0;
    }
    const word = block.readUInt32BE(offset);
    offset += 4;
    return word;
  };
  return {
    nextWord,
    /** uniform in [0, n): words at or above the largest multiple of n are thrown away (no modulo bias) */
    below(n: number): number {
      if (!Number.isSafeInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError(`n out of range: ${n}`);
      const limit = Math.floor(2 ** 32 / n) * n;
      for (;;) {
        const w = nextWord();
        if (w < limit) return w % n;
      }
    },
  };
}

/** Fisher–Yates on a copy, with the stream's unbiased choices. */
export function shuffle<T>(items: readonly T[], stream: ReturnType<typeof randomStream>): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = stream.below(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** An expert as the draw saw it: the fields the rules read, stored with the draw. */
export interface PoolExpert {
  id: number;
  specialty: string;
  level: DrawLevel;
  isChair: boolean;
  /** 上年度主任委员: not a 主任委员 candidate this year */
  lastYearChair: boolean;
  /** a non-chair who attended the committee's meetings in each of the last three years */
  threeYears: boolean;
  /** outside the committee's locality (外地) */
  outside: boolean;
  regionCode: string | null;
  employer: string;
}

export interface DrawGroupInput {
  groupNo: number;
  specialty: string;
  level: DrawLevel;
  count: number;
}

export interface DrawInputs {
  multiplier: number;
  groups: DrawGroupInput[];
}

export interface DrawnExpert {
  expertId: number;
  groupNo: number;
  role: 'principal' | 'alternate';
  altOrder: number | null;
}

export type DrawRule = 'group_pool' | 'chair' | 'outside';

export type DrawOutcome = { ok: true; list: DrawnExpert[]; requiredOutside: number } | { ok: false; rule: DrawRule; message: string; required: number; available: number };

export const groupLabel = (g: Pick<DrawGroupInput, 'groupNo' | 'specialty' | 'level'>) => `第${g.groupNo}组（${g.specialty}·${DRAW_LEVELS[g.level]}）`;

const matches = (e: PoolExpert, g: DrawGroupInput) => e.specialty === g.specialty && e.level === g.level;

/**
 * The experts each group may draw from: an expert belongs to the first group (by number) whose
 * specialty and level match, so no expert is a candidate of two groups (manual §1.2.5.5 (1)).
 */
export function allot(pool: readonly PoolExpert[], groups: readonly DrawGroupInput[]): Map<number, PoolExpert[]> {
  const ordered = [...groups].sort((a, b) => a.groupNo - b.groupNo);
  const out = new Map<number, PoolExpert[]>(ordered.map((g) => [g.groupNo, []]));
  for (const e of [...pool].sort((a, b) => a.id - b.id)) {
    const g = ordered.find((x) => matches(e, x));
    if (g) out.get(g.groupNo)!.push(e);
  }
  return out;
}

export const listedCount = (count: number, multiplier: number) => Math.ceil(count * multiplier - 1e-9);
export const requiredOutsideOf = (principals: number) => Math.ceil((principals * 20) / 100);

/**
 * One draw: each group's eligible experts in random order, the first `count` principal and the
 * next ones alternates up to ⌈count × multiplier⌉. When the random order misses a rule that the
 * pool can satisfy, the fewest moves that satisfy it are made in the random order (the earliest
 * eligible expert moves up, the last principal moves to the head of the alternates); when the pool
 * cannot satisfy a rule the draw is refused with the rule and the numbers.
 */
export function drawExperts(inputs: DrawInputs, pool: readonly PoolExpert[], seed: Buffer): DrawOutcome {
  const groups = [...inputs.groups].sort((a, b) => a.groupNo - b.groupNo);
  const allotted = allot(pool, groups);
  const eligible = new Map<number, PoolExpert[]>();
  for (const g of groups) {
    const all = allotted.get(g.groupNo)!;
    const ok = all.filter((e) => !(e.threeYears && !e.isChair));
    const need = listedCount(g.count, inputs.multiplier);
    if (ok.length < need) {
      const barred = all.length - ok.length;
      return {
        ok: false,
        rule: 'group_pool',
        required: need,
        available: ok.length,
        message: `${groupLabel(g)}可抽选专家不足：按 ${inputs.multiplier} 倍需 ${need} 名，符合条件的仅 ${ok.length} 名${barred ? `（另有 ${barred} 名非主任委员专家已连续三年参会，本年度不再选中）` : ''}`,
      };
    }
    eligible.set(g.groupNo, ok);
  }

  const chairCandidate = (e: PoolExpert) => e.isChair && !e.lastYearChair;
  const chairsAvailable = groups.reduce((n, g) => n + eligible.get(g.groupNo)!.filter(chairCandidate).length, 0);
  if (chairsAvailable < 1) {
    const lastYear = pool.filter((e) => e.isChair && e.lastYearChair).length;
    return {
      ok: false,
      rule: 'chair',
      required: 1,
      available: 0,
      message: `主任委员不足：需至少 1 名，符合条件的仅 0 名${lastYear ? `（上年度主任委员 ${lastYear} 名本年度不计为主任委员备选）` : ''}`,
    };
  }
  const principals = groups.reduce((n, g) => n + g.count, 0);
  const requiredOutside = requiredOutsideOf(principals);
  const outsideAvailable = groups.reduce((n, g) => n + Math.min(g.count, eligible.get(g.groupNo)!.filter((e) => e.outside).length), 0);
  if (outsideAvailable < requiredOutside) {
    return {
      ok: false,
      rule: 'outside',
      required: requiredOutside,
      available: outsideAvailable,
      message: `外地专家不足：需至少 ${requiredOutside} 名（正选 ${principals} 名的 20%），符合条件的仅 ${outsideAvailable} 名`,
    };
  }

  const stream = randomStream(seed);
  const order = new Map<number, PoolExpert[]>(groups.map((g) => [g.groupNo, shuffle(eligible.get(g.groupNo)!, stream)]));
  const principalsOf = (g: DrawGroupInput) => order.get(g.groupNo)!.slice(0, g.count);
  // moves `from` (an index past the principals) into the last principal seat; the one sitting there leads the alternates
  const promote = (g: DrawGroupInput, from: number, replacing: number) => {
    const arr = order.get(g.groupNo)!;
    const [up] = arr.splice(from, 1);
    const [down] = arr.splice(replacing, 1);
    arr.splice(g.count - 1, 0, up!);
    arr.splice(g.count, 0, down!);
  };

  let protectedChair: number | null = null;
  if (!groups.some((g) => principalsOf(g).some(chairCandidate))) {
    for (const g of groups) {
      const arr = order.get(g.groupNo)!;
      const at = arr.findIndex((e, i) => i >= g.count && chairCandidate(e));
      if (at < 0 || g.count < 1) continue;
      // the chair takes the seat of the last local principal, so the 20 % rule loses nothing it had
      let seat = g.count - 1;
      for (let i = g.count - 1; i >= 0; i--) {
        if (!arr[i]!.outside) {
          seat = i;
          break;
        }
      }
      protectedChair = arr[at]!.id;
      promote(g, at, seat);
      break;
    }
  } else {
    const chairs = groups.flatMap((g) => principalsOf(g).filter(chairCandidate));
    if (chairs.length === 1) protectedChair = chairs[0]!.id;
  }

  let outside = groups.reduce((n, g) => n + principalsOf(g).filter((e) => e.outside).length, 0);
  let moved = true;
  while (outside < requiredOutside && moved) {
    moved = false;
    for (const g of groups) {
      if (outside >= requiredOutside) break;
      const arr = order.get(g.groupNo)!;
      let seat = -1;
      for (let i = g.count - 1; i >= 0; i--) {
        if (!arr[i]!.outside && arr[i]!.id !== protectedChair) {
          seat = i;
          break;
        }
      }
      const from = arr.findIndex((e, i) => i >= g.count && e.outside);
      if (seat < 0 || from < 0) continue;
      promote(g, from, seat);
      outside += 1;
      moved = true;
    }
  }
  if (outside < requiredOutside) {
    return {
      ok: false,
      rule: 'outside',
      required: requiredOutside,
      available: outside,
      message: `外地专家不足：需至少 ${requiredOutside} 名（正选 ${principals} 名的 20%），在保留 1 名主任委员的前提下符合条件的仅 ${outside} 名`,
    };
  }

  const list: DrawnExpert[] = [];
  for (const g of groups) {
    const arr = order.get(g.groupNo)!.slice(0, listedCount(g.count, inputs.multiplier));
    arr.forEach((e, i) => list.push({ expertId: e.id, groupNo: g.groupNo, role: i < g.count ? 'principal' : 'alternate', altOrder: i < g.count ? null : i - g.count + 1 }));
  }
  return { ok: true, list, requiredOutside };
}
