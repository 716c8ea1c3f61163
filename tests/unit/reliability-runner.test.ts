import { describe, expect, it } from 'vitest';
import { figuresBlock, previousResults, resultOf, withFigures, type HarnessResult } from '../../bench/reliability.ts';

const race: HarnessResult = { harness: 'race', title: '并发竞争', ok: true, counts: { pairs: 1000, successes: 1000, conflicts: 1000 }, seconds: 312.4, quick: false, commit: 'abc1234', at: '2026-12-04 16:00' };

describe('the reliability runner', () => {
  it('reads the last RESULT line of a harness, whatever it printed before', () => {
    // given a harness's output with progress lines and two RESULT lines
    const stdout = ['准备…', 'RESULT {"harness":"race","ok":false,"counts":{},"seconds":1}', '重试…', `RESULT ${JSON.stringify(race)}`, ''].join('\n');
    // when the runner reads it
    const result = resultOf(stdout);
    // then it has the last one
    expect(result).toMatchObject({ harness: 'race', ok: true, counts: { pairs: 1000 } });
  });

  it('answers no result for output without a well-formed RESULT line', () => {
    // given output that ended early, and one with a broken line
    // when the runner reads them
    // then neither gives a result
    expect(resultOf('准备…\nError: boom\n')).toBeNull();
    expect(resultOf('RESULT {"harness":')).toBeNull();
  });

  it('replaces only the block between the markers and keeps the rest of the page', () => {
    // given a page with text before and after the markers
    const doc = '# 可靠性\n\n前文\n\n<!-- reliability:begin -->\n旧数据\n<!-- reliability:end -->\n\n后文\n';
    // when the figures are written
    const page = withFigures(doc, figuresBlock([race], '2 核'));
    // then the old figures are gone, the new row is there, and the text around is untouched
    expect(page).not.toContain('旧数据');
    expect(page).toContain('| race | 并发竞争 | 通过 | pairs 1000，successes 1000，conflicts 1000 | 312.4 | 完整 | abc1234 | 2026-12-04 16:00 |');
    expect(page.startsWith('# 可靠性\n\n前文\n\n<!-- reliability:begin -->')).toBe(true);
    expect(page.endsWith('<!-- reliability:end -->\n\n后文\n')).toBe(true);
  });

  it('keeps the figures of harnesses not run this time, read back from the page', () => {
    // given a page written with the race figures
    const page = withFigures('# 可靠性\n<!-- reliability:begin -->\n<!-- reliability:end -->\n', figuresBlock([race], '2 核'));
    // when the runner reads it back
    const before = previousResults(page);
    // then it has the race row as written
    expect(before.get('race')).toEqual(race);
  });

  it('lists a missing harness as skipped, not as passed', () => {
    // given a harness whose file is not on the branch
    const skipped: HarnessResult = { harness: 'crash', title: '进程崩溃', ok: false, counts: {}, seconds: 0, note: '本分支没有 bench/crash.ts，跳过' };
    // when the block is written
    const block = figuresBlock([skipped], '2 核');
    // then its row says so, without a verdict
    expect(block).toContain('| crash | 进程崩溃 | — | 本分支没有 bench/crash.ts，跳过 | — | — | — | — |');
  });
});
