import { describe, expect, it } from 'vitest';
import { checkPrepRows, type PrepCandidate } from '../../api/modules/meeting-prep/meeting-prep.import.ts';

const candidates: PrepCandidate[] = [
  { dossierId: 1, name: '张伟', idNumber: '51010419900307231X', employer: '成都示范科技有限公司' },
  { dossierId: 2, name: '李娜', idNumber: '510107198806154823', employer: '成都示范科技有限公司' },
];
const row = (n: number, values: Record<string, string>) => ({ row: n, values });

describe('导入笔试成绩: the cells of a row', () => {
  it('takes 免试 without a score only where some candidates sit the exam', () => {
    // given lina exempt from the exam
    const rows = [row(2, { name: '李娜', idNumber: '510107198806154823', result: '免试' })];
    // when the activity's exam is partial, the row is good with no score and no pass/fail
    expect(checkPrepRows('exam', rows, candidates, true).good).toEqual([{ row: 2, dossierId: 2, name: '李娜', idNumber: '510107198806154823', score: null, passed: null }]);
    // when every candidate sits it, 免试 is refused on its cell
    expect(checkPrepRows('exam', rows, candidates, false).bad[0]!.errors.map((e) => e.column)).toEqual(['是否合格']);
  });

  it('marks both rows of an ID number given twice, a name that does not match, and a score above 100', () => {
    // given the same ID number twice, one with another name and a score of 101
    const rows = [
      row(2, { name: '张伟', idNumber: '51010419900307231x', score: '80', result: '合格' }),
      row(3, { name: '张三', idNumber: '51010419900307231X', score: '101', result: '合格' }),
    ];
    const { good, bad } = checkPrepRows('exam', rows, candidates, false);
    // then nothing is good and each faulty cell is named
    expect(good).toEqual([]);
    expect(bad.map((b) => b.errors.map((e) => `${e.column}:${e.message}`))).toEqual([
      ['证件号码:证件号码在文件中重复（第 2、3 行）'],
      ['姓名:姓名与证件号码不符（参评人员为张伟）', '证件号码:证件号码在文件中重复（第 2、3 行）', '笔试成绩:“101”不是有效的成绩：请填写 0～100 的分数，最多一位小数'],
    ]);
  });
});

describe('导入答辩安排: the cells of a row', () => {
  it('skips a blank row when only some candidates have a defense, and normalises the date and time', () => {
    const rows = [
      row(2, { name: '张伟', idNumber: '51010419900307231X', date: '2027年6月5日', arrivalTime: '8:30', address: '人民中路 1 号', signInDesk: '大厅', orderNo: '3', room: '301' }),
      row(3, { name: '李娜', idNumber: '510107198806154823' }),
    ];
    const partial = checkPrepRows('defense', rows, candidates, true);
    expect(partial.bad).toEqual([]);
    expect(partial.good).toEqual([
      { row: 2, dossierId: 1, name: '张伟', idNumber: '51010419900307231X', date: '2027-06-05', arrivalTime: '08:30', address: '人民中路 1 号', signInDesk: '大厅', orderNo: 3, room: '301' },
    ]);
    // with a defense for everyone, the blank row is an error on each missing cell
    const all = checkPrepRows('defense', rows, candidates, false);
    expect(all.bad[0]!.errors.map((e) => e.column)).toEqual(['答辩日期', '答辩到会时间', '答辩地址', '答辩签到处', '答辩序号', '答辩会议室']);
  });
});
