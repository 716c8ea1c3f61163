import { maskIdNumber, maskPhone, type PiiCipher } from '../../src/pii.ts';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { WorkflowEngine } from '../../../engine/index.ts';
import { getForm } from '../../../forms/index.ts';
import { audit } from '../../src/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { uploadedSheet, workbookOf } from '../../src/xlsx.ts';
import { meetingFacts, processOf, type MeetingVariables } from './meetings.flow.ts';
import { createMeetingsRepository, type CandidateRow, type MeetingAccessRow, type MeetingExpertRow, type MeetingListRow, type MeetingRow } from './meetings.repository.ts';
import type { activityMeetingsView, assignmentBody, candidatePage, candidateQuery, fileRef, meetingCreateBody, meetingDetail, meetingView, panelBody, planBody } from './meetings.schemas.ts';
import { meetingInScope } from './meetings.scope.ts';

export type MeetingView = z.infer<typeof meetingView>;
export type MeetingDetail = z.infer<typeof meetingDetail>;
type FileRef = z.infer<typeof fileRef>;

const KIND_LABELS = { breakthrough: '破格评审会议', normal: '普通评审会议' } as const;
const STATUS_LABELS = { preparing: '筹备中', voting: '投票中', closed: '已结束', cancelled: '已取消' } as const;
const SOURCE_LABELS = { received: '已接收', breakthrough: '破格评审通过', exam: '笔试通过' } as const;
const CANDIDATE_STATUS_LABELS: Record<string, string> = { candidate: '参评', eliminated: '专业组未通过', passed: '通过', failed: '未通过', withdrawn: '撤出' };
const LEVEL_LABELS: Record<string, string> = { senior_full: '正高级', senior_deputy: '副高级', intermediate: '中级', junior: '初级' };
const METHOD_LABELS: Record<string, string> = { normal: '正常申报', breakthrough: '破格申报', transfer: '转评', re_review: '复审' };
const SEX_LABELS: Record<string, string> = { male: '男', female: '女' };
const EDUCATION_LABELS: Record<string, string> = { doctor: '博士研究生', master: '硕士研究生', bachelor: '大学本科', college: '大学专科', secondary: '中专', other: '其他' };

/** The user tasks of each meeting diagram in their drawn order, for the meeting page's steps. */
const STEPS: Record<MeetingRow['kind'], Array<{ elementId: string; name: string; when?: 'hasExam' | 'hasDefense' | 'hasPanels' }>> = {
  breakthrough: [
    { elementId: 'draw', name: '专家抽选' },
    { elementId: 'attendance', name: '确认出席' },
    { elementId: 'assignment', name: '人员分配' },
    { elementId: 'open_voting', name: '开启专家投票' },
    { elementId: 'ballot', name: '专家投票' },
    { elementId: 'tally', name: '计票' },
  ],
  normal: [
    { elementId: 'exam', name: '导入笔试成绩', when: 'hasExam' },
    { elementId: 'defense', name: '导入答辩安排', when: 'hasDefense' },
    { elementId: 'draw', name: '专家抽选' },
    { elementId: 'attendance', name: '确认出席' },
    { elementId: 'panels', name: '专家分组', when: 'hasPanels' },
    { elementId: 'assignment', name: '人员分配' },
    { elementId: 'open_voting', name: '开启专家投票' },
    { elementId: 'panel_ballot', name: '专业组专家投票', when: 'hasPanels' },
    { elementId: 'panel_tally', name: '专业组计票', when: 'hasPanels' },
    { elementId: 'plenary_ballot', name: '评委会专家投票' },
    { elementId: 'plenary_tally', name: '评委会计票' },
  ],
};
const FORM_OF: Record<string, string> = {
  exam: 'meeting-exam',
  defense: 'meeting-defense',
  draw: 'meeting-draw',
  attendance: 'meeting-attendance',
  panels: 'meeting-panels',
  assignment: 'meeting-assignment',
  open_voting: 'meeting-open-voting',
  ballot: 'expert-ballot',
  panel_ballot: 'expert-ballot',
  plenary_ballot: 'expert-ballot',
  tally: 'meeting-tally',
  panel_tally: 'meeting-tally',
  plenary_tally: 'meeting-tally',
};

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function viewOf(m: MeetingListRow): MeetingView {
  return {
    id: Number(m.id),
    activityId: Number(m.activity_id),
    activityName: m.activity_name,
    committeeId: Number(m.committee_id),
    committeeName: m.committee_name,
    kind: m.kind,
    kindLabel: KIND_LABELS[m.kind],
    name: m.name,
    status: m.status,
    statusLabel: STATUS_LABELS[m.status],
    startsAt: iso(m.starts_at),
    location: m.location,
    instanceId: m.instance_id,
    supervisorCommitteeId: m.supervisor_committee_id == null ? null : Number(m.supervisor_committee_id),
    supervisorName: m.supervisor_name,
    candidateCount: Number(m.candidate_count),
    expertCount: Number(m.expert_count),
    version: Number(m.version),
  };
}

