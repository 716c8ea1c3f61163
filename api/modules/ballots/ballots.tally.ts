/**
 * 计票 rules (人社部令第40号): a candidate passes when the 同意 votes are at least two thirds of the
 * experts attending the round — the integer test 3·agree ≥ 2·attending, so 弃权 is not agreement;
 * a round is valid only when at least two thirds of its confirmed experts attend
 * (3·attending ≥ 2·confirmed). Integers only: no rounding decides a result.
 */
export const passes = (agree: number, attending: number): boolean => attending > 0 && 3 * agree >= 2 * attending;
export const quorate = (attending: number, confirmed: number): boolean => confirmed > 0 && 3 * attending >= 2 * confirmed;
/** the fewest attending experts a round of `confirmed` needs */
export const quorumOf = (confirmed: number): number => Math.ceil((2 * confirmed) / 3);

export interface TallyCounts {
  agree: number;
  disagree: number;
  abstain: number;
  scored: number;
  scoreSum: number;
}

export interface CandidateResult {
  dossierId: number;
  agree: number;
  disagree: number;
  abstain: number;
  /** attending experts whose submitted ballot has no vote on the candidate (none once all submitted) */
  notVoted: number;
  averageScore: number | null;
  /** a voting round's result; null in a scoring round, which decides nobody */
  passed: boolean | null;
}

export interface RoundTally {
  confirmed: number;
  attending: number;
  valid: boolean;
  results: CandidateResult[];
}

/**
 * One round's tally from its counts. `confirmed` is the round's confirmed experts, `absent` those
 * marked 缺席; the counts are those of submitted ballots only.
 */
export function tallyRound(input: {
  method: 'vote' | 'score';
  confirmed: number;
  absent: number;
  submitted: number;
  candidates: number[];
  counts: ReadonlyMap<number, TallyCounts>;
}): RoundTally {
  const attending = Math.max(0, input.confirmed - input.absent);
  const results = input.candidates.map((dossierId) => {
    const c = input.counts.get(dossierId) ?? { agree: 0, disagree: 0, abstain: 0, scored: 0, scoreSum: 0 };
    const cast = input.method === 'vote' ? c.agree + c.disagree + c.abstain : c.scored;
    return {
      dossierId,
      agree: c.agree,
      disagree: c.disagree,
      abstain: c.abstain,
      notVoted: Math.max(0, input.submitted - cast),
      averageScore: c.scored ? Math.round((c.scoreSum / c.scored) * 100) / 100 : null,
      passed: input.method === 'vote' ? passes(c.agree, attending) : null,
    };
  });
  return { confirmed: input.confirmed, attending, valid: quorate(attending, input.confirmed), results };
}

/** 通过率 / 弃权率 of one expert's ballot, in percent with one decimal; null before any vote. */
export function ratesOf(counts: { agree: number; abstain: number }, candidates: number): { passRate: number | null; abstainRate: number | null } {
  if (!candidates) return { passRate: null, abstainRate: null };
  const pct = (x: number) => Math.round((x * 1000) / candidates) / 10;
  return { passRate: pct(counts.agree), abstainRate: pct(counts.abstain) };
}
