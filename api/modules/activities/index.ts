import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import activitiesRoutes from './activities.routes.ts';
import activitiesPublicRoutes from './activities.public.routes.ts';
import { closeSubmissionWindows, DEADLINE_JOB } from './activities.job.ts';
import { createActivityService } from './activities.service.ts';

/** 评审活动: drafts, the publication and deadline change flows, the public pages and the submission deadlines. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const service = createActivityService({ db: fastify.db, engine: fastify.engine });
    fastify.flows.handlers(service.handlers);
    fastify.flows.job({
      name: DEADLINE_JOB,
      cronExpression: config.DEADLINE_SWEEP_CRON,
      run: () => closeSubmissionWindows(fastify.db, fastify.engine, fastify.engine.clock.now()),
      // it flags the open 提交申报材料 / 修改并重新提交 tasks of the dossier flow
      uses: { elements: ['dossier-review:submit', 'dossier-review:resubmit'] },
    });
    await fastify.register(activitiesRoutes, { service });
    await fastify.register(activitiesPublicRoutes, { service });
  },
  { name: 'module:activities', dependencies: ['flows'] },
);