/** 评审会议管理: meetings per activity, 专家分组, 人员分配 and 评审方案 (the organiser's committee clerk). */
export function createMeetingService(deps: { db: Knex; engine: WorkflowEngine; pii: PiiCipher }) {
  const { db, engine, pii } = deps;
  const repo = createMeetingsRepository(db);
  const now = () => engine.clock.now();

  /** Scope first (404 for anyone outside), then the meeting as the module reads it. */
  async function scoped(actor: RequestActor, id: number, mode: 'manage' | 'read', trx?: Knex.Transaction): Promise<MeetingAccessRow> {
    return meetingInScope(trx ?? db, actor, id, mode);
  }

  async function viewById(actor: RequestActor, id: number): Promise<MeetingView> {
    const row = (await repo.listFor(actor.unitId as number, undefined)).find((m) => Number(m.id) === id);
    if (!row) throw new NotFoundError('评审会议不存在');
    return viewOf(row);
  }

  /** Voting has opened (a round exists) or the meeting ended: 人员分配 and 专家分组 no longer change. */
  async function assertBeforeVoting(meeting: MeetingRow, trx?: Knex.Transaction) {
    if (meeting.status !== 'preparing' || (await repo.roundCount(meeting.id, trx)) > 0) {
      throw new ConflictError(meeting.status === 'closed' ? '评审会议已结束，不能再调整' : '专家投票已开启，不能再调整分组和分配');
    }
  }

  /** A change before voting opens, serialised with the opening by the meeting row's lock. */
  async function beforeVoting<T>(actor: RequestActor, id: number, work: (trx: Knex.Transaction, meeting: MeetingRow) => Promise<T>): Promise<T> {
    await scoped(actor, id, 'manage');
    return db.transaction(async (trx) => {
      const meeting = (await repo.lock(id, trx)) as MeetingRow;
      await assertBeforeVoting(meeting, trx);
      return work(trx, meeting);
    });
  }

  async function activityForOrganiser(actor: RequestActor, activityId: number) {
    const a = await repo.activityFacts(activityId);
    if (!a || actor.unitId == null || Number(a.organizer_unit_id) !== actor.unitId) throw new NotFoundError('评审活动不存在');
    return a;
  }

  function candidateViews(rows: CandidateRow[], assignments: Array<{ dossier_id: number; expert_id: number; role: string }>, recusals: Array<{ expert_id: number; dossier_id: number }> = []) {
    // grouped by candidate once: a meeting of 3,000 with 9,000 assignments made the filter per row quadratic
    const byDossier = <T extends { dossier_id: number }>(list: T[]) => {
      const map = new Map<number, T[]>();
      for (const x of list) {
        const key = Number(x.dossier_id);
        const group = map.get(key);
        if (group) group.push(x);
        else map.set(key, [x]);
      }
      return map;
    };
    const assigned = byDossier(assignments);
    const recusedBy = byDossier(recusals);
    return rows.map((c) => {
      const mine = assigned.get(Number(c.dossier_id)) ?? [];
      const recused = (recusedBy.get(Number(c.dossier_id)) ?? []).map((r) => Number(r.expert_id));
      return {
        dossierId: Number(c.dossier_id),
        orderNo: Number(c.order_no),
        name: c.applicant_name,
        // lists and exports show it masked (个人信息保护)
        idNumber: maskIdNumber(c.id_number),
        employer: c.employer_name,
        specialty: c.specialty,
        level: c.level ? (LEVEL_LABELS[c.level] ?? c.level) : null,
        evaluationMethod: METHOD_LABELS[c.evaluation_method] ?? c.evaluation_method,
        source: c.source,
        sourceLabel: SOURCE_LABELS[c.source],
        status: c.status,
        statusLabel: CANDIDATE_STATUS_LABELS[c.status] ?? c.status,
        panelId: c.panel_id == null ? null : Number(c.panel_id),
        objection: Boolean(c.objection),
        mainExpertId: mine.find((a) => a.role === 'main') ? Number(mine.find((a) => a.role === 'main')?.expert_id) : null,
        assistantExpertIds: mine.filter((a) => a.role === 'assistant').map((a) => Number(a.expert_id)),
        recusedExpertIds: recused,
      };
    });
  }

  const expertViewOf = (e: MeetingExpertRow) => ({
    expertId: Number(e.expert_id),
    name: e.name,
    sex: SEX_LABELS[e.sex] ?? e.sex,
    employer: e.employer,
    post: e.post,
    specialty: e.specialty,
    currentTitle: e.current_title,
    isChair: Boolean(e.is_chair),
    role: e.role,
    groupNo: e.group_no == null ? null : Number(e.group_no),
    attendance: e.attendance,
    panelId: e.panel_id == null ? null : Number(e.panel_id),
    isLeader: Boolean(e.is_leader),
    hasCredential: e.user_id != null,
  });

  async function steps(meeting: MeetingAccessRow, facts: Awaited<ReturnType<typeof meetingFacts>>) {
    const open = meeting.instance_id ? await repo.openTasks(meeting.instance_id) : [];
    const done = meeting.instance_id ? await repo.doneSteps(meeting.instance_id) : [];
    return STEPS[meeting.kind].map((s) => {
      const skipped = s.when != null && !facts[s.when];
      const tasks = open.filter((t) => t.element_id === s.elementId);
      const last = [...done].reverse().find((d) => d.element_id === s.elementId);
      const page = getForm(FORM_OF[s.elementId] ?? '')?.page?.replace('{meetingId}', String(meeting.id)) ?? null;
      return {
        elementId: s.elementId,
        name: s.name,
        state: skipped ? ('skipped' as const) : tasks.length ? ('open' as const) : last ? ('done' as const) : ('pending' as const),
        page,
        taskIds: tasks.map((t) => String(t.id)),
        doneBy: last?.actor_name ?? null,
      };
    });
  }

  /** Candidates' and experts' rows for the exports, with 主审 / 辅审 names. */
  async function exportRows(meetingId: number) {
    const [candidates, assignments, experts, panels] = await Promise.all([repo.candidates(meetingId), repo.assignments(meetingId), repo.experts(meetingId), repo.panels(meetingId)]);
    const nameOf = new Map(experts.map((e) => [Number(e.expert_id), e.name]));
    const panelOf = new Map(panels.map((p) => [Number(p.id), p.name]));
    return { candidates, views: candidateViews(candidates, assignments), experts, nameOf, panelOf };
  }

  return {
    /** 评审会议管理: the organiser's published activities with their meetings and what may still be created. */
    async activities(actor: RequestActor): Promise<Array<z.infer<typeof activityMeetingsView>>> {
      if (actor.unitId == null) return [];
      const activities = await repo.activitiesOf(actor.unitId);
      const counts = await repo.receivedCounts(activities.map((a) => Number(a.id)));
      const meetings = await repo.listFor(actor.unitId, undefined);
      return activities.map((a) => {
        const c = counts.get(Number(a.id)) ?? { breakthrough: 0, normal: 0 };
        const mine = meetings.filter((m) => Number(m.activity_id) === Number(a.id) && Number(m.committee_id) === Number(a.committee_id));
        const has = (kind: MeetingRow['kind']) => mine.some((m) => m.kind === kind);
        const creatable: MeetingRow['kind'][] = [];
        if (a.breakthrough && c.breakthrough > 0 && !has('breakthrough')) creatable.push('breakthrough');
        if (c.normal + (a.breakthrough ? 0 : c.breakthrough) > 0 && !has('normal')) creatable.push('normal');
        return {
          activityId: Number(a.id),
          activityName: a.name,
          committeeName: a.committee_name,
          breakthrough: Boolean(a.breakthrough),
          receivedBreakthrough: c.breakthrough,
          receivedNormal: c.normal,
          creatable,
          meetings: mine.map(viewOf),
        };
      });
    },

    /** Meetings the caller's unit organises or supervises. */
    async list(actor: RequestActor, activityId?: number): Promise<MeetingView[]> {
      if (actor.unitId == null) return [];
      return (await repo.listFor(actor.unitId, activityId)).map(viewOf);
    },

    /**
     * 召开评审会议: the meeting record and its case (`breakthrough-review` / `review-meeting`,
     * business key `meeting:<id>`) in one step. A 破格评审会议 needs 破格 in the activity and
     * received 破格 dossiers; a 普通评审会议 needs received dossiers; each kind once per activity.
     */
    async create(actor: RequestActor, body: z.infer<typeof meetingCreateBody>): Promise<MeetingView> {
      const a = await activityForOrganiser(actor, body.activityId);
      if (a.status !== 'published') throw new ConflictError('只有已发布的评审活动才能召开评审会议');
      const counts = (await repo.receivedCounts([Number(a.id)])).get(Number(a.id)) ?? { breakthrough: 0, normal: 0 };
      if (body.kind === 'breakthrough') {
        if (!a.breakthrough) throw new ValidationError('该评审活动未设置破格，不能召开破格评审会议', [{ field: 'kind', message: '该评审活动未设置破格' }]);
        if (counts.breakthrough === 0) throw new ConflictError('该评审活动还没有已接收的破格申报，不能召开破格评审会议');
      } else if (counts.normal + counts.breakthrough === 0) {
        throw new ConflictError('该评审活动还没有评委会已接收的申报材料，不能召开评审会议');
      }
      const at = now();
      let meetingId = 0;
      await engine.startInstance({
        processKey: processOf(body.kind),
        actor,
        checkStarter: false,
        prepare: async (trx) => {
          try {
            meetingId = await repo.insert(
              {
                activity_id: Number(a.id),
                committee_id: Number(a.committee_id),
                kind: body.kind,
                name: body.name,
                starts_at: new Date(body.startsAt),
                location: body.location,
                created_by: actor.userId,
                created_at: at,
                updated_at: at,
              },
              trx,
            );
          } catch (err) {
            if ((err as { code?: string }).code === '23505') throw new ConflictError(`该评审活动已召开${KIND_LABELS[body.kind]}`);
            throw err;
          }
          await audit(trx, actor, { action: 'meeting.create', targetType: 'review_meeting', targetId: meetingId, unitId: Number(a.organizer_unit_id), data: { activityId: Number(a.id), kind: body.kind } }, at);
          const variables: MeetingVariables = {
            meetingId,
            activityId: Number(a.id),
            committeeId: Number(a.committee_id),
            kind: body.kind,
            meetingName: body.name,
            activityName: a.name,
            organizerUnitId: Number(a.organizer_unit_id),
          };
          return {
            businessKey: `meeting:${meetingId}`,
            variables: { ...variables },
            afterStart: async (tx, instanceId) => repo.setInstance(meetingId, instanceId, tx),
          };
        },
      });
      return viewById(actor, meetingId);
    },

    /** 评审会议详情: steps from the case, candidates, experts, panels and the plan. */
    async detail(actor: RequestActor, id: number): Promise<MeetingDetail> {
      const meeting = await scoped(actor, id, 'read');
      const access = actor.unitId === Number(meeting.organizer_unit_id) ? 'manage' : 'read';
      const facts = await meetingFacts(db, meeting.activity_id, meeting.kind);
      const [view, counts, experts, panels, rounds] = await Promise.all([viewById(actor, id), repo.candidateCounts(id), repo.experts(id), repo.panels(id), repo.roundCount(id)]);
      const materials = await repo.materials(id);
      return {
        ...view,
        facts: { hasExam: facts.hasExam, hasDefense: facts.hasDefense, hasPanels: facts.hasPanels, panelMethod: facts.panelMethod as 'vote' | 'score' },
        assignmentOpen: meeting.status === 'preparing' && rounds === 0,
        access,
        steps: await steps(meeting, facts),
        panels: panels.map((p) => ({ id: Number(p.id), name: p.name, specialty: p.specialty })),
        candidateSummary: {
          total: counts.byStatus.reduce((sum, c) => sum + c.count, 0),
          unassigned: counts.unassigned,
          byStatus: counts.byStatus.map((c) => ({ status: c.status, label: CANDIDATE_STATUS_LABELS[c.status] ?? c.status, count: c.count })),
        },
        experts: experts.map(expertViewOf),
        materials: ((materials?.materials as FileRef[] | undefined) ?? []).map((f) => ({ id: f.id, name: f.name, size: Number(f.size), mime: f.mime })),
      };
    },

    /** 参评人员: one page of the meeting's candidates in their order, with their 主审/辅审 and 回避. */
    async candidatePage(actor: RequestActor, id: number, query: z.infer<typeof candidateQuery>): Promise<z.infer<typeof candidatePage>> {
      await scoped(actor, id, 'read');
      const filter = { name: query.name || undefined, status: query.status, panelId: query.panelId, assigned: query.assigned == null ? undefined : query.assigned === 'true' };
      const { rows, total } = await repo.candidatePage(id, filter, (query.page - 1) * query.pageSize, query.pageSize);
      const ids = rows.map((r) => Number(r.dossier_id));
      const [assignments, recusals] = await Promise.all([repo.assignmentsOf(id, ids), repo.recusalsOf(id, ids)]);
      return { total, candidates: candidateViews(rows, assignments, recusals) };
    },

    // ---------------------------------------------------------------- 专家分组

    async createPanel(actor: RequestActor, id: number, body: z.infer<typeof panelBody>) {
      return beforeVoting(actor, id, async (trx) => {
        try {
          return { id: await repo.insertPanel(id, body.name, body.specialty ?? null, trx) };
        } catch (err) {
          if ((err as { code?: string }).code === '23505') throw new ValidationError(`专业组“${body.name}”已存在`, [{ field: 'name', message: '专业组名称重复' }]);
          throw err;
        }
      });
    },

    async updatePanel(actor: RequestActor, id: number, panelId: number, body: z.infer<typeof panelBody>) {
      return beforeVoting(actor, id, async (trx) => {
        const n = await repo.updatePanel(id, panelId, body.name, body.specialty ?? null, trx).catch((err: { code?: string }) => {
          if (err.code === '23505') throw new ValidationError(`专业组“${body.name}”已存在`, [{ field: 'name', message: '专业组名称重复' }]);
          throw err;
        });
        if (n !== 1) throw new NotFoundError('专业组不存在');
      });
    },

    async deletePanel(actor: RequestActor, id: number, panelId: number) {
      return beforeVoting(actor, id, async (trx) => {
        if ((await repo.deletePanel(id, panelId, trx)) !== 1) throw new NotFoundError('专业组不存在');
      });
    },

    /** Puts confirmed experts into a panel (or takes them out). */
    async setMembers(actor: RequestActor, id: number, expertIds: number[], panelId: number | null) {
      return beforeVoting(actor, id, async (trx) => {
        if (panelId != null && !(await repo.panels(id, trx)).some((p) => Number(p.id) === panelId)) throw new ValidationError('专业组不存在', [{ field: 'panelId', message: '专业组不存在' }]);
        const confirmed = new Set((await repo.experts(id, trx)).filter((e) => e.attendance === 'confirmed').map((e) => Number(e.expert_id)));
        const unknown = expertIds.filter((e) => !confirmed.has(e));
        if (unknown.length) throw new ValidationError('只能为确认出席的专家分组', [{ field: 'expertIds', message: '含未确认出席的专家' }]);
        await repo.setExpertPanel(id, expertIds, panelId, now(), trx);
      });
    },

    async setLeader(actor: RequestActor, id: number, panelId: number, expertId: number) {
      return beforeVoting(actor, id, async (trx) => {
        if ((await repo.setLeader(id, panelId, expertId, now(), trx)) !== 1) throw new ValidationError('组长须是本组确认出席的专家', [{ field: 'expertId', message: '不是本组专家' }]);
      });
    },

    // ---------------------------------------------------------------- 人员分配

    /** 主审 and 辅审 for a batch of candidates (replacing theirs), and their panel. */
    async assign(actor: RequestActor, id: number, body: z.infer<typeof assignmentBody>) {
      return beforeVoting(actor, id, async (trx) => {
        const candidates = new Set((await repo.candidates(id, trx)).map((c) => Number(c.dossier_id)));
        if (body.dossierIds.some((d) => !candidates.has(d))) throw new ValidationError('含不属于本会议的参评人员', [{ field: 'dossierIds', message: '参评人员不存在' }]);
        const confirmed = new Set((await repo.experts(id, trx)).filter((e) => e.attendance === 'confirmed').map((e) => Number(e.expert_id)));
        if (!confirmed.has(body.mainExpertId)) throw new ValidationError('主审专家须是确认出席的专家', [{ field: 'mainExpertId', message: '主审专家未确认出席' }]);
        const assistants = [...new Set(body.assistantExpertIds)];
        if (assistants.some((e) => !confirmed.has(e))) throw new ValidationError('辅审专家须是确认出席的专家', [{ field: 'assistantExpertIds', message: '辅审专家未确认出席' }]);
        if (assistants.includes(body.mainExpertId)) throw new ValidationError('同一专家不能既是主审又是辅审', [{ field: 'assistantExpertIds', message: '辅审专家与主审专家重复' }]);
        // 回避: an expert employed by a candidate's employer does not review that candidate
        const recused = (await repo.recusals(id, trx)).filter((r) => body.dossierIds.includes(Number(r.dossier_id)));
        const clash = recused.find((r) => Number(r.expert_id) === body.mainExpertId) ?? recused.find((r) => assistants.includes(Number(r.expert_id)));
        if (clash) {
          const field = Number(clash.expert_id) === body.mainExpertId ? 'mainExpertId' : 'assistantExpertIds';
          throw new ValidationError('该专家须回避所选参评人员（与参评人员同一工作单位），不能担任其主审或辅审', [{ field, message: '专家须回避' }]);
        }
        const rows = body.dossierIds.flatMap((dossierId) => [
          { meeting_id: id, dossier_id: dossierId, expert_id: body.mainExpertId, role: 'main' as const },
          ...assistants.map((expertId) => ({ meeting_id: id, dossier_id: dossierId, expert_id: expertId, role: 'assistant' as const })),
        ]);
        await repo.replaceAssignments(id, body.dossierIds, rows, trx);
        if (body.panelId !== undefined) {
          if (body.panelId != null && !(await repo.panels(id, trx)).some((p) => Number(p.id) === body.panelId)) throw new ValidationError('专业组不存在', [{ field: 'panelId', message: '专业组不存在' }]);
          await repo.setCandidatePanel(id, body.dossierIds, body.panelId, trx);
        }
      });
    },

    /** 调整顺序模板: the candidates in their order, the 顺序 column to change. */
    async orderTemplate(actor: RequestActor, id: number): Promise<Buffer> {
      await scoped(actor, id, 'manage');
      const rows = candidateViews(await repo.candidates(id), []);
      return workbookOf('参评人员顺序', ORDER_COLUMNS, rows);
    },

    /** 导入调整后的顺序: every candidate once, each 顺序 a distinct positive integer; errors name the cell. */
    async importOrder(actor: RequestActor, id: number, fileId: string) {
      await scoped(actor, id, 'manage');
      const file = await repo.uploadedFile(fileId, actor.userId);
      if (!file) throw new ValidationError('导入文件不存在，请重新上传', [{ field: 'fileId', message: '文件不存在' }]);
      const parsed = await parseOrderWorkbook(file.content);
      return beforeVoting(actor, id, async (trx) => {
        const candidates = await repo.candidates(id, trx);
        const problems = [...parsed.problems, ...orderProblems(parsed.rows, candidates)];
        if (problems.length) throw new ValidationError(`导入文件有 ${problems.length} 处错误，请修改后重新导入`, problems);
        const order = [...parsed.rows].sort((x, y) => x.orderNo - y.orderNo).map((r, i) => ({ dossierId: r.dossierId, orderNo: i + 1 }));
        await repo.reorder(id, order, trx);
        return { count: order.length };
      });
    },

    // ---------------------------------------------------------------- 评审方案

    async supervisorOptions(actor: RequestActor, id: number) {
      const meeting = await scoped(actor, id, 'manage');
      return (await repo.supervisorOptions(meeting.committee_id)).map((c) => ({ id: Number(c.id), name: c.name }));
    },

    async updatePlan(actor: RequestActor, id: number, body: z.infer<typeof planBody>) {
      const meeting = await scoped(actor, id, 'manage');
      if (meeting.status === 'closed' || meeting.status === 'cancelled') throw new ConflictError('评审会议已结束，不能修改评审方案');
      if (body.supervisorCommitteeId != null) {
        if (body.supervisorCommitteeId === Number(meeting.committee_id)) throw new ValidationError('监督评委会不能是本评委会', [{ field: 'supervisorCommitteeId', message: '监督评委会不能是本评委会' }]);
        if (!(await repo.committeeExists(body.supervisorCommitteeId))) throw new ValidationError('监督评委会不存在或未备案', [{ field: 'supervisorCommitteeId', message: '监督评委会不存在' }]);
      }
      const files = await repo.filesOf(body.materials.map((f) => f.id));
      for (const f of body.materials) {
        const row = files.find((r) => r.id === f.id);
        if (!row) throw new ValidationError(`评审材料“${f.name}”不存在，请重新上传`, [{ field: 'materials', message: '附件不存在' }]);
        if (Number(row.unit_id) !== Number(meeting.organizer_unit_id)) throw new ForbiddenError(`不能使用其他单位的附件“${f.name}”`);
      }
      const materials = body.materials.map((f) => {
        const row = files.find((r) => r.id === f.id) as { id: string; name: string; size: number; mime: string };
        return { id: row.id, name: row.name, size: Number(row.size), mime: row.mime };
      });
      const n = await repo.updatePlan(id, body.version, { supervisor_committee_id: body.supervisorCommitteeId, materials: JSON.stringify(materials) }, now());
      if (n !== 1) throw new ConflictError('评审方案已被他人修改，请刷新后重试');
      return viewById(actor, id);
    },

    // ---------------------------------------------------------------- exports

    /** 报评人员名册 */
    async roster(actor: RequestActor, id: number) {
      const meeting = await scoped(actor, id, 'read');
      const { views } = await exportRows(id);
      return { name: `${meeting.name}报评人员名册.xlsx`, content: await workbookOf('报评人员名册', ROSTER_COLUMNS, views) };
    },

    /** 申报人员汇总表 */
    async summary(actor: RequestActor, id: number) {
      const meeting = await scoped(actor, id, 'read');
      const { candidates, views, nameOf, panelOf } = await exportRows(id);
      const rows = candidates.map((c, i) => ({ c, v: views[i] as (typeof views)[number], nameOf, panelOf }));
      return { name: `${meeting.name}申报人员汇总表.xlsx`, content: await workbookOf('申报人员汇总表', SUMMARY_COLUMNS, rows) };
    },

    /** 参评专家信息 */
    async expertSheet(actor: RequestActor, id: number) {
      const meeting = await scoped(actor, id, 'read');
      const { experts, panelOf } = await exportRows(id);
      // an export people keep: the experts' phones masked (the call list is 确认出席's screen, audited);
      // the number is sealed in the pool record (专家库)
      const rows = experts.map((e) => ({ e: { ...e, phone1: maskPhone(pii.reveal(e.phone1_enc, e.phone1)) }, panelOf }));
      return { name: `${meeting.name}参评专家信息.xlsx`, content: await workbookOf('参评专家信息', EXPERT_COLUMNS, rows) };
    },
  };
}

