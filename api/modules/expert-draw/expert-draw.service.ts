import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { maskPhone, type PiiCipher } from '../../src/pii.ts';
import {
  allot,
  DRAW_ALGORITHM,
  DRAW_LEVELS,
  drawExperts,
  groupLabel,
  listedCount,
  requiredOutsideOf,
  titleLevelOf,
  type DrawGroupInput,
  type DrawInputs,
  type DrawLevel,
  type DrawnExpert,
  type PoolExpert,
} from './expert-draw.draw.ts';
import { createExpertDrawRepository, type DrawContextRow, type DrawGroupRow, type ExpertDrawRow, type PoolRow } from './expert-draw.repository.ts';

type Actor = Pick<RequestActor, 'userId' | 'displayName' | 'unitId'>;

/** Where the committee sits, for the 20 % rule (notice 002: 本地、本单位以外的专家不少于 20%). */
export interface Locality {
  kind: 'region' | 'unit';
  regionCode: string | null;
  regionLevel: 'province' | 'city' | 'county' | null;
  unitName: string;
  label: string;
}

/** Inputs stored with a draw: what was asked, and the facts of the day it was asked. */
export interface StoredInputs extends DrawInputs {
  year: number;
  locality: Locality;
}

const PREFIX = { province: 2, city: 4, county: 6 } as const;

/**
 * 本地: for a committee organised by a 自主评审单位, its own staff (工作单位 = the unit's name); for
 * any other, experts whose 所在地区 lies in the organiser's region (its province, city or county by
 * the region's level). An expert without 所在地区 cannot be shown to be from elsewhere: local.
 */
export function localityOf(ctx: DrawContextRow): Locality {
  if (ctx.organizer_type === 'self_review_unit') {
    return { kind: 'unit', regionCode: ctx.organizer_region_code, regionLevel: ctx.organizer_region_level, unitName: ctx.organizer_name, label: `本单位（${ctx.organizer_name}）` };
  }
  return { kind: 'region', regionCode: ctx.organizer_region_code, regionLevel: ctx.organizer_region_level, unitName: ctx.organizer_name, label: `组建单位所在地区（${ctx.organizer_name}）` };
}

export function isOutside(locality: Locality, expert: Pick<PoolRow, 'region_code' | 'employer'>): boolean {
  if (locality.kind === 'unit') return expert.employer.trim() !== locality.unitName.trim();
  if (!locality.regionCode || !locality.regionLevel || !expert.region_code) return false;
  const n = PREFIX[locality.regionLevel];
  return expert.region_code.slice(0, n) !== locality.regionCode.slice(0, n);
}

const groupInput = (g: DrawGroupRow): DrawGroupInput => ({ groupNo: g.group_no, specialty: g.specialty, level: g.level, count: g.count });

