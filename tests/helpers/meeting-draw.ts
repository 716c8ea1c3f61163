import type { Knex } from 'knex';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { hashPassword } from '../../api/src/passwords.ts';

let seq = 0;

/** The demo committee (成都市人社局 organises it; its region 510100 is 本地). */
export async function demoCommittee(knex: Knex): Promise<{ committeeId: number; organizerUnitId: number }> {
  const c = await knex('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id', 'organizer_unit_id');
  return { committeeId: Number(c.id), organizerUnitId: Number(c.organizer_unit_id) };
}

/** An activity of the committee in a year and its meeting (rows written directly: the meeting diagram is another part's). */
export async function createMeeting(knex: Knex, committeeId: number, year: number, kind: 'normal' | 'breakthrough' = 'normal', now = new Date()): Promise<{ meetingId: number; activityId: number }> {
  const c = await knex('committees').where({ id: committeeId }).first('organizer_unit_id');
  seq += 1;
  const [activity] = await knex('activities')
    .insert({ name: `${year}年度评审活动 ${seq}`, year, committee_unit_id: c.organizer_unit_id, committee_id: committeeId, status: 'published', kind: 'special', created_at: now, updated_at: now })
    .returning('id');
  const [meeting] = await knex('review_meetings')
    .insert({ activity_id: activity.id, committee_id: committeeId, kind, name: `${year}年度${kind === 'normal' ? '普通' : '破格'}评审会议 ${seq}`, created_at: now, updated_at: now })
    .returning('id');
  return { meetingId: Number(meeting.id), activityId: Number(activity.id) };
}

export interface ExpertSpec {
  specialty: string;
  title?: string;
  chair?: boolean;
  /** 所在地区; 510100 (成都市) is the demo committee's own */
  region?: string | null;
  employer?: string;
  active?: boolean;
  status?: string;
}

/** In-pool experts written directly into the committee's pool; answers their ids in order. */
export async function addExperts(knex: Knex, committeeId: number, n: number, spec: ExpertSpec, now = new Date()): Promise<number[]> {
  const rows = Array.from({ length: n }, () => {
    seq += 1;
    return {
      committee_id: committeeId,
      name: `专家${seq}`,
      id_number: `T${String(seq).padStart(17, '0')}`,
      sex: 'male',
      birth_month: '1970-01',
      employer: spec.employer ?? `单位${seq}`,
      post: '无',
      phone1: '13800001234',
      honours: '无',
      specialty: spec.specialty,
      current_title: spec.title ?? '正高级工程师',
      is_chair: spec.chair ?? false,
      active: spec.active ?? true,
      region_code: spec.region === undefined ? '510100' : spec.region,
      status: spec.status ?? 'in_pool',
      created_at: now,
      updated_at: now,
    };
  });
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const out = await knex('experts').insert(rows.slice(i, i + 1000)).returning('id');
    ids.push(...out.map((r: { id: number }) => Number(r.id)));
  }
  return ids;
}

/** An expert's attendance at a (past) meeting. */
export async function attended(knex: Knex, meetingId: number, expertId: number, options: { executiveChair?: boolean; attendance?: string } = {}, now = new Date()) {
  await knex('meeting_experts').insert({
    meeting_id: meetingId,
    expert_id: expertId,
    role: 'principal',
    attendance: options.attendance ?? 'confirmed',
    is_executive_chair: options.executiveChair ?? false,
    updated_at: now,
  });
}

/** A committee clerk (评委会经办人, 评审会议管理) of another unit than the organiser. */
export async function otherClerk(knex: Knex, username: string, unitName = '成都市锦江区人力资源和社会保障局', now = new Date()): Promise<void> {
  const unit = await knex('units').where({ name: unitName }).first('id');
  await knex('users').insert({
    username,
    password_hash: await hashPassword(DEMO_PASSWORD),
    display_name: '其他评委会经办人',
    unit_id: unit.id,
    roles: ['committee_clerk'],
    status: 'active',
    created_at: now,
    updated_at: now,
  });
}

/** A received dossier of the applicant in the meeting's activity, as a candidate of the meeting. */
export async function addCandidate(knex: Knex, meetingId: number, activityId: number, applicantUsername: string, now = new Date()): Promise<number> {
  const user = await knex('users').where({ username: applicantUsername }).first('id');
  const [d] = await knex('dossiers')
    .insert({ activity_id: activityId, applicant_id: user.id, year: now.getFullYear(), status: 'received', data: JSON.stringify({ specialty: '机械工程', level: 'intermediate' }), created_at: now, updated_at: now })
    .returning('id');
  const n = await knex('meeting_candidates').where({ meeting_id: meetingId }).count<{ count: string }[]>('* as count');
  await knex('meeting_candidates').insert({ meeting_id: meetingId, dossier_id: d.id, order_no: Number(n[0]!.count) + 1, created_at: now });
  return Number(d.id);
}