export type MeetingService = ReturnType<typeof createMeetingService>;

type CandidateView = z.infer<typeof candidatePage>['candidates'][number];

const ORDER_HEADERS = ['申报编号', '顺序', '姓名', '身份证号', '工作单位', '申报专业'] as const;
const ORDER_COLUMNS = [
  { header: ORDER_HEADERS[0], value: (r: CandidateView) => r.dossierId },
  { header: ORDER_HEADERS[1], value: (r: CandidateView) => r.orderNo },
  { header: ORDER_HEADERS[2], value: (r: CandidateView) => r.name },
  { header: ORDER_HEADERS[3], width: 22, value: (r: CandidateView) => r.idNumber },
  { header: ORDER_HEADERS[4], width: 30, value: (r: CandidateView) => r.employer },
  { header: ORDER_HEADERS[5], value: (r: CandidateView) => r.specialty },
];

const ROSTER_COLUMNS = [
  { header: '序号', value: (r: CandidateView) => r.orderNo },
  { header: '姓名', value: (r: CandidateView) => r.name },
  { header: '身份证号', width: 22, value: (r: CandidateView) => r.idNumber },
  { header: '工作单位', width: 30, value: (r: CandidateView) => r.employer },
  { header: '申报专业', value: (r: CandidateView) => r.specialty },
  { header: '申报级别', value: (r: CandidateView) => r.level },
  { header: '评价方式', value: (r: CandidateView) => r.evaluationMethod },
  { header: '参评来源', value: (r: CandidateView) => r.sourceLabel },
  { header: '状态', value: (r: CandidateView) => r.statusLabel },
];

