import { describe, expect, it } from 'vitest';
import { passes, quorate, quorumOf, ratesOf, tallyRound } from '../../api/modules/ballots/ballots.tally.ts';

describe('计票 rules', () => {
  it('passes at two thirds of the attending experts, by the integer test', () => {
    // given 10 attending experts, then 9
    // then 7 同意 pass and 6 fail; with 9 attending 6 pass
    expect(passes(7, 10)).toBe(true);
    expect(passes(6, 10)).toBe(false);
    expect(passes(6, 9)).toBe(true);
    expect(passes(5, 9)).toBe(false);
    expect(passes(0, 0)).toBe(false);
  });

  it('is valid when at least two thirds of the confirmed experts attend', () => {
    expect(quorate(4, 6)).toBe(true);
    expect(quorate(3, 6)).toBe(false);
    expect(quorate(17, 25)).toBe(true);
    expect(quorate(16, 25)).toBe(false);
    expect(quorumOf(25)).toBe(17);
    expect(quorumOf(6)).toBe(4);
  });

  it('does not count abstentions as agreement, and an absent expert lowers the attending count', () => {
    // given 10 confirmed of whom one is absent; 6 agree and 3 abstain on the candidate
    const counts = new Map([[1, { agree: 6, disagree: 0, abstain: 3, scored: 0, scoreSum: 0 }]]);
    // when the round is tallied
    const tally = tallyRound({ method: 'vote', confirmed: 10, absent: 1, submitted: 9, candidates: [1], counts });
    // then 9 attend and 3·6 ≥ 2·9 passes
    expect(tally).toMatchObject({ attending: 9, valid: true });
    expect(tally.results[0]).toMatchObject({ passed: true, notVoted: 0 });
    // and with two absent (8 attending) the same six still pass, five would not
    expect(tallyRound({ method: 'vote', confirmed: 10, absent: 2, submitted: 8, candidates: [1], counts: new Map([[1, { agree: 5, disagree: 0, abstain: 3, scored: 0, scoreSum: 0 }]]) }).results[0]!.passed).toBe(false);
  });

  it('decides nobody in a scoring round and averages the scores', () => {
    const tally = tallyRound({ method: 'score', confirmed: 3, absent: 0, submitted: 3, candidates: [1], counts: new Map([[1, { agree: 0, disagree: 0, abstain: 0, scored: 3, scoreSum: 250 }]]) });
    expect(tally.results[0]).toMatchObject({ passed: null, averageScore: 83.33 });
  });

  it('gives an expert\'s pass and abstention rates in percent', () => {
    expect(ratesOf({ agree: 2, abstain: 1 }, 3)).toEqual({ passRate: 66.7, abstainRate: 33.3 });
    expect(ratesOf({ agree: 0, abstain: 0 }, 0)).toEqual({ passRate: null, abstainRate: null });
  });
});
