import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Knex } from 'knex';
import type { ServiceHandler } from '../../engine/types.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import { hashPassword } from '../../api/src/passwords.ts';
import { ROOT, VALID_DOSSIER } from './app.ts';
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

// ---------------------------------------------------------------- stand-ins for the other parts

const MODULES_DIR = path.join(ROOT, 'api/modules');

/**
 * The other parts' modules whose checks and handlers the meeting tests stand in for: the draw
 * (抽选/出席 checks) and the ballots (投票, 计票). Excluded from the test app where they exist, so
 * these tests run the meeting diagrams the same way before and after those parts are merged.
 */
export const OTHER_PARTS: string[] = ['expert-draw', 'ballots'].filter((m) => fs.existsSync(path.join(MODULES_DIR, m)));

/** 同意 votes per candidate of a round. */
export type AgreeOf = (trx: Knex, round: { id: number; kind: 'panel' | 'plenary' }) => Promise<Map<number, number>>;
const noVotes: AgreeOf = async () => new Map();

interface RoundRow {
  id: number;
  kind: 'panel' | 'plenary';
  panel_id: number | null;
  method: 'vote' | 'score';
  opened_at: Date;
}
interface Voter {
  expertId: number;
  userId: number;
  roundId: number;
}

async function votersOf(trx: Knex, meetingId: number, panelId: number | null) {
  const query = trx('meeting_experts').where({ meeting_id: meetingId, attendance: 'confirmed' }).whereNotNull('user_id').orderBy('expert_id').select('expert_id', 'user_id');
  if (panelId != null) void query.where({ panel_id: panelId });
  return query as Promise<Array<{ expert_id: number; user_id: number }>>;
}

/**
 * Stand-in `ballot.openRound` / `ballot.handBack` / `ballot.tally` (the vote part's), registered
 * straight with the engine after the modules (the ballots module is left out): rounds
 * per panel or one plenary, voters = confirmed experts with a credential, attending = voters minus
 * ballots completed `absent` in the round, valid when 3·attending ≥ 2·confirmed, a candidate passes
 * when 3·同意 ≥ 2·attending with the 同意 counts the test scripts.
 */
export function ballotStandIn(agreeOf: AgreeOf = noVotes): FastifyPluginAsync {
  const handlers: Record<string, ServiceHandler> = {
    'ballot.openRound': async ({ trx, variables, input, clock }) => {
      const meetingId = Number(variables.meetingId);
      const kind = input.roundKind === 'panel' ? 'panel' : 'plenary';
      const at = clock.now();
      const panels: Array<number | null> = kind === 'panel' ? (await trx('meeting_panels').where({ meeting_id: meetingId }).orderBy('order_no').pluck('id')).map(Number) : [null];
      const voters: Voter[] = [];
      for (const panelId of panels) {
        const existing = await trx('meeting_rounds').where({ meeting_id: meetingId, kind }).where((w) => (panelId == null ? w.whereNull('panel_id') : w.where('panel_id', panelId))).first('id');
        const [round] = existing
          ? await trx('meeting_rounds').where({ id: existing.id }).update({ status: 'voting', valid: null, attending_count: null, confirmed_count: null, opened_at: at, closed_at: null }).returning('id')
          : await trx('meeting_rounds').insert({ meeting_id: meetingId, kind, panel_id: panelId, method: kind === 'panel' && variables.panelMethod === 'score' ? 'score' : 'vote', status: 'voting', opened_at: at }).returning('id');
        for (const v of await votersOf(trx, meetingId, panelId)) voters.push({ expertId: Number(v.expert_id), userId: Number(v.user_id), roundId: Number(round.id) });
      }
      await trx('review_meetings').where({ id: meetingId }).update({ status: 'voting', updated_at: at });
      return { voters };
    },
    'ballot.handBack': async ({ variables }) => {
      const expertId = Number((variables.tallyDecision as { expertId?: number } | undefined)?.expertId);
      return { voters: ((variables.voters as Voter[] | undefined) ?? []).filter((v) => v.expertId === expertId) };
    },
    'ballot.tally': async ({ trx, variables, input, rootInstanceId, clock }) => {
      const meetingId = Number(variables.meetingId);
      const kind = input.roundKind === 'panel' ? 'panel' : 'plenary';
      const rounds = (await trx('meeting_rounds').where({ meeting_id: meetingId, kind, status: 'voting' })) as RoundRow[];
      let valid = true;
      const closed: Array<{ round: RoundRow; attending: number }> = [];
      for (const round of rounds) {
        const [confirmed] = await trx('meeting_experts')
          .where({ meeting_id: meetingId, attendance: 'confirmed' })
          .modify((w) => (round.panel_id != null ? void w.where({ panel_id: round.panel_id }) : undefined))
          .count<{ n: string }[]>({ n: '*' });
        const userIds = (await votersOf(trx, meetingId, round.panel_id)).map((v) => Number(v.user_id));
        const [absent] = await trx('tasks')
          .where({ root_instance_id: rootInstanceId, form_key: 'expert-ballot', status: 'completed', action: 'absent' })
          .where('completed_at', '>=', round.opened_at)
          .whereRaw('candidate_user_ids && ?::bigint[]', [userIds])
          .count<{ n: string }[]>({ n: '*' });
        const attending = userIds.length - Number(absent?.n ?? 0);
        const roundValid = 3 * attending >= 2 * Number(confirmed?.n ?? 0) && attending > 0;
        valid &&= roundValid;
        await trx('meeting_rounds').where({ id: round.id }).update({ status: 'closed', valid: roundValid, attending_count: attending, confirmed_count: Number(confirmed?.n ?? 0), closed_at: clock.now() });
        closed.push({ round, attending });
      }
      const results: Array<{ dossierId: number; passed: boolean }> = [];
      if (valid) {
        for (const { round, attending } of closed) {
          const agree = await agreeOf(trx as unknown as Knex, { id: round.id, kind: round.kind });
          const candidates = (
            await trx('meeting_candidates')
              .where({ meeting_id: meetingId, status: 'candidate' })
              .modify((w) => (round.panel_id != null ? void w.where({ panel_id: round.panel_id }) : undefined))
              .orderBy('order_no')
              .pluck('dossier_id')
          ).map(Number);
          for (const dossierId of candidates) {
            const passed = 3 * (agree.get(dossierId) ?? 0) >= 2 * attending;
            if (kind === 'panel') {
              if (round.method === 'vote' && !passed) await trx('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierId }).update({ status: 'eliminated', result_round: 'panel' });
            } else {
              const stage = variables.kind === 'breakthrough' ? 'breakthrough' : 'plenary';
              await trx('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierId }).update({ status: passed ? 'passed' : 'failed', result_round: stage });
              results.push({ dossierId, passed });
            }
          }
        }
      }
      const remaining = (await trx('meeting_candidates').where({ meeting_id: meetingId, status: 'candidate' }).orderBy('order_no').pluck('dossier_id')).map(Number);
      return { roundValid: valid, remaining, results };
    },
  };
  const plugin: FastifyPluginAsync = async (fastify) => {
    for (const [name, fn] of Object.entries(handlers)) fastify.engine.registerHandler(name, fn);
  };
  return fp(plugin, { name: 'test:ballot-stand-in', dependencies: ['module:meetings'] });
}
