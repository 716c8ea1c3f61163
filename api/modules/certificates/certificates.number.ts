import type { CertificateKind } from './certificates.types.ts';

/** The digit of each kind in a certificate number. */
export const KIND_DIGITS: Record<CertificateKind, string> = { review: '1', initial: '2', delegated: '3', confirm: '4', history: '5' };

/** ISO 7064 MOD 11-2 check character over the digits (0–9 or X). */
export function checkCharacter(digits: string): string {
  let p = 0;
  for (const c of digits) p = ((p + Number(c)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * A certificate number: the approval year, the kind's digit, an 8-digit serial (unique across
 * the province) and a check character, e.g. 2026100000017X — a typo in a number read off a page
 * is caught before any lookup.
 */
export function certificateNo(year: number, kind: CertificateKind, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999_999) throw new Error(`证书流水号 ${serial} 超出范围`);
  const digits = `${String(year).padStart(4, '0')}${KIND_DIGITS[kind]}${String(serial).padStart(8, '0')}`;
  return digits + checkCharacter(digits);
}

export type CertificateNoCheck = { ok: true; value: string } | { ok: false; reason: string };

export function checkCertificateNo(input: string): CertificateNoCheck {
  const value = input.trim().toUpperCase();
  if (!/^\d{13}[0-9X]$/.test(value)) return { ok: false, reason: '证书编号应为14位：13位数字加1位校验码（数字或X）' };
  if (!Object.values(KIND_DIGITS).includes(value[4]!)) return { ok: false, reason: '证书编号的取得方式位无效' };
  if (checkCharacter(value.slice(0, 13)) !== value[13]) return { ok: false, reason: '证书编号校验码不正确，请核对' };
  return { ok: true, value };
}
