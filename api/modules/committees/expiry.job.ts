import type { Knex } from 'knex';
import { audit } from '../../src/audit.ts';
import { shanghaiDate } from '../calendar/calendar.service.ts';
import { sendMessage } from '../messages/messages.service.ts';
import { addMonths } from './committees.service.ts';

/**
 * 川人社函〔2024〕586号: a committee whose term ends within two months reminds its organiser to
 * file again (once per term), and a committee past its term is marked expired — it can no longer
 * start review activities until a new filing is approved. Idempotent; every API process may run it.
 */
export async function sweepCommitteeTerms(db: Knex, now: Date): Promise<{ reminded: number[]; expired: number[] }> {
  const today = shanghaiDate(now);
  const horizon = addMonths(today, 2);
  const due = await db('committees')
    .select('id', 'name', 'organizer_unit_id', db.raw("to_char(valid_to, 'YYYY-MM-DD') as valid_to"))
    .where('filing_status', 'filed')
    .whereRaw('valid_to >= ?::date and valid_to <= ?::date', [today, horizon]);
  const reminded: number[] = [];
  for (const c of due) {
    const sent = await sendMessage(
      db,
      {
        unitId: Number(c.organizer_unit_id),
        permission: 'committee.manage',
        kind: 'committee.expiry',
        title: `${String(c.name)}备案将于 ${String(c.valid_to)} 届满，请开展重新备案`,
        body: `按照川人社函〔2024〕586号，即将届满到期的评委会应在有效期届满前 2 个月在信息系统中开展核准备案工作；未按规定完成核准备案的评委会不得开展职称评审工作。`,
        link: `/committees/${Number(c.id)}/show`,
        dedupeKey: `committee-expiry:${Number(c.id)}:${String(c.valid_to)}`,
      },
      now,
    );
    if (sent) reminded.push(Number(c.id));
  }
  const expired = await db.transaction(async (trx) => {
    const rows = await trx('committees').where('filing_status', 'filed').whereRaw('valid_to < ?::date', [today]).update({ filing_status: 'expired', updated_at: now }).returning(['id', 'name', 'organizer_unit_id']);
    for (const r of rows) {
      await audit(trx, null, { action: 'committee.expired', targetType: 'committee', targetId: Number(r.id), unitId: Number(r.organizer_unit_id), data: { name: r.name } }, now);
      await sendMessage(
        trx,
        {
          unitId: Number(r.organizer_unit_id),
          permission: 'committee.manage',
          kind: 'committee.expired',
          title: `${String(r.name)}备案已过期，不能开展评审活动`,
          body: '请完成重新备案，备案单位审核通过后方可发布评审活动。',
          link: `/committees/${Number(r.id)}/show`,
          dedupeKey: `committee-expired:${Number(r.id)}:${today}`,
        },
        now,
      );
    }
    return rows.map((r: { id: number }) => Number(r.id));
  });
  return { reminded, expired };
}
