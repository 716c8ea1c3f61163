import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/engine.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { shanghaiDate } from '../calendar/calendar.service.ts';
import { meetingInScope } from '../meetings/meetings.scope.ts';
import { noticeCandidate, periodWorkingDays } from './result-publicity.flow.ts';
import { createPublicityRepository, type ComplaintListRow, type NoticeListRow } from './result-publicity.repository.ts';
import { auditPiiView, openSealed, sealedWrite, type PiiCipher } from '../../src/pii.ts';
import { COMPLAINTS_SEALED, maskedComplainant } from './result-publicity.pii.ts';

export const COMPLAINT_PROCESS = 'publicity-complaint';

const NOTICE_STATUS: Record<NoticeListRow['status'], string> = { drafting: '待发布', published: '公示中', holding: '公示期满（投诉办理中）', ended: '公示结束' };
const COMPLAINT_STATUS: Record<ComplaintListRow['status'], string> = { investigating: '调查核实中', upheld: '属实', dismissed: '不属实' };

export interface ComplaintInput {
  dossierId: number;
  reason: string;
  evidence: string[];
  complainantName?: string;
  complainantPhone?: string;
  complainantIdentity?: string;
}

function noticeView(n: NoticeListRow) {
  return {
    id: Number(n.id),
    meetingId: Number(n.meeting_id),
    title: n.title ?? `${n.committee_name}评审结果公示`,
    committeeName: n.committee_name,
    activityName: n.activity_name,
    meetingName: n.meeting_name,
    status: n.status,
    statusLabel: NOTICE_STATUS[n.status],
    periodStart: n.period_start,
    periodEnd: n.period_end,
    contactPerson: n.contact_person,
    contactPhone: n.contact_phone,
    contactAddress: n.contact_address,
    publishedAt: n.published_at ? n.published_at.toISOString() : null,
    endedAt: n.ended_at ? n.ended_at.toISOString() : null,
    passedCount: Number(n.passed_count),
  };
}

/**
 * A complaint as shown. `withComplainant`: the committee's page (the complainant's numbers masked;
 * 查看 opens them); `typed`: the answer to the clerk who just entered them, whole.
 */
function complaintView(c: ComplaintListRow, withComplainant: boolean, typed = false) {
  const masked = maskedComplainant(c);
  return {
    id: Number(c.id),
    noticeId: Number(c.notice_id),
    meetingId: Number(c.meeting_id),
    meetingName: c.meeting_name,
    committeeName: c.committee_name,
    dossierId: Number(c.dossier_id),
    candidateName: c.candidate_name,
    kind: c.kind,
    kindLabel: c.kind === 'online' ? '我要反馈' : '线下投诉',
    reason: c.reason,
    evidence: c.evidence.map((e) => ({ id: e.id, name: e.name, size: Number(e.size), mime: e.mime })),
    status: c.status,
    statusLabel: COMPLAINT_STATUS[c.status],
    conclusion: c.conclusion,
    concludedAt: c.concluded_at ? c.concluded_at.toISOString() : null,
    createdAt: c.created_at.toISOString(),
    complainantName: withComplainant ? c.complainant_name : null,
    complainantPhone: withComplainant ? (typed ? c.complainant_phone : masked.phone) : null,
    complainantIdentity: withComplainant ? (typed ? c.complainant_identity : masked.identity) : null,
    instanceId: withComplainant ? c.instance_id : null,
  };
}

