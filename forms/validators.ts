import { z } from 'zod';

/**
 * Validators of the two national identifiers, written here because the common npm packages get
 * them wrong (lowercase x, check character '0', impossible dates, the credit-code alphabet).
 *
 * - 公民身份号码 GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence (odd = male),
 *   ISO 7064 MOD 11-2 check character (0–9 or X).
 * - 统一社会信用代码 GB 32100-2015: 18 characters from 0–9 and A–Z without I O S V Z; the last is
 *   the check character: weights 3^(i−1) mod 31, check = (31 − Σ mod 31) mod 31.
 */

// first two digits of the region code (GB/T 2260): provinces, autonomous regions, municipalities,
// plus 71 台湾, 81 香港, 82 澳门, 83 for residence permits of Hong Kong, Macao and Taiwan residents
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdNumberCheck =
  | { ok: true; value: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; reason: string };

/** Checks a resident ID number; on success gives the normalised value, birth date and sex. */
export function checkIdNumber(input: string, today: Date = new Date()): IdNumberCheck {
  const value = input.trim().toUpperCase();
  if (value.length === 15 && /^\d{15}$/.test(value)) return { ok: false, reason: '请使用 18 位身份证号码' };
  if (value.length !== 18) return { ok: false, reason: '身份证号码应为 18 位' };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: '格式不正确（前 17 位应为数字，末位为数字或 X）' };
  if (!PROVINCE_PREFIXES.has(value.slice(0, 2))) return { ok: false, reason: '地区码无效' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const real = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!real || year < 1900 || birth.getTime() > today.getTime()) return { ok: false, reason: '出生日期无效' };
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== value[17]) return { ok: false, reason: '校验码错误' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  return { ok: true, value, birthDate, sex: Number(value[16]) % 2 === 1 ? 'male' : 'female' };
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CODE_WEIGHTS = Array.from({ length: 17 }, (_v, i) => 3 ** i % 31);

/** The check character GB 32100 gives the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CODE_ALPHABET.indexOf(first17[i]!) * CODE_WEIGHTS[i]!;
  return CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeCheck = { ok: true; value: string; derived: boolean } | { ok: false; reason: string };

/**
 * Checks a unified social credit code. A sub-unit without a code of its own carries its parent's
 * code plus a two-digit suffix (derived code, 20 characters); `allowDerived` accepts that form.
 */
export function checkCreditCode(input: string, options: { allowDerived?: boolean } = {}): CreditCodeCheck {
  const value = input.trim().toUpperCase();
  if (options.allowDerived && value.length === 20) {
    if (!/^\d{2}$/.test(value.slice(18)) || value.slice(18) === '00') return { ok: false, reason: '下级单位代码应为上级单位代码加两位序号（01–99）' };
    const parent = checkCreditCode(value.slice(0, 18));
    return parent.ok ? { ok: true, value, derived: true } : parent;
  }
  if (value.length !== 18) return { ok: false, reason: '统一社会信用代码应为 18 位' };
  for (const ch of value) {
    if (!CODE_ALPHABET.includes(ch)) return { ok: false, reason: `含有不允许的字符“${ch}”（不使用 I、O、S、V、Z）` };
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) return { ok: false, reason: '第 3–8 位应为行政区划代码（数字）' };
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: '校验码错误' };
  return { ok: true, value, derived: false };
}

/** All 99 two-digit suffixes of a parent's code are taken. */
export class DerivedCodesExhausted extends Error {
  constructor(readonly parentCode: string) {
    super(`上级单位 ${parentCode} 的下级单位派生代码已用完（最多 99 个），请使用下级单位自己的统一社会信用代码`);
  }
}

/** The derived code of a sub-unit: the parent's code and the next free two-digit suffix. */
export function deriveCreditCode(parentCode: string, taken: Iterable<string>): string {
  const base = parentCode.slice(0, 18);
  const used = new Set([...taken].filter((c) => c.length === 20 && c.startsWith(base)).map((c) => c.slice(18)));
  for (let n = 1; n <= 99; n++) {
    const suffix = String(n).padStart(2, '0');
    if (!used.has(suffix)) return base + suffix;
  }
  throw new DerivedCodesExhausted(base);
}

/** zod field for an ID number: normalised to upper case, with the reason when it fails. */
export const idNumberSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const r = checkIdNumber(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  })
  .transform((v) => v.toUpperCase());

/** zod field for a credit code (derived sub-unit codes allowed when asked). */
export function creditCodeSchema(options: { allowDerived?: boolean } = {}) {
  return z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const r = checkCreditCode(v, options);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
    })
    .transform((v) => v.toUpperCase());
}

/** 手机号码 (mainland mobile) or a landline with area code. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$/, '电话号码格式不正确（手机 11 位，或区号-号码）');

/** 登录账号 of staff: 4–32 characters, a letter first. */
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{3,31}$/, '4–32 位，以字母开头，可含字母、数字、下划线、点和连字符');

/**
 * 文号 of an official document (GB/T 9704): 机关代字, the year in hexagonal brackets 〔〕 and the
 * sequence number, e.g. 成人社发〔2026〕12号. Round brackets, square brackets or a hyphen are the
 * usual mistakes; the message shows the right form.
 */
const DOC_NUMBER = /^[\u4e00-\u9fa5A-Za-z]+〔(\d{4})〕([1-9]\d*)号$/;

export type DocNumberCheck = { ok: true; value: string; prefix: string; year: number; sequence: number } | { ok: false; reason: string };

export const DOC_NUMBER_HINT = '文号格式应为“机关代字〔年份〕序号号”，如：成人社发〔2026〕12号（年份用六角括号〔〕）';

/** Checks a 文号 `X〔YYYY〕N号`: X Chinese characters or letters, YYYY a year, N a positive integer. */
export function checkDocNumber(input: string): DocNumberCheck {
  const value = input.trim();
  const m = DOC_NUMBER.exec(value);
  if (!m) return { ok: false, reason: DOC_NUMBER_HINT };
  return { ok: true, value, prefix: value.slice(0, value.indexOf('〔')), year: Number(m[1]), sequence: Number(m[2]) };
}

/** zod field for a 文号; every 文号 field of a form uses it (activities, and later documents alike). */
export function docNumber() {
  return z
    .string()
    .trim()
    .max(50, '最多 50 个字符')
    .superRefine((v, ctx) => {
      const r = checkDocNumber(v);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
    });
}