type SummaryRow = { c: CandidateRow; v: CandidateView; nameOf: Map<number, string>; panelOf: Map<number, string> };
const text = (data: Record<string, unknown>, key: string) => (typeof data[key] === 'string' ? (data[key] as string) : '');
const SUMMARY_COLUMNS = [
  { header: '序号', value: (r: SummaryRow) => r.v.orderNo },
  { header: '姓名', value: (r: SummaryRow) => r.v.name },
  { header: '性别', value: (r: SummaryRow) => SEX_LABELS[text(r.c.data, 'gender')] ?? text(r.c.data, 'gender') },
  { header: '出生日期', value: (r: SummaryRow) => text(r.c.data, 'birthDate') },
  { header: '工作单位', width: 30, value: (r: SummaryRow) => r.v.employer },
  { header: '现职称', value: (r: SummaryRow) => text(r.c.data, 'currentTitle') },
  { header: '取得时间', value: (r: SummaryRow) => text(r.c.data, 'currentTitleDate') },
  { header: '学历', value: (r: SummaryRow) => EDUCATION_LABELS[text(r.c.data, 'education')] ?? text(r.c.data, 'education') },
  { header: '毕业院校', width: 20, value: (r: SummaryRow) => text(r.c.data, 'school') },
  { header: '所学专业', width: 20, value: (r: SummaryRow) => text(r.c.data, 'major') },
  { header: '参加工作时间', value: (r: SummaryRow) => text(r.c.data, 'workStartDate') },
  { header: '申报专业', value: (r: SummaryRow) => r.v.specialty },
  { header: '申报级别', value: (r: SummaryRow) => r.v.level },
  { header: '评价方式', value: (r: SummaryRow) => r.v.evaluationMethod },
  { header: '专业组', value: (r: SummaryRow) => (r.v.panelId ? r.panelOf.get(r.v.panelId) : '') },
  { header: '主审专家', value: (r: SummaryRow) => (r.v.mainExpertId ? r.nameOf.get(r.v.mainExpertId) : '') },
  { header: '辅审专家', width: 20, value: (r: SummaryRow) => r.v.assistantExpertIds.map((e) => r.nameOf.get(e)).join('、') },
];