/** 专家抽选 (draw groups, seeded draws, replay, acceptance) and 确认出席 of a meeting. */
export function createExpertDrawService(deps: { db: Knex; pii: PiiCipher; now: () => Date }) {
  const { db, pii, now } = deps;
  const repo = createExpertDrawRepository(db);

  async function contextOf(meetingId: number, trx?: Knex.Transaction): Promise<DrawContextRow> {
    const ctx = await repo.context(meetingId, trx);
    if (!ctx) throw new NotFoundError('评审会议不存在');
    return ctx;
  }

  /** the pool as the rules see it today: every in-pool active expert that matches a group */
  async function snapshot(ctx: DrawContextRow, groups: DrawGroupInput[], trx?: Knex.Transaction): Promise<PoolExpert[]> {
    const locality = localityOf(ctx);
    const rows = await repo.pool(ctx.committee_id, trx);
    const wanted = new Set(groups.map((g) => `${g.specialty}\u0000${g.level}`));
    const matching = rows.filter((r) => wanted.has(`${r.specialty.trim()}\u0000${titleLevelOf(r.current_title)}`));
    const [lastChairs, attended] = await Promise.all([
      repo.chairsOfYear(ctx.committee_id, ctx.year - 1, trx),
      repo.attendedYears(ctx.committee_id, [ctx.year - 1, ctx.year - 2, ctx.year - 3], trx),
    ]);
    const lastYear = new Set(lastChairs);
    return matching.map((r) => ({
      id: Number(r.id),
      specialty: r.specialty.trim(),
      level: titleLevelOf(r.current_title),
      isChair: r.is_chair,
      lastYearChair: lastYear.has(Number(r.id)),
      threeYears: (attended.get(Number(r.id))?.length ?? 0) >= 3,
      outside: isOutside(locality, r),
      regionCode: r.region_code,
      employer: r.employer,
    }));
  }

  async function groupsView(meetingId: number, trx?: Knex.Transaction) {
    const ctx = await contextOf(meetingId, trx);
    const groups = await repo.groups(meetingId, trx);
    const inputs = groups.map(groupInput);
    const pool = inputs.length ? await snapshot(ctx, inputs, trx) : [];
    const allotted = allot(pool, inputs);
    return groups.map((g) => {
      const mine = allotted.get(g.group_no) ?? [];
      return {
        id: Number(g.id),
        groupNo: g.group_no,
        specialty: g.specialty,
        level: g.level,
        levelLabel: DRAW_LEVELS[g.level],
        count: g.count,
        matching: mine.length,
        chairs: mine.filter((e) => e.isChair && !e.lastYearChair).length,
        outside: mine.filter((e) => e.outside).length,
        barred: mine.filter((e) => e.threeYears && !e.isChair).length,
      };
    });
  }

  /** experts matching a would-be group that no existing group holds */
  async function matchingCount(meetingId: number, specialty: string, level: DrawLevel): Promise<number> {
    const ctx = await contextOf(meetingId);
    const groups = (await repo.groups(meetingId)).map(groupInput);
    const probe: DrawGroupInput = { groupNo: Number.MAX_SAFE_INTEGER, specialty: specialty.trim(), level, count: 1 };
    const pool = await snapshot(ctx, [...groups, probe]);
    return allot(pool, [...groups, probe]).get(probe.groupNo)?.length ?? 0;
  }

  async function refuseOnceAccepted(meetingId: number, trx?: Knex.Transaction) {
    if (await repo.acceptedDraw(meetingId, trx)) throw new ConflictError('本会议已采用抽选结果，不能再修改抽选小组或重新抽选');
  }

  async function drawView(row: ExpertDrawRow | Omit<ExpertDrawRow, 'pool'>, withList: boolean) {
    const inputs = row.inputs as StoredInputs;
    const result = (row.result as DrawnExpert[] | null) ?? [];
    const names = withList ? await repo.expertNames(result.map((r) => r.expertId)) : new Map();
    const pool = 'pool' in row ? (row.pool as PoolExpert[]) : null;
    const byId = new Map((pool ?? []).map((e) => [e.id, e]));
    return {
      id: Number(row.id),
      status: row.status,
      algorithm: row.algorithm,
      seed: row.seed,
      multiplier: inputs.multiplier,
      year: inputs.year,
      locality: inputs.locality.label,
      groups: inputs.groups.map((g) => ({ ...g, label: groupLabel(g), listed: listedCount(g.count, inputs.multiplier) })),
      refusal: (row.refusal as { rule: string; message: string } | null) ?? null,
      drawnBy: row.drawn_by_name,
      drawnAt: row.drawn_at.toISOString(),
      acceptedAt: row.accepted_at ? row.accepted_at.toISOString() : null,
      principals: result.filter((r) => r.role === 'principal').length,
      alternates: result.filter((r) => r.role === 'alternate').length,
      pool: pool
        ? {
            size: pool.length,
            chairs: pool.filter((e) => e.isChair && !e.lastYearChair).length,
            lastYearChairs: pool.filter((e) => e.isChair && e.lastYearChair).length,
            barredThreeYears: pool.filter((e) => e.threeYears && !e.isChair).length,
            outside: pool.filter((e) => e.outside).length,
          }
        : null,
      list: withList
        ? result.map((r) => {
            const e = byId.get(r.expertId);
            const n = names.get(r.expertId);
            return {
              ...r,
              name: n?.name ?? '',
              employer: n?.employer ?? e?.employer ?? '',
              currentTitle: n?.currentTitle ?? '',
              isChair: e ? e.isChair && !e.lastYearChair : false,
              outside: e?.outside ?? false,
            };
          })
        : [],
    };
  }

  return {
    repo,
    contextOf,
    groupsView,
    matchingCount,

    async addGroup(meetingId: number, actor: Actor, body: { specialty: string; level: DrawLevel; count: number }) {
      await refuseOnceAccepted(meetingId);
      const specialty = body.specialty.trim();
      const matching = await matchingCount(meetingId, specialty, body.level);
      if (matching === 0) {
        throw new ValidationError(`专家库中没有尚未分组的${specialty}·${DRAW_LEVELS[body.level]}在库活跃专家`, [{ field: 'specialty', message: '没有符合条件的在库活跃专家' }]);
      }
      if (body.count > matching) {
        throw new ValidationError(`抽取人数不能超过符合条件的专家人数（${matching} 名）`, [{ field: 'count', message: `抽取人数不能超过 ${matching}` }]);
      }
      await db.transaction((trx) =>
        repo.addGroup({ meeting_id: meetingId, specialty, level: body.level, count: body.count, created_by: actor.userId, created_at: now() }, trx),
      );
      return groupsView(meetingId);
    },

    async removeGroup(meetingId: number, groupId: number) {
      await refuseOnceAccepted(meetingId);
      await repo.removeGroup(meetingId, groupId);
    },

    async draws(meetingId: number) {
      const rows = await repo.draws(meetingId);
      return Promise.all(rows.map((r) => drawView(r, false)));
    },

    async draw(meetingId: number, drawId: number) {
      const row = await repo.draw(meetingId, drawId);
      if (!row) throw new NotFoundError('抽选记录不存在');
      return drawView(row, true);
    },

    /**
     * 开始抽选: a fresh 32-byte seed from crypto.randomBytes drives the draw; the draw is stored
     * whatever comes of it (a refusal too, with the rule), so the audit sees every attempt.
     */
    async run(meetingId: number, actor: Actor, multiplier: number) {
      await refuseOnceAccepted(meetingId);
      const ctx = await contextOf(meetingId);
      const groups = (await repo.groups(meetingId)).map(groupInput);
      if (!groups.length) throw new ValidationError('请先新增抽选小组', [{ field: 'groups', message: '没有抽选小组' }]);
      const pool = await snapshot(ctx, groups);
      const seed = randomBytes(32);
      const inputs: StoredInputs = { multiplier, groups, year: ctx.year, locality: localityOf(ctx) };
      const outcome = drawExperts(inputs, pool, seed);
      const row = await repo.insertDraw({
        meeting_id: meetingId,
        status: outcome.ok ? 'drawn' : 'refused',
        algorithm: DRAW_ALGORITHM,
        inputs,
        pool,
        seed: seed.toString('hex'),
        result: outcome.ok ? outcome.list : null,
        refusal: outcome.ok ? null : { rule: outcome.rule, message: outcome.message, required: outcome.required, available: outcome.available },
        drawn_by: actor.userId,
        drawn_by_name: actor.displayName,
        drawn_at: now(),
      });
      if (!outcome.ok) {
        throw new ConflictError(`抽选未完成：${outcome.message}`, { rule: outcome.rule, required: outcome.required, available: outcome.available, drawId: Number(row.id) });
      }
      return drawView(row, true);
    },

    /** 专家库快照: the experts a stored draw read, with the facts the rules read and what became of each, a page at a time */
    async snapshot(meetingId: number, drawId: number, page: { offset: number; limit: number }) {
      const row = await repo.draw(meetingId, drawId);
      if (!row) throw new NotFoundError('抽选记录不存在');
      const inputs = row.inputs as StoredInputs;
      const pool = row.pool as PoolExpert[];
      const allotted = allot(pool, inputs.groups);
      const groupOf = new Map<number, number>();
      for (const [groupNo, experts] of allotted) for (const e of experts) groupOf.set(e.id, groupNo);
      const result = new Map(((row.result as DrawnExpert[] | null) ?? []).map((r) => [r.expertId, r.role === 'principal' ? '正选' : `候补${r.altOrder}`]));
      const ordered = [...pool].sort((a, b) => (groupOf.get(a.id) ?? 1e9) - (groupOf.get(b.id) ?? 1e9) || a.id - b.id);
      const slice = ordered.slice(page.offset, page.offset + page.limit);
      const names = await repo.expertNames(slice.map((e) => e.id));
      return {
        total: pool.length,
        rows: slice.map((e) => ({
          expertId: e.id,
          name: names.get(e.id)?.name ?? '',
          groupNo: groupOf.get(e.id) ?? null,
          specialty: e.specialty,
          levelLabel: DRAW_LEVELS[e.level],
          isChair: e.isChair,
          lastYearChair: e.lastYearChair,
          threeYears: e.threeYears && !e.isChair,
          outside: e.outside,
          regionCode: e.regionCode,
          employer: e.employer,
          drawn: result.get(e.id) ?? null,
        })),
      };
    },

    /** 重放: the stored inputs, pool snapshot and seed through the same procedure; the list must come out the same */
    async replay(meetingId: number, drawId: number) {
      const row = await repo.draw(meetingId, drawId);
      if (!row) throw new NotFoundError('抽选记录不存在');
      if (row.algorithm !== DRAW_ALGORITHM) throw new ConflictError(`该抽选使用的算法 ${row.algorithm} 已不再提供，无法重放`);
      const outcome = drawExperts(row.inputs as StoredInputs, row.pool as PoolExpert[], Buffer.from(row.seed, 'hex'));
      // jsonb keeps its own key order: compare the entries, not the text
      const key = (list: DrawnExpert[] | null) => JSON.stringify(list?.map((e) => [e.expertId, e.groupNo, e.role, e.altOrder]) ?? null);
      const stored = key(row.result as DrawnExpert[] | null);
      const again = key(outcome.ok ? outcome.list : null);
      const refusalSame = !outcome.ok && (row.refusal as { message?: string } | null)?.message === outcome.message;
      const same = outcome.ok ? stored === again : refusalSame;
      const view = await drawView({ ...row, result: outcome.ok ? outcome.list : null }, true);
      return {
        same,
        message: same ? '重放结果与原抽选结果完全一致' : '重放结果与原抽选结果不一致',
        refusal: outcome.ok ? null : outcome.message,
        list: view.list,
      };
    },

    /** 采用: the drawn list becomes the meeting's experts (principals and alternates), with the recusals against its candidates */
    async accept(meetingId: number, actor: Actor, drawId: number) {
      const at = now();
      await db.transaction(async (trx) => {
        await repo.lockMeeting(meetingId, trx);
        const row = await repo.draw(meetingId, drawId, trx);
        if (!row) throw new NotFoundError('抽选记录不存在');
        if (row.status !== 'drawn') throw new ConflictError(row.status === 'refused' ? '未完成的抽选不能采用' : '本次抽选结果已不能采用');
        await repo.markAccepted(meetingId, drawId, actor.userId, at, trx);
        const list = row.result as DrawnExpert[];
        await repo.insertMeetingExperts(
          list.map((r) => ({ meeting_id: meetingId, expert_id: r.expertId, draw_id: drawId, group_no: r.groupNo, role: r.role, alt_order: r.altOrder, updated_at: at })),
          trx,
        );
        await repo.recordRecusals(meetingId, at, trx);
      });
      const row = await repo.draw(meetingId, drawId);
      return drawView(row!, true);
    },

    /**
     * 确认出席's list. `fullPhones`: the organiser's clerk who phones the drawn experts sees their
     * numbers (the route records the view); any other reader sees them masked.
     */
    async attendanceView(meetingId: number, options: { fullPhones: boolean }) {
      const [rows, recusals, events, problems] = await Promise.all([repo.attendance(meetingId), repo.recusals(meetingId), repo.events(meetingId), attendanceProblems(meetingId)]);
      const accepted = await repo.acceptedDraw(meetingId);
      const pool = accepted ? (((await repo.draw(meetingId, Number(accepted.id)))!.pool as PoolExpert[]) ?? []) : [];
      const flags = new Map(pool.map((e) => [e.id, e]));
      const names = new Map(rows.map((r) => [Number(r.expert_id), r.name]));
      return {
        drawId: accepted ? Number(accepted.id) : null,
        experts: rows.map((r) => ({
          expertId: Number(r.expert_id),
          name: r.name,
          employer: r.employer,
          phone: (options.fullPhones ? pii.reveal(r.phone1_enc, r.phone1) : maskPhone(pii.reveal(r.phone1_enc, r.phone1))) ?? '',
          specialty: r.specialty,
          currentTitle: r.current_title,
          isChair: r.is_chair && !(flags.get(Number(r.expert_id))?.lastYearChair ?? false),
          lastYearChair: flags.get(Number(r.expert_id))?.lastYearChair ?? false,
          outside: flags.get(Number(r.expert_id))?.outside ?? false,
          regionName: r.region_name,
          groupNo: r.group_no,
          role: r.role,
          altOrder: r.alt_order,
          attendance: r.attendance,
          cancelReason: r.cancel_reason,
          isExecutiveChair: r.is_executive_chair,
          promotedFor: r.promoted_for == null ? null : (names.get(Number(r.promoted_for)) ?? null),
          recusals: recusals.filter((x) => Number(x.expert_id) === Number(r.expert_id)).map((x) => ({ dossierId: Number(x.dossier_id), applicantName: x.applicant_name, employer: x.employer })),
        })),
        problems,
        events: events.map((e) => ({ id: Number(e.id), expertName: e.expert_name, action: e.action, reason: e.reason, actorName: e.actor_name, at: e.created_at.toISOString() })),
      };
    },

    /** 确认出席 / 取消出席 of several experts at once (all or nothing); a cancelled principal's seat goes to the group's next alternate */
    async setAttendance(meetingId: number, actor: Actor, body: { expertIds: number[]; action: 'confirm' | 'cancel'; reason?: string | undefined }) {
      const reason = body.reason?.trim() || null;
      if (body.action === 'cancel' && !reason) throw new ValidationError('取消出席须填写原因', [{ field: 'reason', message: '请填写取消原因' }]);
      const ids = [...new Set(body.expertIds)];
      const at = now();
      return db.transaction(async (trx) => {
        await repo.lockMeeting(meetingId, trx);
        const rows = await repo.attendance(meetingId, trx);
        const byId = new Map(rows.map((r) => [Number(r.expert_id), r]));
        const unknown = ids.filter((id) => !byId.has(id));
        if (unknown.length) throw new ValidationError(`以下专家不是本会议抽选出的专家：${unknown.join('、')}`, [{ field: 'expertIds', message: '不是本会议抽选出的专家' }]);
        const from: Array<'pending' | 'confirmed'> = body.action === 'confirm' ? ['pending'] : ['pending', 'confirmed'];
        const wrong = ids.filter((id) => !from.includes(byId.get(id)!.attendance as 'pending'));
        if (wrong.length) {
          const names = wrong.map((id) => `${byId.get(id)!.name}（${{ pending: '待确认', confirmed: '已确认出席', cancelled: '已取消' }[byId.get(id)!.attendance]}）`);
          throw new ConflictError(`${body.action === 'confirm' ? '确认出席' : '取消出席'}未办理：${names.join('、')}`);
        }
        const n = await repo.setAttendance(meetingId, ids, from, body.action === 'confirm' ? 'confirmed' : 'cancelled', body.action === 'cancel' ? reason : null, actor.userId, at, trx);
        if (n !== ids.length) throw new ConflictError('出席情况已被他人修改，请刷新后重试');
        const events = ids.map((id) => ({ meeting_id: meetingId, expert_id: id, action: body.action as string, reason: body.action === 'cancel' ? reason : null, actor_id: actor.userId, actor_name: actor.displayName, created_at: at }));
        const promoted: Array<{ expertId: number; name: string; replacing: string; groupNo: number }> = [];
        const unfilled: string[] = [];
        if (body.action === 'cancel') {
          // a 外地 principal's seat goes to the group's next 外地 alternate when there is one, so that a
          // cancellation does not break the 20 % rule that the draw met (the list order decides otherwise)
          const accepted = await repo.acceptedDraw(meetingId, trx);
          const pool = accepted ? (((await repo.draw(meetingId, Number(accepted.id), trx))?.pool as PoolExpert[] | undefined) ?? []) : [];
          const outside = new Set(pool.filter((e) => e.outside).map((e) => Number(e.id)));
          for (const id of ids) {
            const r = byId.get(id)!;
            if (r.role !== 'principal' || r.group_no == null) continue;
            const next = await repo.promoteNext(meetingId, r.group_no, id, at, trx, outside.has(id) ? [...outside] : []);
            if (next == null) {
              unfilled.push(`第${r.group_no}组`);
              continue;
            }
            promoted.push({ expertId: next, name: byId.get(next)?.name ?? '', replacing: r.name, groupNo: r.group_no });
            events.push({ meeting_id: meetingId, expert_id: next, action: 'promote', reason: `递补${r.name}`, actor_id: actor.userId, actor_name: actor.displayName, created_at: at });
          }
        }
        await repo.addEvents(events, trx);
        return { changed: ids.length, promoted, unfilled };
      });
    },

    async executiveChair(meetingId: number, actor: Actor, expertId: number) {
      const at = now();
      await db.transaction(async (trx) => {
        await repo.lockMeeting(meetingId, trx);
        const row = (await repo.attendance(meetingId, trx)).find((r) => Number(r.expert_id) === expertId);
        if (!row || !row.is_chair || row.role !== 'principal' || row.attendance !== 'confirmed') {
          throw new ValidationError('执行主任须为确认出席的主任委员', [{ field: 'expertId', message: '请选择确认出席的主任委员' }]);
        }
        const n = await repo.setExecutiveChair(meetingId, expertId, at, trx);
        if (n !== 1) throw new ConflictError('出席情况已被他人修改，请刷新后重试');
        await repo.addEvents([{ meeting_id: meetingId, expert_id: expertId, action: 'executive_chair', reason: null, actor_id: actor.userId, actor_name: actor.displayName, created_at: at }], trx);
      });
    },

    attendanceProblems,
  };

  /**
   * What keeps 确认出席 from being done: principals not yet called, seats short after cancellations,
   * no 主任委员 (or several and no 执行主任), fewer than 20 % of the attending from elsewhere.
   */
  async function attendanceProblems(meetingId: number, trx?: Knex.Transaction): Promise<string[]> {
    const accepted = await repo.acceptedDraw(meetingId, trx);
    if (!accepted) return ['尚未采用抽选结果'];
    const draw = (await repo.draw(meetingId, Number(accepted.id), trx))!;
    const inputs = draw.inputs as StoredInputs;
    const flags = new Map((draw.pool as PoolExpert[]).map((e) => [e.id, e]));
    const rows = await repo.attendance(meetingId, trx);
    const principals = rows.filter((r) => r.role === 'principal');
    const problems: string[] = [];
    const pending = principals.filter((r) => r.attendance === 'pending');
    if (pending.length) problems.push(`还有 ${pending.length} 名正选专家未确认出席：${pending.map((r) => r.name).join('、')}`);
    for (const g of inputs.groups) {
      const seated = principals.filter((r) => r.group_no === g.groupNo && r.attendance !== 'cancelled').length;
      if (seated < g.count) problems.push(`${groupLabel(g)}正选专家不足：需 ${g.count} 名，现有 ${seated} 名（候补专家已用完）`);
    }
    const confirmed = principals.filter((r) => r.attendance === 'confirmed');
    const chairs = confirmed.filter((r) => r.is_chair && !flags.get(Number(r.expert_id))?.lastYearChair);
    if (!pending.length) {
      if (chairs.length === 0) problems.push('确认出席的专家中没有主任委员：需至少 1 名');
      else if (chairs.length > 1 && !confirmed.some((r) => r.is_executive_chair)) problems.push(`确认出席的主任委员有 ${chairs.length} 名，请指定执行主任`);
      const required = requiredOutsideOf(confirmed.length);
      const outside = confirmed.filter((r) => flags.get(Number(r.expert_id))?.outside).length;
      if (outside < required) problems.push(`外地专家不足：确认出席的 ${confirmed.length} 名专家中需至少 ${required} 名外地专家，现有 ${outside} 名`);
    }
    return problems;
  }
}

export type ExpertDrawService = ReturnType<typeof createExpertDrawService>;
