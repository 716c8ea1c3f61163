import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkFeelSyntax, isFeel } from '../../../engine/expressions.ts';
import { addDuration, DUE_UNIT_WORDS, formatDueAmount, parseDueAmount } from '../../../engine/index.ts';
import { audit } from '../../src/audit.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import { levelOf, type TaskSettingsCache } from './task-settings.cache.ts';
import { createSettingsRepository } from './settings.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

const UNITS = ['working_days', 'natural_days', 'hours'] as const;

const dueDateRow = z.object({
  id: z.string(),
  processKey: z.string(),
  processName: z.string(),
  version: z.number(),
  elementId: z.string(),
  name: z.string(),
  /** task: a user task; call: a step calling a sub-flow, whose tasks take this due date */
  kind: z.enum(['task', 'call']),
  diagramDueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  effective: z.string().nullable(),
  /** the diagram's and the effective due date in words: 3 个工作日, 12 小时, 表达式 … */
  diagramLabel: z.string(),
  effectiveLabel: z.string(),
  /** the effective due date as the settings form edits it */
  amount: z.number().nullable(),
  unit: z.enum([...UNITS, 'expression']).nullable(),
  expression: z.string().nullable(),
  /** what the setting reaches, where it is not plain (a call's sub-flow, e.g. each 多岗审核 post) */
  note: z.string().nullable(),
});

/** A due date spec in words, as the settings page and the applicant read it. */
export function describeDue(spec: string | null): string {
  if (!spec) return '不限';
  if (isFeel(spec.trim())) return `表达式 ${spec.trim()}`;
  const due = parseDueAmount(spec);
  if (due) return due.unit === 'hours' ? `${due.amount} 小时` : `${due.amount} 个${DUE_UNIT_WORDS[due.unit]}`;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(spec.trim());
  const words = ['年', '个月', '周', '天', '小时', '分钟'];
  const parts = m ? m.slice(1).map((n, i) => (n ? `${Number(n)} ${words[i]}` : '')).filter(Boolean) : [];
  return parts.length ? parts.join(' ') : spec;
}

function formOf(spec: string | null): { amount: number | null; unit: (typeof UNITS)[number] | 'expression' | null; expression: string | null } {
  if (!spec) return { amount: null, unit: null, expression: null };
  const due = parseDueAmount(spec);
  return due ? { amount: due.amount, unit: due.unit, expression: null } : { amount: null, unit: 'expression', expression: spec };
}

/** An expert's due date under “表达式”: a FEEL expression, an ISO 8601 duration or a date-time. */
export function checkDueExpression(value: string): string | null {
  const text = value.trim();
  if (isFeel(text)) return checkFeelSyntax(text);
  try {
    addDuration(new Date(0), text);
    return null;
  } catch {
    return '应为以“=”开头的 FEEL 表达式，或 ISO 8601 时长（如 P1W）';
  }
}

const dueBody = z
  .object({
    amount: z.number({ error: '请填写数字' }).int('应为整数').min(1, '至少为 1').max(365, '最多为 365').optional().meta({ title: '期限数值' }),
    unit: z.enum(UNITS, { error: '应为 工作日、自然日 或 小时' }).optional().meta({ title: '期限单位' }),
    expression: z.string().trim().min(1, '不能为空').max(200, '最多 200 个字符').optional().meta({ title: '表达式' }),
  })
  .superRefine((body, ctx) => {
    if (body.expression !== undefined) {
      if (body.amount !== undefined || body.unit !== undefined) ctx.addIssue({ code: 'custom', path: ['expression'], message: '填写表达式时不再填写数值和单位' });
      return;
    }
    if (body.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: '请填写期限数值' });
    if (body.unit === undefined) ctx.addIssue({ code: 'custom', path: ['unit'], message: '请选择 工作日、自然日 或 小时' });
  });