export function createPublicityService(deps: { db: Knex; engine: WorkflowEngine; now: () => Date; cipher: PiiCipher }) {
  const { db, engine, now, cipher } = deps;
  const repo = createPublicityRepository(db);
  /** a complaint row with its complainant's numbers opened from their seals */
  const opened = (c: ComplaintListRow): ComplaintListRow => openSealed(cipher, COMPLAINTS_SEALED, c);

  async function publishedNotice(id: number) {
    const n = await repo.notice(id);
    if (!n || n.status === 'drafting') throw new NotFoundError('公示公告不存在');
    return n;
  }

  async function noticeWithCandidates(n: NoticeListRow) {
    const candidates = (await repo.candidates(Number(n.meeting_id))).map(noticeCandidate);
    return { ...noticeView(n), candidates };
  }

  /** A complaint is its own small flow (publicity-complaint.bpmn): the row, the case and the evidence commit together. */
  async function file(actor: RequestActor, notice: NoticeListRow, input: ComplaintInput, kind: 'online' | 'offline') {
    const today = shanghaiDate(now());
    if (notice.status !== 'published' || (notice.period_end != null && today > notice.period_end)) throw new ConflictError('该公示已结束，不再受理投诉');
    const candidate = await repo.candidateOf(Number(notice.meeting_id), input.dossierId);
    if (!candidate) throw new ValidationError('被投诉人不在该公示名单中', [{ field: 'dossierId', message: '被投诉人不在该公示名单中' }]);
    if (candidate.status !== 'passed') throw new ConflictError(`${candidate.name}的评审结果已撤销`);
    const ids = [...new Set(input.evidence)];
    const files = await repo.ownFiles(ids, actor.userId);
    const bad = ids.filter((id) => {
      const f = files.find((x) => x.id === id);
      return !f || Number(f.uploaded_by) !== actor.userId || f.root_instance_id != null;
    });
    if (bad.length) throw new ValidationError('证明材料须为本人刚上传的附件', [{ field: 'evidence', message: '证明材料须为本人刚上传的附件' }]);
    let complaintId = 0;
    const instanceId = await engine.startInstance({
      processKey: COMPLAINT_PROCESS,
      actor,
      checkStarter: false,
      prepare: async (trx) => {
        complaintId = await repo.insertComplaint(
          {
            notice_id: Number(notice.id),
            dossier_id: input.dossierId,
            kind,
            complainant_user_id: kind === 'online' ? actor.userId : null,
            complainant_name: kind === 'online' ? actor.displayName : (input.complainantName ?? null),
            // sealed as written: the plain columns stay empty
            ...(sealedWrite(cipher, COMPLAINTS_SEALED, { complainant_phone: input.complainantPhone ?? null, complainant_identity: input.complainantIdentity ?? null }) as { complainant_phone: null; complainant_identity: null }),
            reason: input.reason,
            evidence: files.map((f) => ({ id: f.id, name: f.name, size: Number(f.size), mime: f.mime })),
            created_by: actor.userId,
            created_at: now(),
          },
          trx,
        );
        return {
          businessKey: `publicity-complaint:${complaintId}`,
          variables: {
            complaintId,
            noticeId: Number(notice.id),
            meetingId: Number(notice.meeting_id),
            dossierId: input.dossierId,
            candidateName: candidate.name,
            meetingName: notice.meeting_name,
            organizerUnitId: Number(notice.organizer_unit_id),
          },
          afterStart: async (t, id) => {
            await repo.setComplaintInstance(complaintId, id, t);
            await repo.attachFiles(ids, id, t);
          },
        };
      },
    });
    void instanceId;
    const row = await repo.complaint(complaintId);
    if (!row) throw new NotFoundError('投诉不存在');
    return complaintView(opened(row), kind === 'offline', true);
  }

  return {
    repo,
    now,

    /** Public: every published notice, newest first. */
    async publicList() {
      return (await repo.publicNotices()).map(noticeView);
    },

    async publicNotice(id: number) {
      return noticeWithCandidates(await publishedNotice(id));
    },

    async publicPdf(id: number) {
      const n = await publishedNotice(id);
      const pdf = await repo.pdf(Number(n.id));
      if (!pdf) throw new NotFoundError('公示公告不存在');
      return { pdf, name: `${n.title ?? '评审结果公示'}.pdf` };
    },

    /** 评审结果公示 (committee): the meeting's notice, its candidates, its complaints and the open 发布 task. */
    async meetingPublicity(actor: RequestActor, meetingId: number) {
      const meeting = await meetingInScope(db, actor, meetingId, 'read');
      // the supervising committee reads; only the organiser's clerks publish and investigate
      const access: 'manage' | 'read' = actor.unitId === Number(meeting.organizer_unit_id) ? 'manage' : 'read';
      const n = await repo.noticeOfMeeting(meetingId);
      if (!n) return { access, notice: null, candidates: [], complaints: [], publishTaskId: null };
      const tasks = n.instance_id ? await engine.repo.openTasksOfRoot(n.instance_id) : [];
      const complaints = (await repo.complaintsOfNotice(Number(n.id))).map((c) => complaintView(opened(c), true));
      const open = await Promise.all(
        complaints.map(async (c) => (c.instanceId && c.status === 'investigating' ? ((await engine.repo.openTasksOfRoot(c.instanceId))[0]?.id ?? null) : null)),
      );
      return {
        access,
        notice: await noticeWithCandidates(n),
        candidates: [],
        complaints: complaints.map((c, i) => ({ ...c, taskId: open[i] ?? null })),
        publishTaskId: tasks.find((t) => t.elementId === 'publish')?.id ?? null,
      };
    },

    /** 录入线下投诉结果: the committee enters a complaint it received offline. */
    async offlineComplaint(actor: RequestActor, meetingId: number, input: ComplaintInput) {
      await meetingInScope(db, actor, meetingId, 'manage');
      const n = await repo.noticeOfMeeting(meetingId);
      if (!n || n.status === 'drafting') throw new ConflictError('该评审会议尚未发布公示公告');
      return file(actor, n, input, 'offline');
    },

    /** 我要反馈: anyone logged in, against a candidate of an open notice. */
    async onlineComplaint(actor: RequestActor, noticeId: number, input: ComplaintInput) {
      return file(actor, await publishedNotice(noticeId), input, 'online');
    },

    /** 我的反馈: the complainant's own complaints with their conclusions. */
    async mine(actor: RequestActor) {
      return (await repo.complaintsOf(actor.userId)).map((c) => complaintView(c, false));
    },

    /**
     * 查看完整: a complainant's phone (`phone`) or 身份证号或单位 (`idNumber`) for the organiser's clerk
     * who investigates the complaint (the route checked the meeting's scope: manage); recorded.
     */
    async complainantPii(actor: RequestActor, meetingId: number, complaintId: number, field: 'phone' | 'idNumber') {
      const row = await repo.complaint(complaintId);
      if (!row || Number(row.meeting_id) !== meetingId) throw new NotFoundError('投诉不存在');
      const c = opened(row);
      await auditPiiView(db, actor, { subject: 'complaint', id: complaintId, fields: [field], unitId: actor.unitId, personName: c.complainant_name }, now());
      return { field, value: field === 'phone' ? c.complainant_phone : c.complainant_identity };
    },

    periodWorkingDays,
  };
}

export type PublicityService = ReturnType<typeof createPublicityService>;
