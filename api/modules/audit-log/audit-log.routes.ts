import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { errorResponses } from '../../src/schemas.ts';
import { sendXlsx, workbookOf } from '../../src/xlsx.ts';
import { auditEvent, auditFilter, type AuditEventJson } from './audit-log.schemas.ts';
import { createAuditLogRepository, type AuditEventFilter, type AuditEventRecord } from './audit-log.repository.ts';
import { ACTIONS, actionName, fieldName, TARGET_TYPES, valueText } from './audit-log.labels.ts';

/** Deep pages and exports stop here: beyond, a person narrows the search (time, person, action). */
export const MAX_ROWS = 10_000;

const tags = ['操作审计'];

type Values = Record<string, unknown> | null;
const isRecord = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * Before and after of an event: what it recorded as `{ before, after }`, or, for an event that
 * recorded facts only (a creation, a lock), those facts as the after side.
 */
function sides(data: Record<string, unknown> | null): { before: Values; after: Values } {
  if (!data) return { before: null, after: null };
  if ('before' in data || 'after' in data) {
    const rest = Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'before' && k !== 'after'));
    const wrap = (v: unknown): Values => (v === undefined || v === null ? null : isRecord(v) ? v : { value: v });
    const after = wrap(data.after);
    return { before: wrap(data.before), after: Object.keys(rest).length ? { ...rest, ...after } : after };
  }
  return { before: null, after: data };
}

export function toJson(e: AuditEventRecord): AuditEventJson {
  const { before, after } = sides(e.data);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const changes = keys.map((field) => {
    const b = valueText(field, before?.[field]);
    const a = valueText(field, after?.[field]);
    return { field, label: fieldName(field), before: b, after: a, changed: b !== a };
  });
  return {
    id: e.id,
    createdAt: e.createdAt.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    actorUnitName: e.actorUnitName,
    action: e.action,
    actionName: actionName(e.action),
    targetType: e.targetType,
    targetTypeName: TARGET_TYPES[e.targetType] ?? e.targetType,
    targetId: e.targetId,
    unitId: e.unitId,
    unitName: e.unitName,
    before,
    after,
    changes,
  };
}

/** Dates are Asia/Shanghai days: `to` a date means up to the end of that day. */
const instant = (value: string, end: boolean): Date => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const start = new Date(`${value}T00:00:00+08:00`);
  return end ? new Date(start.getTime() + 86_400_000) : start;
};

/**
 * What a reader may see: the province bureau's administrators every event, anyone else holding
 * 操作审计 the events of their unit's subtree (who acted there, or what concerned a unit there).
 */
export function readerScope(actor: Pick<RequestActor, 'unitType' | 'adminLevel' | 'unitPath'>): Pick<AuditEventFilter, 'subtreePath'> {
  if (actor.unitType === 'hr_bureau' && actor.adminLevel === 'province') return {};
  // no unit, no subtree: a path no unit has
  return { subtreePath: actor.unitPath ?? '/none/' };
}

function filterOf(raw: Record<string, unknown> | undefined, actor: RequestActor): AuditEventFilter {
  const parsed = auditFilter.safeParse(raw ?? {});
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: `filter.${i.path.join('.')}`, message: i.message }));
    throw new ValidationError(`筛选条件有误：${details.map((d) => d.message).join('；')}`, details);
  }
  const f = parsed.data;
  const from = f.from ? instant(f.from, false) : undefined;
  const to = f.to ? instant(f.to, true) : undefined;
  if (from && to && from >= to) throw new ValidationError('结束时间应晚于开始时间', [{ field: 'filter.to', message: '应晚于开始时间' }]);
  return { ...f, from, to, ...readerScope(actor) };
}

