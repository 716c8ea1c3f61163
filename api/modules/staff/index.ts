import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import staffRoutes from './staff.routes.ts';
import { disableInactiveAccounts } from './inactivity.job.ts';

/** 工作人员管理 and 账号解禁, and the nightly disabling of unused accounts. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    fastify.flows.job({ name: 'disable-inactive-accounts', cronExpression: config.ACCOUNT_SWEEP_CRON, run: () => disableInactiveAccounts(fastify.db, fastify.engine.clock.now()) });
    await fastify.register(staffRoutes);
  },
  { name: 'module:staff', dependencies: ['auth', 'engine', 'flows'] },
);
