import { describe, expect, it } from 'vitest';
import { drawExperts, randomStream, shuffle, titleLevelOf, type PoolExpert } from '../../api/modules/expert-draw/expert-draw.draw.ts';

const seed = (n: number) => Buffer.alloc(32, n);

function pool(n: number, extra: Partial<PoolExpert> = {}): PoolExpert[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    specialty: '机械工程',
    level: 'senior_full',
    isChair: i === 0,
    lastYearChair: false,
    threeYears: false,
    outside: i % 4 === 0,
    regionCode: '510100',
    employer: `单位${i}`,
    ...extra,
  }));
}

describe('the random stream', () => {
  it('gives the same words for the same seed and other words for another', () => {
    // given two streams of one seed and one of another
    const a = randomStream(seed(1));
    const b = randomStream(seed(1));
    const c = randomStream(seed(2));
    // when 20 words are read from each
    const wa = Array.from({ length: 20 }, () => a.nextWord());
    const wb = Array.from({ length: 20 }, () => b.nextWord());
    const wc = Array.from({ length: 20 }, () => c.nextWord());
    // then the first two agree and the third differs
    expect(wa).toEqual(wb);
    expect(wa).not.toEqual(wc);
  });

  it('chooses below n without modulo bias (each of 3 outcomes about a third of 30,000)', () => {
    // given a stream
    const s = randomStream(seed(7));
    // when 30,000 choices among 3 are made
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[s.below(3)]! += 1;
    // then each is within 3 % of 10,000
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(300);
  });

  it('shuffles every position to every place (Fisher–Yates)', () => {
    // given 4 items shuffled 8,000 times
    const s = randomStream(seed(9));
    const seen = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let i = 0; i < 8_000; i++) shuffle([0, 1, 2, 3], s).forEach((item, place) => (seen[item]![place]! += 1));
    // then every item lands on every place about a quarter of the time
    for (const row of seen) for (const n of row) expect(Math.abs(n - 2_000)).toBeLessThan(200);
  });
});

describe('drawExperts', () => {
  it('is a function of inputs, pool and seed', () => {
    // given one pool and group
    const inputs = { multiplier: 2, groups: [{ groupNo: 1, specialty: '机械工程', level: 'senior_full' as const, count: 5 }] };
    // when drawn twice with one seed and once with another
    const a = drawExperts(inputs, pool(40), seed(3));
    const b = drawExperts(inputs, pool(40), seed(3));
    const c = drawExperts(inputs, pool(40), seed(4));
    // then the first two lists are equal and the third is another order
    expect(a).toEqual(b);
    expect(a.ok && c.ok && a.list.map((e) => e.expertId)).not.toEqual(c.ok && c.list.map((e) => e.expertId));
  });
});

describe('titleLevelOf', () => {
  it('reads the level a title names', () => {
    expect(['正高级工程师', '教授', '研究员', '主任医师', '高级记者'].map(titleLevelOf)).toEqual(Array(5).fill('senior_full'));
    expect(['高级工程师', '副教授', '副主任医师', '高级会计师'].map(titleLevelOf)).toEqual(Array(4).fill('senior_deputy'));
    expect(['工程师', '讲师', '主治医师', '助理研究员'].map(titleLevelOf)).toEqual(Array(4).fill('intermediate'));
    expect(['助理工程师', '技术员'].map(titleLevelOf)).toEqual(['junior', 'junior']);
  });
});
