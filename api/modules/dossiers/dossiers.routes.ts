import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { iso } from '../../src/list-query.ts';
import { errorSchema } from '../tasks/tasks.schemas.ts';

const STATUS_LABELS: Record<string, string> = {
  draft: '待提交',
  submitted: '审核中',
  returned: '已退回待修改',
  rejected: '不通过',
  received: '评委会已接收',
};

/** The applicant's side of the proving flow: open activities and "my dossiers". */
const dossiersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/activities', {
    schema: {
      tags: ['申报'],
      summary: '开放申报的评审活动',
      response: {
        200: z.array(z.object({ id: z.number(), name: z.string(), year: z.number(), committeeUnitId: z.number(), committeeUnitName: z.string() })),
        401: errorSchema,
      },
    },
    handler: async () => {
      const rows = await app.db('activities as a').join('units as u', 'u.id', 'a.committee_unit_id').select('a.*', 'u.name as unit_name').where('a.status', 'published').orderBy('a.id', 'desc');
      return rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        name: String(r.name),
        year: Number(r.year),
        committeeUnitId: Number(r.committee_unit_id),
        committeeUnitName: String(r.unit_name),
      }));
    },
  });

  app.get('/api/dossiers/mine', {
    schema: {
      tags: ['申报'],
      summary: '我的申报：状态、当前办理环节与最近意见',
      response: {
        200: z.array(
          z.object({
            id: z.number(),
            activityId: z.number(),
            activityName: z.string(),
            year: z.number(),
            status: z.string(),
            statusLabel: z.string(),
            instanceId: z.string().nullable(),
            submittedAt: z.string().nullable(),
            currentSteps: z.array(z.object({ taskId: z.string(), name: z.string(), unitId: z.number().nullable(), unitName: z.string().nullable(), mine: z.boolean() })),
            lastOpinion: z.object({ step: z.string().nullable(), action: z.string().nullable(), opinion: z.string().nullable(), at: z.string() }).nullable(),
          }),
        ),
        401: errorSchema,
      },
    },
    handler: async (request) => {
      const me = request.actor.userId;
      const rows = await app.db('dossiers as d').join('activities as a', 'a.id', 'd.activity_id').select('d.*', 'a.name as activity_name').where('d.applicant_id', me).orderBy('d.id', 'desc');
      const out = [];
      for (const r of rows as Array<Record<string, unknown>>) {
        const instanceId = (r.instance_id as string | null) ?? null;
        let currentSteps: Array<{ taskId: string; name: string; unitId: number | null; unitName: string | null; mine: boolean }> = [];
        let lastOpinion = null;
        if (instanceId) {
          const tasks = await app.db('tasks as t').leftJoin('units as u', 'u.id', 't.candidate_unit_id').select('t.id', 't.name', 't.candidate_unit_id', 't.assignee_id', 'u.name as unit_name').where({ 't.root_instance_id': instanceId, 't.status': 'open' });
          currentSteps = tasks.map((t: Record<string, unknown>) => ({
            taskId: String(t.id),
            name: String(t.name),
            unitId: t.candidate_unit_id == null ? null : Number(t.candidate_unit_id),
            unitName: (t.unit_name as string | null) ?? null,
            mine: Number(t.assignee_id) === me,
          }));
          const last = await app.db('history_events').where({ root_instance_id: instanceId, type: 'task.complete' }).whereNotNull('opinion').orderBy('id', 'desc').first();
          if (last) lastOpinion = { step: last.element_name ?? null, action: last.action ?? null, opinion: last.opinion ?? null, at: (last.created_at as Date).toISOString() };
        }
        out.push({
          id: Number(r.id),
          activityId: Number(r.activity_id),
          activityName: String(r.activity_name),
          year: Number(r.year),
          status: String(r.status),
          statusLabel: STATUS_LABELS[String(r.status)] ?? String(r.status),
          instanceId,
          submittedAt: iso(r.submitted_at as Date | null),
          currentSteps,
          lastOpinion,
        });
      }
      return out;
    },
  });
};

export default dossiersRoutes;
