import type { Knex } from 'knex';
import { audit } from '../../src/audit.ts';

/** The same day `months` calendar months earlier (clamped to the month's last day). */
export function monthsBefore(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/**
 * 川人社函〔2024〕586号: accounts of city and county HR bureaus not used for 3 months are
 * disabled; the city bureau re-enables them. An account counts from its last login or re-enabling,
 * whichever is later, and a never-used one from its creation.
 * Idempotent, so every API process may run it.
 */
export async function disableInactiveAccounts(db: Knex, now: Date): Promise<number[]> {
  const cutoff = monthsBefore(now, 3);
  return db.transaction(async (trx) => {
    const rows = await trx('users as s')
      .join('units as u', 'u.id', 's.unit_id')
      .select('s.id', 's.unit_id', 's.username')
      .where('s.status', 'active')
      .where('u.unit_type', 'hr_bureau')
      .whereIn('u.admin_level', ['city', 'county'])
      .whereRaw("not ('applicant' = any(s.roles))")
      .whereRaw('coalesce(greatest(s.last_login_at, s.enabled_at), s.created_at) < ?', [cutoff])
      .forUpdate()
      .skipLocked();
    if (!rows.length) return [];
    const ids = rows.map((r: { id: number }) => Number(r.id));
    await trx('users').whereIn('id', ids).update({ status: 'disabled', disabled_reason: 'inactive', disabled_at: now, updated_at: now });
    for (const r of rows) {
      await audit(trx, null, { action: 'user.disable_inactive', targetType: 'user', targetId: Number(r.id), unitId: Number(r.unit_id), data: { username: r.username, since: cutoff.toISOString() } }, now);
    }
    return ids;
  });
}
