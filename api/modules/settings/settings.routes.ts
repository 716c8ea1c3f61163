import { z } from 'zod';
import { parseDuration } from '@0dep/piso';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkFeelSyntax, isFeel } from '../../../engine/expressions.ts';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';
import type { TaskSettingsCache } from './task-settings.cache.ts';
import { createSettingsRepository } from './settings.repository.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

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
});

/** A due date as an operator may write it: an ISO 8601 duration (P3D, PT12H) or a FEEL expression. */
export function checkDueDate(value: string): string | null {
  const text = value.trim();
  if (isFeel(text)) return checkFeelSyntax(text);
  try {
    parseDuration(text.toUpperCase());
    return /^P/i.test(text) ? null : '应为 ISO 8601 时长，如 P3D（3 天）、PT12H（12 小时）';
  } catch {
    return '应为 ISO 8601 时长，如 P3D（3 天）、PT12H（12 小时），或以“=”开头的 FEEL 表达式';
  }
}

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
    const out: Array<z.infer<typeof dueDateRow>> = [];
    for (const d of latest.values()) {
      if (processKey && d.key !== processKey) continue;
      for (const task of d.meta.userTasks) {
        const id = `${d.key}:${task.id}`;
        const dueDate = byKey.get(id) ?? null;
        out.push({ id, processKey: d.key, processName: d.name, version: d.version, elementId: task.id, name: task.name, kind: 'task', diagramDueDate: task.dueDate, dueDate, effective: dueDate ?? task.dueDate });
      }
      // a step that calls a sub-flow (e.g. 申报单位审核 through 多岗审核): its setting applies to the sub-flow's tasks
      for (const call of d.meta.callActivities) {
        const id = `${d.key}:${call.id}`;
        const dueDate = byKey.get(id) ?? null;
        out.push({ id, processKey: d.key, processName: d.name, version: d.version, elementId: call.id, name: call.name, kind: 'call', diagramDueDate: null, dueDate, effective: dueDate });
      }
    }
    return out;
  }

  app.get('/api/settings/task-due-dates', {
    schema: { tags: ['运行配置'], summary: '各流程环节的办理期限', querystring: z.object({ processKey: z.string().optional() }), response: { 200: z.array(dueDateRow), ...errors } },
    handler: async (request, reply) => {
      const list = await rows(request.query.processKey);
      reply.header('Content-Range', `task-due-dates 0-${Math.max(0, list.length - 1)}/${list.length}`);
      return list;
    },
  });

  app.put('/api/settings/task-due-dates/:id', {
    schema: {
      tags: ['运行配置'],
      summary: '设置某个环节的办理期限（null 恢复流程图默认）',
      params: z.object({ id: z.string().regex(/^[^:]+:[^:]+$/, '编号应为 流程标识:环节标识') }),
      body: z.object({ dueDate: z.string().trim().max(200).nullable() }),
      response: { 200: dueDateRow, ...errors },
    },
    handler: async (request) => {
      const [processKey, elementId] = request.params.id.split(':') as [string, string];
      const current = (await rows(processKey)).find((r) => r.elementId === elementId);
      if (!current) throw new NotFoundError(`流程“${processKey}”没有环节“${elementId}”`);
      const dueDate = request.body.dueDate ? request.body.dueDate : null;
      if (dueDate) {
        const problem = checkDueDate(dueDate);
        if (problem) throw new ValidationError(`办理期限“${dueDate}”不正确：${problem}`, [{ field: 'dueDate', message: problem }]);
      }
      await settings.setDueDate(processKey, elementId, dueDate, request.actor.userId, app.engine.clock.now());
      await opts.taskSettings.reload();
      return { ...current, dueDate, effective: dueDate ?? current.diagramDueDate };
    },
  });
};

export default settingsRoutes;
