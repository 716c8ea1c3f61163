import type { Knex } from 'knex';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { VALID_DOSSIER } from './app.ts';
import { idNumber } from './fixtures.ts';

let hashed: Promise<string> | null = null;
const demoHash = () => (hashed ??= hashPassword(DEMO_PASSWORD));

/** The demo activity (id 1) with the meeting options a test needs. */
export async function setActivityOptions(db: Knex, options: { breakthrough?: boolean; panels?: boolean; panelMethod?: 'vote' | 'score'; writtenExam?: string; defense?: string }, activityId = 1) {
  await db('activities')
    .where({ id: activityId })
    .update({
      breakthrough: options.breakthrough ?? false,
      panels: options.panels ?? false,
      panel_method: options.panels ? (options.panelMethod ?? 'vote') : null,
      written_exam: options.writtenExam ?? 'none',
      defense: options.defense ?? 'none',
    });
}

let applicantSeq = 0;

/** Applicants whose dossiers the committee has received (评委会已接收), as the dossier flow leaves them. */
export async function addReceivedDossiers(db: Knex, specs: Array<{ name: string; breakthrough?: boolean; specialty?: string }>, activityId = 1): Promise<number[]> {
  const employer = await db('units').where({ name: '成都示范科技有限公司' }).first('id');
  const at = new Date('2026-03-01T09:00:00+08:00');
  const ids: number[] = [];
  for (const spec of specs) {
    applicantSeq += 1;
    const [user] = await db('users')
      .insert({
        username: `meeting_applicant_${applicantSeq}`,
        password_hash: await demoHash(),
        display_name: spec.name,
        unit_id: employer.id,
        roles: ['applicant'],
        id_number: idNumber('19880101', applicantSeq, '510107'),
        status: 'active',
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const data = { ...VALID_DOSSIER, specialty: spec.specialty ?? '机械工程', evaluationMethod: spec.breakthrough ? 'breakthrough' : 'normal' };
    const [dossier] = await db('dossiers')
      .insert({ activity_id: activityId, applicant_id: user.id, year: 2026, status: 'received', data: JSON.stringify(data), submitted_at: at, created_at: at, updated_at: at })
      .returning('id');
    ids.push(Number(dossier.id));
  }
  return ids;
}

let expertSeq = 0;

/**
 * Stand-in for the draw part (专家抽选 + 确认出席) and the vote part's credentials: pool experts of
 * the committee, confirmed for the meeting, each with a meeting login `expert_<meeting>_<n>`.
 */
export async function addConfirmedExperts(db: Knex, meetingId: number, count: number, options: { credentials?: boolean; specialty?: string } = {}): Promise<Array<{ expertId: number; userId: number | null; username: string }>> {
  const meeting = await db('review_meetings').where({ id: meetingId }).first('committee_id');
  const at = new Date('2026-03-01T09:00:00+08:00');
  const out: Array<{ expertId: number; userId: number | null; username: string }> = [];
  for (let i = 0; i < count; i++) {
    expertSeq += 1;
    const id = idNumber('19700101', expertSeq, '510104');
    const [expert] = await db('experts')
      .insert({
        committee_id: meeting.committee_id,
        name: `专家${expertSeq}`,
        id_number: id,
        sex: 'male',
        birth_month: '1970-01',
        employer: `成都第${expertSeq}研究院`,
        post: '总工程师',
        phone1: '13800000001',
        honours: '无',
        specialty: options.specialty ?? '机械工程',
        current_title: '正高级工程师',
        status: 'in_pool',
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const username = `expert_${meetingId}_${expertSeq}`;
    let userId: number | null = null;
    if (options.credentials !== false) {
      const [user] = await db('users')
        .insert({ username, password_hash: await demoHash(), display_name: `专家${expertSeq}`, roles: [], status: 'active', created_at: at, updated_at: at })
        .returning('id');
      userId = Number(user.id);
    }
    await db('meeting_experts').insert({ meeting_id: meetingId, expert_id: expert.id, group_no: 1, role: 'principal', attendance: 'confirmed', user_id: userId, updated_at: at });
    out.push({ expertId: Number(expert.id), userId, username });
  }
  return out;
}

/** A committee clerk of the county bureau, whose unit organises a committee of its own (for scope and 监督). */
export async function addCountyClerk(db: Knex): Promise<{ username: string; committeeId: number }> {
  const county = await db('units').where({ name: '成都市锦江区人力资源和社会保障局' }).first('id');
  const at = new Date('2026-03-01T09:00:00+08:00');
  await db('users').insert({ username: 'jj_pw', password_hash: await demoHash(), display_name: '锦江区评委会经办人', unit_id: county.id, roles: ['committee_clerk'], status: 'active', created_at: at, updated_at: at });
  const [committee] = await db('committees')
    .insert({
      name: '锦江区工程技术系列初级职称评审委员会',
      organizer_unit_id: county.id,
      series: 'engineering',
      admin_level: 'county',
      review_type: 'evaluation',
      levels: ['junior'],
      build_by: 'series',
      specialties: ['机械工程'],
      review_regions: ['510104'],
      filing_status: 'filed',
      created_at: at,
      updated_at: at,
    })
    .returning('id');
  return { username: 'jj_pw', committeeId: Number(committee.id) };
}