const EXPORT_COLUMNS = [
  { header: '时间', width: 22, value: (e: AuditEventJson) => new Date(e.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) },
  { header: '操作人', width: 16, value: (e: AuditEventJson) => e.actorName },
  { header: '操作人单位', width: 28, value: (e: AuditEventJson) => e.actorUnitName },
  { header: '操作', width: 20, value: (e: AuditEventJson) => e.actionName },
  { header: '操作代码', width: 22, value: (e: AuditEventJson) => e.action },
  { header: '对象类型', width: 14, value: (e: AuditEventJson) => e.targetTypeName },
  { header: '对象编号', width: 16, value: (e: AuditEventJson) => e.targetId },
  { header: '所属单位', width: 28, value: (e: AuditEventJson) => e.unitName },
  { header: '变更内容', width: 60, value: (e: AuditEventJson) => e.changes.filter((c) => c.changed).map((c) => `${c.label}：${c.before ?? '（无）'} → ${c.after ?? '（无）'}`).join('\n') },
];

/** 操作审计: who changed what in the administration, with before and after; search, page and export. */
const auditLogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', app.requirePermission('audit.view'));
  const repo = createAuditLogRepository(app.db);

  app.get('/api/audit-events', {
    schema: {
      tags,
      summary: `操作审计列表（最新在前；筛选：操作人、操作、对象类型、对象编号、所属单位、时间范围；最多翻到第 ${MAX_ROWS} 条，或用 filter.beforeId 续页）`,
      querystring: listQuerySchema,
      response: { 200: z.array(auditEvent), ...errorResponses },
    },
    handler: async (request, reply) => {
      const filter = filterOf(request.query.filter, request.actor);
      const page = pageOf(request.query, 25);
      if (page.offset + page.limit > MAX_ROWS) {
        throw new ValidationError(`最多翻到第 ${MAX_ROWS} 条：请按时间、操作人或操作缩小范围`, [{ field: 'range', message: `不能超过第 ${MAX_ROWS} 条` }]);
      }
      const [rows, total] = await Promise.all([repo.list(filter, page), repo.count(filter, MAX_ROWS)]);
      sendPage(reply, 'audit-events', page, rows.length, total);
      return rows.map(toJson);
    },
  });

  app.get('/api/audit-events/catalog', {
    schema: {
      tags,
      summary: '筛选用的操作和对象类型（代码与中文名称）',
      response: { 200: z.object({ actions: z.array(z.object({ id: z.string(), name: z.string() })), targetTypes: z.array(z.object({ id: z.string(), name: z.string() })) }), ...errorResponses },
    },
    handler: async () => ({
      actions: Object.entries(ACTIONS).map(([id, name]) => ({ id, name })),
      targetTypes: Object.entries(TARGET_TYPES).map(([id, name]) => ({ id, name })),
    }),
  });

  app.get('/api/audit-events/export', {
    schema: { tags, summary: `导出操作审计（Excel，按当前筛选，最多 ${MAX_ROWS} 条）`, querystring: listQuerySchema.pick({ filter: true }) },
    handler: async (request, reply) => {
      const filter = filterOf(request.query.filter, request.actor);
      const total = await repo.count(filter, MAX_ROWS + 1);
      if (total > MAX_ROWS) throw new ValidationError(`符合条件的记录超过 ${MAX_ROWS} 条：请缩小时间范围后分次导出`, [{ field: 'filter', message: `超过 ${MAX_ROWS} 条` }]);
      const rows = (await repo.list(filter, { offset: 0, limit: MAX_ROWS })).map(toJson);
      return sendXlsx(reply, '操作审计.xlsx', await workbookOf('操作审计', EXPORT_COLUMNS, rows));
    },
  });

  app.get('/api/audit-events/:id', {
    schema: {
      tags,
      summary: '一条操作记录：变更前后逐字段对照',
      params: z.object({ id: z.coerce.number({ error: '编号应为整数' }).int({ error: '编号应为整数' }).min(1, { error: '编号应为整数' }) }),
      response: { 200: auditEvent, ...errorResponses },
    },
    handler: async (request) => {
      // outside the reader's subtree answers like an event that does not exist
      const [row] = await repo.list({ id: request.params.id, ...readerScope(request.actor) }, { offset: 0, limit: 1 });
      if (!row) throw new NotFoundError('操作记录不存在');
      return toJson(row);
    },
  });
};

export default auditLogRoutes;
