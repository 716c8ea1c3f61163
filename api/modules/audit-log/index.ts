import fp from 'fastify-plugin';
import auditLogRoutes from './audit-log.routes.ts';

/** 操作审计: the administrative audit log (`audit_events`, written by the modules through `audit()`), searched and exported. */
export default fp(
  async (fastify) => {
    await fastify.register(auditLogRoutes);
  },
  { name: 'module:audit-log', dependencies: ['auth'] },
);
