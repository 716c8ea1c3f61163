import { parseDuration } from '@0dep/piso';

/**
 * A due date spec from a diagram or a setting: an ISO 8601 duration counted from `from`
 * ("P3D", "PT4H") or an absolute date-time. Invalid specs throw with a Chinese message.
 */
export function addDuration(from: Date, spec: string): Date {
  const text = spec.trim();
  if (/^-?P/i.test(text)) {
    try {
      return parseDuration(text.toUpperCase()).getExpireAt(from);
    } catch {
      throw new Error(`期限“${spec}”不是有效的 ISO 8601 时长`);
    }
  }
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new Error(`期限“${spec}”既不是时长也不是日期时间`);
  return at;
}