/** 期限设置: due dates per flow step, over the diagrams' own. */
const settingsRoutes: FastifyPluginAsyncZod<{ taskSettings: TaskSettingsCache }> = async (app, opts) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('preValidation', app.requirePermission('settings.manage'));
  const settings = createSettingsRepository(app.db);

  async function rows(processKey?: string) {
    const definitions = await app.engine.repo.listDefinitions();
    const latest = new Map<string, (typeof definitions)[number]>();
    for (const d of definitions) if (!latest.has(d.key) || (latest.get(d.key)?.version ?? 0) < d.version) latest.set(d.key, d);
    const byKey = await settings.dueDates();
    const row = (base: Omit<z.infer<typeof dueDateRow>, 'effective' | 'diagramLabel' | 'effectiveLabel' | 'amount' | 'unit' | 'expression'>, inherited: string | null = null) => {
      const effective = base.dueDate ?? inherited ?? base.diagramDueDate;
      return { ...base, effective, diagramLabel: describeDue(base.diagramDueDate), effectiveLabel: describeDue(effective), ...formOf(effective) };
    };
    const out: Array<z.infer<typeof dueDateRow>> = [];
    for (const d of latest.values()) {
      if (processKey && d.key !== processKey) continue;
      const callers = [...latest.values()].flatMap((c) => c.meta.callActivities.filter((a) => a.calledElement === d.key).map((a) => `“${a.name}”`));
      const postsOf = new Map(d.meta.callActivities.flatMap((c) => (levelOf(c.id) ? [[levelOf(c.id)!, c] as const] : [])));
      for (const task of d.meta.userTasks) {
        const id = `${d.key}:${task.id}`;
        const posts = postsOf.get(task.id);
        const note = posts
          ? `单位配置了多岗审核时，此期限也用于“${posts.name}”的每一个岗位（该环节单独设置了期限的除外）`
          : callers.length
            ? `由${[...new Set(callers)].slice(0, 3).join('、')}等环节调用时，调用环节设置了期限的，以调用环节的期限为准`
            : null;
        out.push(row({ id, processKey: d.key, processName: d.name, version: d.version, elementId: task.id, name: task.name, kind: 'task', diagramDueDate: task.dueDate, dueDate: byKey.get(id) ?? null, note }));
      }
      // a step that calls a sub-flow (e.g. 申报单位审核 through 多岗审核): its setting applies to each of the sub-flow's tasks
      for (const call of d.meta.callActivities) {
        const id = `${d.key}:${call.id}`;
        const called = latest.get(call.calledElement);
        const own = called ? called.meta.userTasks.map((t) => `${t.name} ${describeDue(byKey.get(`${called.key}:${t.id}`) ?? t.dueDate)}`).join('、') : '';
        const level = levelOf(call.id) ? d.meta.userTasks.find((t) => t.id === levelOf(call.id)) : undefined;
        const fallback = `按该流程各环节的期限${own ? `：${own}` : ''}`;
        const note = `此环节调用“${called?.name ?? call.calledElement}”（如单位配置的多岗审核），这里的期限用于其中每一个待办（每个岗位各自计算）；未单独设置时${level ? `沿用“${level.name}”的期限设置，那里也未设置时${fallback}` : fallback}`;
        const inherited = level ? (byKey.get(`${d.key}:${level.id}`) ?? null) : null;
        out.push(row({ id, processKey: d.key, processName: d.name, version: d.version, elementId: call.id, name: call.name, kind: 'call', diagramDueDate: null, dueDate: byKey.get(id) ?? null, note }, inherited));
      }
    }
    return out;
  }

  async function stepOf(id: string) {
    const [processKey, elementId] = id.split(':') as [string, string];
    const current = (await rows(processKey)).find((r) => r.elementId === elementId);
    if (!current) throw new NotFoundError(`流程“${processKey}”没有环节“${elementId}”`);
    return current;
  }

  app.get('/api/settings/task-due-dates', {
    schema: { tags: ['运行配置'], summary: '各流程环节的办理期限', querystring: z.object({ processKey: z.string().optional() }), response: { 200: z.array(dueDateRow), ...errors } },
    handler: async (request, reply) => {
      const list = await rows(request.query.processKey);
      reply.header('Content-Range', `task-due-dates 0-${Math.max(0, list.length - 1)}/${list.length}`);
      return list;
    },
  });

  const stepId = z.object({ id: z.string().regex(/^[^:]+:[^:]+$/, '编号应为 流程标识:环节标识') });

  app.put('/api/settings/task-due-dates/:id', {
    schema: {
      tags: ['运行配置'],
      summary: '设置某个环节的办理期限：数值和单位（工作日、自然日、小时），或表达式',
      params: stepId,
      body: dueBody,
      response: { 200: dueDateRow, ...errors },
    },
    handler: async (request) => {
      const current = await stepOf(request.params.id);
      const { amount, unit, expression } = request.body;
      if (expression !== undefined) {
        const problem = checkDueExpression(expression);
        if (problem) throw new ValidationError(`表达式“${expression}”不正确：${problem}`, [{ field: 'body.expression', message: `表达式：${problem}` }]);
      }
      const dueDate = expression ?? formatDueAmount({ amount: amount!, unit: unit! });
      await settings.setDueDate(current.processKey, current.elementId, dueDate, request.actor.userId, app.engine.clock.now());
      await audit(app.db, request.actor, { action: 'task_due_date.set', targetType: 'task_due_date', targetId: request.params.id, data: { before: { dueDate: current.dueDate }, after: { dueDate } } }, app.engine.clock.now());
      await opts.taskSettings.reload();
      return stepOf(request.params.id);
    },
  });

  app.delete('/api/settings/task-due-dates/:id', {
    schema: { tags: ['运行配置'], summary: '恢复某个环节的流程图默认期限', params: stepId, response: { 200: dueDateRow, ...errors } },
    handler: async (request) => {
      const current = await stepOf(request.params.id);
      await settings.setDueDate(current.processKey, current.elementId, null, request.actor.userId, app.engine.clock.now());
      await audit(app.db, request.actor, { action: 'task_due_date.reset', targetType: 'task_due_date', targetId: request.params.id, data: { before: { dueDate: current.dueDate }, after: { dueDate: null } } }, app.engine.clock.now());
      await opts.taskSettings.reload();
      return stepOf(request.params.id);
    },
  });
};

export default settingsRoutes;
