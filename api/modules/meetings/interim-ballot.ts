// Interim until module:ballots lands — the vote part owns ballot.openRound / ballot.handBack /
// ballot.tally; these stand-ins only let the meeting diagrams deploy and run on this branch. The
// lead deletes this file and its one line in index.ts when merging the vote part.
import type { Knex } from 'knex';
import type { ServiceHandler } from '../../../engine/types.ts';
import type { FlowRegistry } from '../../src/plugins/flows.ts';

type Db = Knex | Knex.Transaction;

interface RoundRow {
  id: number;
  meeting_id: number;
  kind: 'panel' | 'plenary';
  panel_id: number | null;
  method: 'vote' | 'score';
  status: 'voting' | 'closed';
  opened_at: Date;
}

export interface Voter {
  expertId: number;
  userId: number;
  roundId: number;
}

/** 3·同意 ≥ 2·出席 (abstentions are not agreement). */
export const passes = (agree: number, attending: number) => attending > 0 && 3 * agree >= 2 * attending;
/** A round is valid when at least two thirds of the confirmed experts attend. */
export const quorate = (attending: number, confirmed: number) => confirmed > 0 && 3 * attending >= 2 * confirmed;

/** 同意 votes per candidate of a round; no ballots are stored on this branch, so nobody has any. */
export type AgreeCounts = (trx: Db, round: { id: number; meetingId: number }) => Promise<Map<number, number>>;
const noBallots: AgreeCounts = async () => new Map();

const meetingOf = (variables: Readonly<Record<string, unknown>>) => ({ meetingId: Number(variables.meetingId), kind: String(variables.kind) });

async function votersOf(trx: Db, meetingId: number, panelId: number | null): Promise<Array<{ expert_id: number; user_id: number }>> {
  const query = trx('meeting_experts').where({ meeting_id: meetingId, attendance: 'confirmed' }).whereNotNull('user_id').orderBy('expert_id').select('expert_id', 'user_id');
  if (panelId != null) void query.where({ panel_id: panelId });
  return query;
}

/** Interim ballot handlers; `agreeCounts` lets a test stand in for the ballots the vote part stores. */
export function interimBallotHandlers(agreeCounts: AgreeCounts = noBallots): Record<string, ServiceHandler> {
  return {
    'ballot.openRound': async ({ trx, variables, input, clock }) => {
      const { meetingId } = meetingOf(variables);
      const kind = input.roundKind === 'panel' ? 'panel' : 'plenary';
      const at = clock.now();
      const panels: Array<number | null> = kind === 'panel' ? (await trx('meeting_panels').where({ meeting_id: meetingId }).orderBy('order_no').pluck('id')).map(Number) : [null];
      const method = kind === 'panel' && variables.panelMethod === 'score' ? 'score' : 'vote';
      const voters: Voter[] = [];
      for (const panelId of panels) {
        const existing = await trx<RoundRow>('meeting_rounds').where({ meeting_id: meetingId, kind }).where((w) => (panelId == null ? w.whereNull('panel_id') : w.where('panel_id', panelId))).first();
        // a round found invalid is held again (the unique index allows one row per round)
        const round = existing
          ? (await trx('meeting_rounds').where({ id: existing.id }).update({ status: 'voting', valid: null, attending_count: null, confirmed_count: null, opened_at: at, closed_at: null }).returning('id'))[0]
          : (await trx('meeting_rounds').insert({ meeting_id: meetingId, kind, panel_id: panelId, method, status: 'voting', opened_at: at }).returning('id'))[0];
        for (const v of await votersOf(trx, meetingId, panelId)) voters.push({ expertId: Number(v.expert_id), userId: Number(v.user_id), roundId: Number(round.id) });
      }
      await trx('review_meetings').where({ id: meetingId }).update({ status: 'voting', updated_at: at });
      return { voters };
    },

    'ballot.handBack': async ({ variables }) => {
      const expertId = Number((variables.tallyDecision as { expertId?: number } | undefined)?.expertId);
      const voter = ((variables.voters as Voter[] | undefined) ?? []).find((v) => v.expertId === expertId);
      if (!voter) throw new Error(`专家 ${expertId} 不是本轮的投票专家`);
      return { voters: [voter] };
    },

    'ballot.tally': async ({ trx, variables, input, rootInstanceId, clock }) => {
      const { meetingId, kind: meetingKind } = meetingOf(variables);
      const kind = input.roundKind === 'panel' ? 'panel' : 'plenary';
      const at = clock.now();
      const rounds = await trx<RoundRow>('meeting_rounds').where({ meeting_id: meetingId, kind, status: 'voting' });
      let valid = true;
      const closed: Array<{ round: RoundRow; attending: number; candidates: number[] }> = [];
      for (const round of rounds) {
        const confirmed = await trx('meeting_experts')
          .where({ meeting_id: meetingId, attendance: 'confirmed' })
          .modify((w) => (round.panel_id != null ? void w.where({ panel_id: round.panel_id }) : undefined))
          .count<{ n: string }[]>({ n: '*' });
        const userIds = (await votersOf(trx, meetingId, round.panel_id)).map((v) => Number(v.user_id));
        // 缺席: the committee completed the expert's ballot as absent during this round
        const absent = await trx('tasks')
          .where({ root_instance_id: rootInstanceId, form_key: 'expert-ballot', status: 'completed', action: 'absent' })
          .where('completed_at', '>=', round.opened_at)
          .whereRaw('candidate_user_ids && ?::bigint[]', [userIds])
          .count<{ n: string }[]>({ n: '*' });
        const attending = userIds.length - Number(absent[0]?.n ?? 0);
        const roundValid = quorate(attending, Number(confirmed[0]?.n ?? 0));
        valid &&= roundValid;
        await trx('meeting_rounds')
          .where({ id: round.id })
          .update({ status: 'closed', valid: roundValid, attending_count: attending, confirmed_count: Number(confirmed[0]?.n ?? 0), closed_at: at });
        const candidates = (
          await trx('meeting_candidates')
            .where({ meeting_id: meetingId, status: 'candidate' })
            .modify((w) => (round.panel_id != null ? void w.where({ panel_id: round.panel_id }) : undefined))
            .orderBy('order_no')
            .pluck('dossier_id')
        ).map(Number);
        closed.push({ round, attending, candidates });
      }
      const results: Array<{ dossierId: number; passed: boolean }> = [];
      if (valid) {
        for (const { round, attending, candidates } of closed) {
          const agree = await agreeCounts(trx, { id: round.id, meetingId });
          for (const dossierId of candidates) {
            const passed = passes(agree.get(dossierId) ?? 0, attending);
            if (kind === 'panel') {
              // 打分 eliminates nobody; 投票 keeps only those who passed the panel
              if (round.method === 'vote' && !passed) await trx('meeting_candidates').where({ meeting_id: meetingId, dossier_id: dossierId }).update({ status: 'eliminated', result_round: 'panel' });
            } else {
              await trx('meeting_candidates')
                .where({ meeting_id: meetingId, dossier_id: dossierId })
                .update({ status: passed ? 'passed' : 'failed', result_round: meetingKind === 'breakthrough' ? 'breakthrough' : 'plenary' });
              results.push({ dossierId, passed });
            }
          }
        }
      }
      const remaining = (await trx('meeting_candidates').where({ meeting_id: meetingId, status: 'candidate' }).orderBy('order_no').pluck('dossier_id')).map(Number);
      return { roundValid: valid, remaining, results };
    },
  };
}

/** Registers the interim ballot handlers (one line in index.ts). */
export function registerInterimBallot(flows: FlowRegistry): void {
  flows.handlers(interimBallotHandlers());
}