type ExpertRow = { e: MeetingExpertRow; panelOf: Map<number, string> };
const ATTENDANCE_LABELS = { pending: '待确认', confirmed: '确认出席', cancelled: '取消' } as const;
const EXPERT_COLUMNS = [
  { header: '姓名', value: (r: ExpertRow) => r.e.name },
  { header: '性别', value: (r: ExpertRow) => SEX_LABELS[r.e.sex] ?? r.e.sex },
  { header: '工作单位', width: 30, value: (r: ExpertRow) => r.e.employer },
  { header: '职务', value: (r: ExpertRow) => r.e.post },
  { header: '专业', value: (r: ExpertRow) => r.e.specialty },
  { header: '现职称', value: (r: ExpertRow) => r.e.current_title },
  { header: '联系电话', value: (r: ExpertRow) => r.e.phone1 },
  { header: '主任委员', value: (r: ExpertRow) => (r.e.is_chair ? '是' : '') },
  { header: '正选/候补', value: (r: ExpertRow) => (r.e.role === 'principal' ? '正选' : '候补') },
  { header: '出席', value: (r: ExpertRow) => ATTENDANCE_LABELS[r.e.attendance] },
  { header: '专业组', value: (r: ExpertRow) => (r.e.panel_id ? r.panelOf.get(Number(r.e.panel_id)) : '') },
  { header: '组长', value: (r: ExpertRow) => (r.e.is_leader ? '是' : '') },
];

