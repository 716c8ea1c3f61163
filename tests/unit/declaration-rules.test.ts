import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDocNumber, checkIdNumber, docNumber } from '../../forms/validators.ts';
import { declarationDateProblems, sixteenthBirthday } from '../../forms/dossier-submit.ts';
import { validateTaskForm } from '../../api/src/forms.ts';
import { ValidationError } from '../../engine/errors.ts';

// the check character of GB 11643, computed here from the standard's own definition
// (a_i · 2^(18−i) mod 11), not from the validator's weight table
function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** A valid ID number and what it encodes: region 510104, a real birth day, a sequence. */
const idNumbers = fc
  .record({
    birth: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2010-12-31T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ birth, sequence }) => {
    const birthDate = iso(birth);
    const first17 = `510104${birthDate.replaceAll('-', '')}${pad(sequence, 3)}`;
    return { id: first17 + checkChar(first17), birthDate, sex: sequence % 2 === 1 ? 'male' : 'female' };
  });

const days = (min: string, max: string) => fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map(iso);

describe('sex and birth date derived from the ID number', () => {
  it('gives back the birth date and the sex (odd 17th digit = male) that a valid number encodes', () => {
    fc.assert(
      fc.property(idNumbers, ({ id, birthDate, sex }) => {
        // given a valid number
        // when it is checked
        const r = checkIdNumber(id, new Date('2026-12-03T00:00:00Z'));
        // then it yields exactly what was encoded
        expect(r).toEqual({ ok: true, value: id, birthDate, sex });
      }),
    );
  });

  it('refuses a number with any one of its first 17 digits changed', () => {
    fc.assert(
      fc.property(idNumbers, fc.integer({ min: 6, max: 16 }), fc.integer({ min: 1, max: 9 }), ({ id }, at, shift) => {
        // given a valid number with one digit of the date or sequence changed
        const digits = id.split('');
        digits[at] = String((Number(digits[at]) + shift) % 10);
        // when it is checked, then it fails (check character, or an impossible date)
        expect(checkIdNumber(digits.join(''), new Date('2026-12-03T00:00:00Z')).ok).toBe(false);
      }),
    );
  });
});

describe('the rules of time of a declaration', () => {
  const today = '2026-12-03';

  it('refuses a work start before the 16th birthday and accepts one from it on', () => {
    fc.assert(
      fc.property(days('1950-01-01', '2008-12-31'), days('1960-01-01', today), (birthDate, workStartDate) => {
        // given a birth date and a work start, both in the past
        // when the rules are applied
        const problems = declarationDateProblems({ workStartDate }, { today, birthDate });
        // then there is a problem with 参加工作时间 exactly when work started before the 16th birthday
        const sixteen = new Date(`${birthDate}T00:00:00Z`);
        sixteen.setUTCFullYear(sixteen.getUTCFullYear() + 16);
        const tooEarly = new Date(`${workStartDate}T00:00:00Z`) < sixteen && !(birthDate.endsWith('02-29') && workStartDate === sixteenthBirthday(birthDate));
        expect(problems.some((p) => p.field === 'workStartDate' && p.message.includes('出生 16 年之后'))).toBe(tooEarly);
      }),
    );
  });

  it('refuses every date after today, naming its field, and none on or before it', () => {
    fc.assert(
      fc.property(days('2000-01-01', '2030-12-31'), days('2000-01-01', '2030-12-31'), days('2000-01-01', '2030-12-31'), (workStartDate, graduationDate, achievement) => {
        // given dates on either side of today
        const problems = declarationDateProblems({ workStartDate, graduationDate, achievements: [{ date: achievement }] }, { today, birthDate: '1980-01-01' });
        // then exactly the later ones are refused as future dates
        const future = (field: string) => problems.some((p) => p.field === field && p.message.includes('不能晚于今天'));
        expect(future('workStartDate')).toBe(workStartDate > today);
        expect(future('graduationDate')).toBe(graduationDate > today);
        expect(future('achievements.0.date')).toBe(achievement > today);
      }),
    );
  });

  it('refuses a current title earlier than work start, and accepts one on or after it', () => {
    fc.assert(
      fc.property(days('2000-01-01', today), days('2000-01-01', today), (workStartDate, currentTitleDate) => {
        const problems = declarationDateProblems({ workStartDate, currentTitleDate }, { today, birthDate: '1980-01-01' });
        expect(problems.some((p) => p.field === 'currentTitleDate')).toBe(currentTitleDate < workStartDate);
      }),
    );
  });

  it('words the refusals in Chinese with the dates that decide them', () => {
    // given the declaration: born 1992-05-05 (by the ID number), work from 2030-07-01
    const problems = declarationDateProblems({ workStartDate: '2030-07-01', currentTitleDate: '2008-01-01' }, { today, birthDate: '1992-05-05' });
    // then
    expect(problems).toEqual([
      { field: 'workStartDate', message: '参加工作时间不能晚于今天（2026-12-03）' },
      { field: 'currentTitleDate', message: '现职称评定时间不能早于参加工作时间（2030-07-01）' },
    ]);
    expect(declarationDateProblems({ workStartDate: '2005-07-01' }, { today, birthDate: '1992-05-05' })).toEqual([
      { field: 'workStartDate', message: '参加工作时间应在出生 16 年之后（出生日期 1992-05-05，不早于 2008-05-05）' },
    ]);
  });
});

