import { describe, expect, it } from 'vitest';
import { checkCreditCode, checkIdNumber, deriveCreditCode, idNumberSchema } from '../../forms/validators.ts';

// expected values below were computed independently of this code (by hand-written Python and
// from published codes), so a wrong weight or alphabet in the validator fails these tests
describe('checkIdNumber (GB 11643)', () => {
  it('accepts known-good numbers, including check character X and 0, and lowercase x', () => {
    for (const good of ['11010519491231002X', '51010419900307231X', '510107198806154823', '510107198506121050', '511302197801011060']) {
      expect(checkIdNumber(good), good).toMatchObject({ ok: true, value: good });
    }
    expect(checkIdNumber(' 51010719850612100x ')).toMatchObject({ ok: true, value: '51010719850612100X', birthDate: '1985-06-12' });
  });

  it('derives birth date and sex', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31', sex: 'female' });
    expect(checkIdNumber('510107198506121050')).toMatchObject({ sex: 'male' });
  });

  it('says why a bad number fails', () => {
    expect(checkIdNumber('110105194912310021')).toEqual({ ok: false, reason: '校验码错误' });
    expect(checkIdNumber('510107198506121051')).toEqual({ ok: false, reason: '校验码错误' });
    expect(checkIdNumber('510107198502301050')).toEqual({ ok: false, reason: '出生日期无效' }); // 30 February
    expect(checkIdNumber('510107208506121050', new Date('2026-11-21'))).toEqual({ ok: false, reason: '出生日期无效' }); // in the future
    expect(checkIdNumber('990107198506121050')).toEqual({ ok: false, reason: '地区码无效' });
    expect(checkIdNumber('5101071985061210')).toEqual({ ok: false, reason: '身份证号码应为 18 位' });
    expect(checkIdNumber('510107850612105')).toEqual({ ok: false, reason: '请使用 18 位身份证号码' });
    expect(checkIdNumber('51010719850612105Y')).toMatchObject({ ok: false, reason: expect.stringContaining('格式不正确') });
  });

  it('normalises in the zod field and reports the reason as the message', () => {
    expect(idNumberSchema.parse('51010719850612100x')).toBe('51010719850612100X');
    const r = idNumberSchema.safeParse('110105194912310021');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('校验码错误');
  });
});

describe('checkCreditCode (GB 32100)', () => {
  it('accepts published codes and codes whose check character is 0', () => {
    for (const good of ['91350100M000100Y43', '914403001922038216', '9144030071526726XG', '12120113MB1P36091D', '91510100MA6CN4T050', '9151010000000000G0']) {
      expect(checkCreditCode(good), good).toEqual({ ok: true, value: good, derived: false });
    }
    expect(checkCreditCode('91510100ma6cn4t050')).toMatchObject({ ok: true, value: '91510100MA6CN4T050' });
  });

  it('says why a bad code fails', () => {
    expect(checkCreditCode('91510100MA6CN4T051')).toEqual({ ok: false, reason: '校验码错误' });
    expect(checkCreditCode('91350100M000100Y4')).toEqual({ ok: false, reason: '统一社会信用代码应为 18 位' });
    expect(checkCreditCode('91350100M000100YI3')).toMatchObject({ ok: false, reason: expect.stringContaining('“I”') });
    expect(checkCreditCode('913501O0M000100Y43')).toMatchObject({ ok: false, reason: expect.stringContaining('“O”') });
    expect(checkCreditCode('91A50100M000100Y43')).toMatchObject({ ok: false, reason: expect.stringContaining('行政区划') });
  });

  it('accepts derived sub-unit codes only when asked, and only on a valid parent code', () => {
    expect(checkCreditCode('91350100M000100Y4301')).toMatchObject({ ok: false });
    expect(checkCreditCode('91350100M000100Y4301', { allowDerived: true })).toEqual({ ok: true, value: '91350100M000100Y4301', derived: true });
    expect(checkCreditCode('91350100M000100Y4401', { allowDerived: true })).toEqual({ ok: false, reason: '校验码错误' });
    expect(checkCreditCode('91350100M000100Y4300', { allowDerived: true })).toMatchObject({ ok: false });
  });

  it('derives the next free two-digit suffix', () => {
    expect(deriveCreditCode('91350100M000100Y43', [])).toBe('91350100M000100Y4301');
    expect(deriveCreditCode('91350100M000100Y43', ['91350100M000100Y4301', '91350100M000100Y4303', '914403001922038216'])).toBe('91350100M000100Y4302');
    // a derived parent's own sub-units derive from its 18-character root
    expect(deriveCreditCode('91350100M000100Y4301', ['91350100M000100Y4301'])).toBe('91350100M000100Y4302');
  });
});
