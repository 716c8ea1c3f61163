import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ForbiddenError } from '../../src/errors.ts';
import { filterId, listQuerySchema, pageOf, sendPage } from '../../src/list-query.ts';
import { errorResponses } from '../../src/schemas.ts';
import { overdueHeld, TRANSFER_WORKING_DAYS } from './transfer-duty.job.ts';

const overdueItem = z.object({
  id: z.number(),
  dossierId: z.number(),
  applicantName: z.string(),
  activityName: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  heldSince: z.string(),
  workingDays: z.number(),
  dueDay: z.string(),
});

/**
 * 逐级转报超时 (notice 003): dossiers a unit has held longer than 3 working days. Operators
 * (流程监控) see every unit's; a unit's reviewers see their own unit's.
 */
const overdueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/dossier-chain/overdue', {
    onRequest: [app.authenticate, app.requirePermission('process.monitor', 'dossier.review.own', 'dossier.review.subordinate')],
    schema: {
      tags: ['申报材料审核'],
      summary: `超过 ${TRANSFER_WORKING_DAYS} 个工作日未转报的申报材料`,
      querystring: listQuerySchema,
      response: { 200: z.array(overdueItem), ...errorResponses },
    },
    handler: async (request, reply) => {
      const actor = request.actor;
      let unitId = filterId(request.query.filter?.unitId, 'unitId');
      if (!actor.roles.includes('process.monitor')) {
        if (unitId != null && unitId !== actor.unitId) throw new ForbiddenError('只能查看本单位超时未转报的申报材料');
        unitId = actor.unitId ?? -1;
      }
      const items = await overdueHeld(app.db, app.calendar, app.engine.clock.now(), unitId);
      const page = pageOf(request.query);
      const rows = items.slice(page.offset, page.offset + page.limit);
      sendPage(reply, 'dossier-overdue', page, rows.length, items.length);
      return rows.map((i) => ({ ...i, id: i.dossierId, heldSince: i.heldSince.toISOString() }));
    },
  });
};

export default overdueRoutes;