describe('文号 X〔YYYY〕N号', () => {
  it('accepts a prefix of Chinese characters or letters, a 4-digit year in 〔〕 and a positive number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'成都人社发川经信乐市ABCxyz'), { minLength: 1, maxLength: 8 }).map((c) => c.join('')),
        fc.integer({ min: 1949, max: 2100 }),
        fc.integer({ min: 1, max: 99999 }),
        (prefix, year, n) => {
          expect(checkDocNumber(`${prefix}〔${year}〕${n}号`)).toEqual({ ok: true, value: `${prefix}〔${year}〕${n}号`, prefix, year, sequence: n });
        },
      ),
    );
  });

  it('refuses the usual mistakes with the right form in the message', () => {
    for (const bad of ['成人社2026-3', '成人社发[2026]12号', '成人社发(2026)12号', '成人社发（2026）12号', '〔2026〕12号', '成人社发〔26〕12号', '成人社发〔2026〕0号', '成人社发〔2026〕12', '成人社发〔2026〕012号']) {
      expect(checkDocNumber(bad), bad).toMatchObject({ ok: false, reason: expect.stringContaining('成人社发〔2026〕12号') });
    }
    expect(docNumber().safeParse('成人社2026-3').success).toBe(false);
    expect(docNumber().safeParse(' 乐市经信〔2024〕242号 ').data).toBe('乐市经信〔2024〕242号');
  });
});

describe('the dossier form', () => {
  const base = { series: 'engineering', specialty: '机械工程', level: 'intermediate', education: 'bachelor', workStartDate: '2010-01-01', continuingEducationHours: 90, workSummary: '总结' };

  it('takes a mobile or a fixed line with area code as 联系电话 and refuses "12345"', () => {
    for (const phone of ['13800000000', '028-86000000', '02886000000', '0833-2345678-123']) {
      expect(validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data: { ...base, phone } }).data.phone).toBe(phone);
    }
    try {
      validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data: { ...base, phone: '12345' } });
      expect.unreachable('12345 accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fields).toContainEqual({ field: 'data.phone', message: expect.stringMatching(/^联系电话：/) });
    }
  });

  it('does not take 性别 or 出生日期: whatever a body sends is dropped (the API derives them)', () => {
    const result = validateTaskForm({ formKey: 'dossier-submit', action: 'submit', opinion: null, data: { ...base, gender: 'female', birthDate: '2030-01-01' } });
    expect(result.data).not.toHaveProperty('gender');
    expect(result.data).not.toHaveProperty('birthDate');
  });
});
