import type { Knex } from 'knex';
import type { ServiceHandler, TaskRecord } from '../../../engine/types.ts';
import { ValidationError } from '../../src/errors.ts';
import type { CompletionCheck } from '../tasks/tasks.service.ts';
import { meetingOptions } from '../meeting-prep/options.ts';
import { examResultsOf } from '../meeting-prep/meeting-prep.service.ts';
import { createMeetingsRepository, type ActivityFactsRow, type MeetingRow } from './meetings.repository.ts';

export const NORMAL_PROCESS = 'review-meeting';
export const BREAKTHROUGH_PROCESS = 'breakthrough-review';
export const processOf = (kind: MeetingRow['kind']) => (kind === 'breakthrough' ? BREAKTHROUGH_PROCESS : NORMAL_PROCESS);

/** What an applicant reads beside a result that is not 通过. */
function resultReason(status: string, stage: string): string | null {
  if (status === 'passed') return null;
  if (status === 'eliminated') return '专业组评审未通过，未进入评委会评审';
  return stage === 'breakthrough' ? '破格评审未通过（同意票未达到出席专家的三分之二）' : '评委会评审未通过（同意票未达到出席专家的三分之二）';
}

/** The variables every meeting case carries (set when the meeting is created). */
export interface MeetingVariables {
  meetingId: number;
  activityId: number;
  committeeId: number;
  kind: MeetingRow['kind'];
  meetingName: string;
  activityName: string;
  organizerUnitId: number;
}

/**
 * What the activity's options (the prep part's `meetingOptions`) mean for a meeting: a 破格评审会议
 * has neither exam, defense nor panels (manual §1.2.5: one plenary round).
 */
export async function meetingFacts(db: Knex | Knex.Transaction, activityId: number, kind: MeetingRow['kind']) {
  const options = await meetingOptions(db, activityId);
  const normal = kind === 'normal';
  const hasPanels = normal && options.hasPanels;
  return {
    hasExam: normal && options.hasExam,
    hasDefense: normal && options.hasDefense,
    hasPanels,
    panelMethod: options.panelMethod ?? 'vote',
    stage: hasPanels ? 'panel' : 'plenary',
  };
}

