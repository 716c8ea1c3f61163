import type { Knex } from 'knex';
import type { ServiceHandler, ServiceHandlerContext } from '../../../engine/types.ts';
import { createFlowNoticesRepository, type NoticeDossierRow } from './flow-notices.repository.ts';
import { sendMessage } from './messages.service.ts';

/**
 * 消息通知 at the flows' moments. Each notice commits with the step that caused it and carries a
 * dedupe key made of what the step is about — the dossier and how many of its case's tasks were
 * completed before (a retried step sees the same number, a second return a larger one), a
 * publicity notice, a deadline — never the clock, so a retry writes nothing new.
 */

const shanghai = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const when = (d: Date) => shanghai.format(d).replace(/\//g, '-');

type Db = Knex | Knex.Transaction;

async function toApplicant(db: Db, d: NoticeDossierRow, n: { kind: string; title: string; body: string; key: string }, at: Date): Promise<boolean> {
  // an applicant without an employer has no unit: the message names them alone
  return sendMessage(db, { unitId: d.applicant_unit_id == null ? null : Number(d.applicant_unit_id), userId: Number(d.applicant_id), permission: 'dossier.apply', kind: n.kind, title: n.title, body: n.body, link: `/my-dossiers/${d.id}`, dedupeKey: n.key }, at);
}

async function toUnit(db: Db, unitId: number, d: NoticeDossierRow, n: { kind: string; title: string; body: string; key: string }, at: Date): Promise<boolean> {
  return sendMessage(db, { unitId, kind: n.kind, title: n.title, body: n.body, link: `/dossiers/${d.id}`, dedupeKey: n.key }, at);
}

const opinionOf = (variables: Readonly<Record<string, unknown>>) => (typeof variables.opinion === 'string' && variables.opinion.trim() ? `意见：${variables.opinion.trim()}` : '');

/** The notices of one step of the dossier's case, after its handler ran (in its transaction). */
export async function noticeDossierStep(handler: string, ctx: ServiceHandlerContext, output: Record<string, unknown>): Promise<number> {
  const { trx, variables } = ctx;
  const dossierId = Number(variables.dossierId);
  if (!Number.isSafeInteger(dossierId)) return 0;
  const repo = createFlowNoticesRepository(trx);
  const d = await repo.dossier(dossierId, trx);
  if (!d) return 0;
  const at = ctx.clock.now();
  const occurrence = async () => `${dossierId}:${await repo.completedTasks(ctx.rootInstanceId, trx)}`;
  const who = `${d.applicant_name}（${d.activity_name}）`;
  let sent = 0;
  switch (handler) {
    case 'dossier.passed': {
      if (d.holder_unit_id == null) break;
      const key = `dossier-passed:${await occurrence()}:${d.holder_unit_id}`;
      if (await toUnit(trx, Number(d.holder_unit_id), d, { kind: 'dossier.passed', title: `收到报送的申报材料：${who}`, body: `下级单位已审核通过并报送，请及时审核。${opinionOf(variables)}`, key }, at)) sent++;
      break;
    }
    case 'dossier.returnedTo': {
      const to = String(output.returnTarget ?? ctx.input.to ?? 'applicant');
      const chain = (variables.chain ?? {}) as Record<string, unknown>;
      const unitId = to === 'applicant' ? null : Number(chain[to]);
      if (unitId == null || !Number.isSafeInteger(unitId)) break;
      const key = `dossier-return:${await occurrence()}:unit:${unitId}`;
      if (await toUnit(trx, unitId, d, { kind: 'dossier.returned', title: `申报材料被退回重新审核：${who}`, body: `上级单位退回本单位重新审核，${when(at)}。${opinionOf(variables)}`, key }, at)) sent++;
      break;
    }
    case 'dossier.returned': {
      const key = `dossier-return:${await occurrence()}:applicant`;
      if (await toApplicant(trx, d, { kind: 'dossier.returned', title: `申报材料被退回：${d.activity_name}`, body: `您的申报材料被退回，请按意见修改后重新提交，${when(at)}。${opinionOf(variables)}`, key }, at)) sent++;
      break;
    }
    case 'dossier.rejected': {
      const key = `dossier-reject:${await occurrence()}`;
      if (await toApplicant(trx, d, { kind: 'dossier.rejected', title: `申报审核不通过：${d.activity_name}`, body: `您的申报材料审核不通过，本年度不能再次申报该评审活动，${when(at)}。${opinionOf(variables)}`, key }, at)) sent++;
      break;
    }
    case 'dossier.resultRecorded': {
      if (ctx.input.stage !== 'certificate') break;
      const no = typeof variables.certificateNo === 'string' ? `证书编号：${variables.certificateNo}。` : '';
      if (await toApplicant(trx, d, { kind: 'dossier.certificate', title: `电子证书已发放：${d.activity_name}`, body: `您的职称电子证书已发放，可在“我的申报”中查看和下载。${no}`, key: `dossier-certificate:${dossierId}` }, at)) sent++;
      break;
    }
    default:
      break;
  }
  return sent;
}

const NOTICED = ['dossier.passed', 'dossier.returnedTo', 'dossier.returned', 'dossier.rejected', 'dossier.resultRecorded'];

/**
 * The dossier flow's handlers with their notices: each named handler runs as before, then its
 * notices are written in the same transaction. The dossiers module calls this once on its handlers.
 */
export function withFlowNotices(handlers: Record<string, ServiceHandler>): Record<string, ServiceHandler> {
  const out = { ...handlers };
  for (const name of NOTICED) {
    const inner = handlers[name];
    if (!inner) continue;
    out[name] = async (ctx) => {
      const result = (await inner(ctx)) ?? {};
      await noticeDossierStep(name, ctx, result);
      return result;
    };
  }
  return out;
}

/** 公示开始: every candidate the notice names is told once (per notice). */
export async function noticePublicityStarted(trx: Knex.Transaction, p: { noticeId: number; meetingId: number; title: string; periodStart: string; periodEnd: string }, at: Date): Promise<number> {
  const repo = createFlowNoticesRepository(trx);
  const dossiers = await repo.dossiers(await repo.passedCandidates(p.meetingId, trx), trx);
  let sent = 0;
  for (const d of dossiers) {
    const body = `${p.title}已发布，公示期 ${p.periodStart} 至 ${p.periodEnd}。`;
    if (await toApplicant(trx, d, { kind: 'publicity.started', title: `评审结果公示开始：${d.activity_name}`, body, key: `publicity-started:${p.noticeId}:${d.id}` }, at)) sent++;
  }
  return sent;
}

/**
 * 修改期限临近: a returned dossier whose revision deadline falls within the next day reminds its
 * applicant once per deadline (an extended deadline reminds again). Idempotent; any process may run it.
 */
export async function remindRevisionDeadlines(db: Knex, now: Date): Promise<number[]> {
  const repo = createFlowNoticesRepository(db);
  const due = await repo.revisionDeadlinesBetween(now, new Date(now.getTime() + 24 * 3600_000));
  const reminded: number[] = [];
  for (const d of due) {
    const deadline = new Date(d.deadline);
    const ok = await toApplicant(
      db,
      d,
      { kind: 'dossier.revisionDeadline', title: `修改提交截止临近：${d.activity_name}`, body: `退回的申报材料须在 ${when(deadline)} 前修改并重新提交，逾期视为放弃。`, key: `revision-near:${d.id}:${deadline.toISOString()}` },
      now,
    );
    if (ok) reminded.push(Number(d.id));
  }
  return reminded;
}
