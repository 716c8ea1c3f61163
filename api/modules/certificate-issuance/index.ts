import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { INITIAL_PERSONS_SEALED } from './certificate-issuance.pii.ts';
import { createIssuanceFlow } from './certificate-issuance.flow.ts';
import { createIssuanceRepository } from './certificate-issuance.repository.ts';
import issuanceRoutes from './certificate-issuance.routes.ts';
import { createIssuanceService } from './certificate-issuance.service.ts';

/**
 * 证书生成 (manual §1.2.8.1): 评审发证 and 初定发证 (certificate-issuance.bpmn), 委托发证
 * (delegated-certificate.bpmn) — batches by 文号, 取消发证 back to the committee, the summary
 * table, the stamped PDF and 发证 through the core's background generation.
 */
export default fp<AppOptions>(
  async (fastify) => {
    fastify.sealer.register(INITIAL_PERSONS_SEALED);
    const flow = createIssuanceFlow(fastify.db, fastify.engine, fastify.certificates, fastify.pii);
    fastify.flows.handlers(flow.handlers);
    for (const [formKey, check] of Object.entries(flow.checks)) fastify.flows.check(formKey, check);
    const service = createIssuanceService({ db: fastify.db, engine: fastify.engine, certificates: fastify.certificates, checks: flow.checks, pii: fastify.pii });
    // a batch's 盖章汇总表 is read by its issuing unit's 证书生成 staff
    const repo = createIssuanceRepository(fastify.db, fastify.pii);
    fastify.fileReaders.add('certificate-issuance', async (actor, file) => {
      if (!actor.roles.includes('certificate.issue') || actor.unitId == null) return false;
      return (await repo.unitsOfStampedFile(file.id)).includes(actor.unitId);
    });
    await fastify.register(issuanceRoutes, { service });
  },
  { name: 'module:certificate-issuance', dependencies: ['db', 'auth', 'flows', 'pii', 'module:files', 'module:certificates', 'module:personal-information'] },
);