/** A task's meeting, from its case's business key `meeting:<id>`. */
export function meetingIdOf(task: Pick<TaskRecord, 'businessKey'>): number {
  const id = Number(/^meeting:(\d+)$/.exec(task.businessKey ?? '')?.[1]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError('该任务不属于评审会议', [{ field: 'params.id', message: '该任务不属于评审会议' }]);
  return id;
}

/** The meeting flows' own handlers (`meeting.*`) and checks (`meeting-panels`, `meeting-assignment`, `meeting-open-voting`). */
export function createMeetingFlow(db: Knex) {
  const repo = createMeetingsRepository(db);

  const handlers: Record<string, ServiceHandler> = {
    /**
     * 确定参评人员: the facts the gateways read, and the candidates — the activity's received
     * dossiers (破格 ones for the breakthrough meeting, the others for the normal one, plus those
     * who already passed a closed breakthrough meeting).
     */
    'meeting.prepare': async ({ trx, variables, clock }) => {
      const v = variables as unknown as MeetingVariables;
      const activity = await repo.activityFacts(v.activityId, trx);
      if (!activity) throw new Error(`评审活动 ${v.activityId} 不存在`);
      const facts = await meetingFacts(trx, v.activityId, v.kind);
      const breakthrough = v.kind === 'breakthrough';
      // without 破格 in the activity nobody is routed through a breakthrough meeting: all received ones meet here
      const all = breakthrough
        ? await repo.receivedDossiers(v.activityId, v.committeeId, { breakthrough: true }, trx)
        : await repo.receivedDossiers(v.activityId, v.committeeId, activity.breakthrough ? { breakthrough: false } : {}, trx);
      const at = clock.now();
      const added = await repo.addCandidates(v.meetingId, all.map((d) => Number(d.id)), 'received', at, trx);
      if (!breakthrough) {
        const closed = (await repo.ofActivity(v.activityId, trx)).find((m) => m.kind === 'breakthrough' && m.status === 'closed');
        if (closed) await repo.addCandidates(v.meetingId, (await repo.passedOf(closed.id, trx)).map((r) => Number(r.dossier_id)), 'breakthrough', at, trx);
      }
      return { ...facts, candidateCount: added };
    },

    /** 专业组评审结束: the flow goes on to the plenary round (an invalid plenary round no longer regroups). */
    'meeting.panelsDone': () => ({ stage: 'plenary' }),

    /** 通知评审结果: each candidate decided by this meeting, with the round that decided. */
    /**
     * 汇总评审结果: the list 通知评审结果 sends, one review-result message per dossier. A candidate
     * who failed the written exam was told by 通知笔试结果 and is not in it; a breakthrough meeting
     * tells only those who failed (those who passed go on to the normal meeting).
     */
    'meeting.results': async ({ trx, variables }) => {
      const v = variables as unknown as MeetingVariables;
      const rows = await repo.candidates(v.meetingId, trx);
      const decided = rows.filter((r) => ['passed', 'failed', 'eliminated'].includes(r.status) && r.result_round !== 'exam');
      const told = v.kind === 'breakthrough' ? decided.filter((r) => r.status !== 'passed') : decided;
      return {
        results: told.map((r) => {
          const stage = v.kind === 'breakthrough' ? 'breakthrough' : (r.result_round ?? (r.status === 'eliminated' ? 'panel' : 'plenary'));
          return { dossierId: Number(r.dossier_id), passed: r.status === 'passed', stage, reason: resultReason(r.status, stage) };
        }),
      };
    },
    /** 汇总笔试结果: the candidates who sat the written exam, for 通知笔试结果 (exam-result messages). */
    'meeting.examResults': async ({ trx, variables }) => {
      const v = variables as unknown as MeetingVariables;
      return { examResults: await examResultsOf(trx, v.meetingId) };
    },
    /** 结束评审会议: closed; a breakthrough meeting's passed candidates join the normal meeting of the activity. */
    'meeting.close': async ({ trx, variables, clock }) => {
      const v = variables as unknown as MeetingVariables;
      const at = clock.now();
      await repo.setStatus(v.meetingId, 'closed', at, trx);
      if (v.kind !== 'breakthrough') return;
      const normal = (await repo.ofActivity(v.activityId, trx)).find((m) => m.kind === 'normal' && m.status !== 'cancelled');
      const passed = (await repo.passedOf(v.meetingId, trx)).map((r) => Number(r.dossier_id));
      // a normal meeting not yet created takes them when it prepares
      if (normal) await repo.addCandidates(normal.id, passed, 'breakthrough', at, trx);
      return { joinedNormalMeeting: normal ? passed.length : 0 };
    },
  };

  const refuse = (field: string, message: string): never => {
    throw new ValidationError(message, [{ field, message }]);
  };

  /** 专家分组: every confirmed expert is in a panel; each panel has exactly one 组长 and at least one candidate. */
  const panelsCheck: CompletionCheck = async ({ task }) => {
    const meetingId = meetingIdOf(task);
    const [panels, experts, candidates] = await Promise.all([repo.panels(meetingId), repo.experts(meetingId), repo.candidates(meetingId)]);
    if (!panels.length) refuse('panels', '请先设置专业组');
    const confirmed = experts.filter((e) => e.attendance === 'confirmed');
    const loose = confirmed.filter((e) => e.panel_id == null);
    if (loose.length) refuse('panels', `以下确认出席的专家尚未分组：${loose.map((e) => e.name).join('、')}`);
    for (const p of panels) {
      const members = confirmed.filter((e) => Number(e.panel_id) === Number(p.id));
      const leaders = members.filter((e) => e.is_leader);
      if (!members.length) refuse('panels', `专业组“${p.name}”没有专家`);
      if (leaders.length !== 1) refuse('panels', `专业组“${p.name}”须指定一名组长`);
    }
    const noPanel = candidates.filter((c) => c.status === 'candidate' && c.panel_id != null && !panels.some((p) => Number(p.id) === Number(c.panel_id)));
    if (noPanel.length) refuse('panels', '参评人员的专业组已被删除，请在人员分配中重新分组');
  };

  /**
   * 人员分配: at least one candidate; each remaining candidate has a 主审 (and, with panels, a panel);
   * a normal meeting of an activity with 破格 candidates waits for the breakthrough meeting to close.
   */
  const assignmentCheck: CompletionCheck = async ({ task }) => {
    const meetingId = meetingIdOf(task);
    const meeting = (await repo.get(meetingId)) as MeetingRow;
    const activity = (await repo.activityFacts(meeting.activity_id)) as ActivityFactsRow;
    const [candidates, assignments] = await Promise.all([repo.candidates(meetingId), repo.assignments(meetingId)]);
    const active = candidates.filter((c) => c.status === 'candidate');
    if (!active.length) refuse('candidates', '没有参评人员');
    const withMain = new Set(assignments.filter((a) => a.role === 'main').map((a) => Number(a.dossier_id)));
    const noMain = active.filter((c) => !withMain.has(Number(c.dossier_id)));
    if (noMain.length) refuse('assignments', `以下参评人员尚未指定主审专家：${noMain.map((c) => c.applicant_name).join('、')}`);
    if (meeting.kind === 'normal' && (await meetingFacts(db, activity.id, 'normal')).hasPanels) {
      const noPanel = active.filter((c) => c.panel_id == null);
      if (noPanel.length) refuse('panels', `以下参评人员尚未分到专业组：${noPanel.map((c) => c.applicant_name).join('、')}`);
    }
    if (meeting.kind === 'normal' && activity.breakthrough) {
      const counts = (await repo.receivedCounts([activity.id])).get(activity.id);
      const bt = (await repo.ofActivity(activity.id)).find((m) => m.kind === 'breakthrough');
      if ((counts?.breakthrough ?? 0) > 0 && bt?.status !== 'closed') refuse('breakthrough', '本活动有破格申报人员，须先完成破格评审会议，破格评审通过者再参加普通评审');
    }
  };

  /** 开启专家投票: there are confirmed experts, and each has a meeting credential. */
  const openVotingCheck: CompletionCheck = async ({ task }) => {
    const meetingId = meetingIdOf(task);
    const confirmed = (await repo.experts(meetingId)).filter((e) => e.attendance === 'confirmed');
    if (!confirmed.length) refuse('experts', '没有确认出席的专家，不能开启投票');
    const without = confirmed.filter((e) => e.user_id == null);
    if (without.length) refuse('credentials', `以下专家尚未发放评审账号：${without.map((e) => e.name).join('、')}`);
  };

  return { handlers, checks: { 'meeting-panels': panelsCheck, 'meeting-assignment': assignmentCheck, 'meeting-open-voting': openVotingCheck } };
}