interface OrderProblem {
  field: string;
  row: number;
  column: string;
  message: string;
}

/** Reads the reorder workbook: 申报编号 and 顺序 of each row, and the cells that are not numbers. */
export async function parseOrderWorkbook(content: Buffer): Promise<{ rows: Array<{ row: number; dossierId: number; orderNo: number }>; problems: OrderProblem[] }> {
  const sheet = await uploadedSheet(content, { notWorkbook: '导入文件不是有效的 Excel（.xlsx）文件', noSheet: '导入文件没有工作表', firstVisible: false });
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim());
  const idCol = header.indexOf(ORDER_HEADERS[0]);
  const orderCol = header.indexOf(ORDER_HEADERS[1]);
  if (idCol < 0 || orderCol < 0) throw new ValidationError('导入文件缺少“申报编号”或“顺序”列，请使用下载的模板', [{ field: 'fileId', message: '不是调整顺序模板' }]);
  const letter = (col: number) => String.fromCharCode(64 + col);
  const rows: Array<{ row: number; dossierId: number; orderNo: number }> = [];
  const problems: OrderProblem[] = [];
  const cell = (v: unknown) => {
    const raw = v && typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result : v;
    return typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(String(raw ?? '')) ? Number(String(raw).trim()) : NaN;
  };
  sheet.eachRow((r, n) => {
    if (n === 1) return;
    const values = r.values as unknown[];
    if (values.every((v) => v == null || String(v).trim() === '')) return;
    const dossierId = cell(values[idCol]);
    const orderNo = cell(values[orderCol]);
    if (!Number.isSafeInteger(dossierId) || dossierId <= 0) {
      problems.push({ field: `第${n}行.申报编号`, row: n, column: letter(idCol), message: `第 ${n} 行“申报编号”不是有效的编号，请勿修改该列` });
      return;
    }
    const orderOk = Number.isSafeInteger(orderNo) && orderNo > 0;
    if (!orderOk) problems.push({ field: `第${n}行.顺序`, row: n, column: letter(orderCol), message: `第 ${n} 行“顺序”应为正整数` });
    // a row whose 顺序 is wrong still names its candidate (so it is not reported missing too)
    rows.push({ row: n, dossierId, orderNo: orderOk ? orderNo : NaN });
  });
  return { rows, problems };
}

/** Every candidate exactly once, no one else, each 顺序 used once. */
function orderProblems(rows: Array<{ row: number; dossierId: number; orderNo: number }>, candidates: CandidateRow[]): OrderProblem[] {
  const problems: OrderProblem[] = [];
  const known = new Set(candidates.map((c) => Number(c.dossier_id)));
  const seenIds = new Map<number, number>();
  const seenOrder = new Map<number, number>();
  for (const r of rows) {
    if (!known.has(r.dossierId)) problems.push({ field: `第${r.row}行.申报编号`, row: r.row, column: 'A', message: `第 ${r.row} 行“申报编号”${r.dossierId} 不是本会议的参评人员` });
    else if (seenIds.has(r.dossierId)) problems.push({ field: `第${r.row}行.申报编号`, row: r.row, column: 'A', message: `第 ${r.row} 行“申报编号”与第 ${seenIds.get(r.dossierId)} 行重复` });
    else seenIds.set(r.dossierId, r.row);
    if (Number.isNaN(r.orderNo)) continue;
    if (seenOrder.has(r.orderNo)) problems.push({ field: `第${r.row}行.顺序`, row: r.row, column: 'B', message: `第 ${r.row} 行“顺序”${r.orderNo} 与第 ${seenOrder.get(r.orderNo)} 行重复` });
    else seenOrder.set(r.orderNo, r.row);
  }
  const missing = candidates.filter((c) => !seenIds.has(Number(c.dossier_id)));
  if (missing.length) problems.push({ field: '参评人员', row: 0, column: '', message: `导入文件缺少参评人员：${missing.map((c) => c.applicant_name).join('、')}` });
  return problems;
}
