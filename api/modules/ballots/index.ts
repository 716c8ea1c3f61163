import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import ballotsRoutes from './ballots.routes.ts';
import { createBallotsService } from './ballots.service.ts';
import { hashCredentialAliases } from './ballots.pii.ts';

/**
 * 专家投票与计票: meeting credentials and their sheet, the 专家端, ballots (保存, 提交 once), the
 * tally (回退, 缺席, 计票完成) and the flow keys `ballot.openRound`, `ballot.handBack`,
 * `ballot.tally`, `expert-ballot`, `meeting-tally`.
 */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const service = createBallotsService(fastify.db, fastify.engine, fastify.pii, fastify.log);
    fastify.flows.handlers(service.handlers);
    // a submission is stored first and its 专家投票 task completed right after; one a crash left
    // open is completed by this job (with the engine's sweep)
    fastify.flows.job({ name: 'ballot-submissions', cronExpression: config.SWEEP_CRON, run: () => service.drainAll(), uses: { forms: ['expert-ballot'] } });
    // a closing server lets the completions under way finish (they are steps of their own)
    fastify.addHook('onClose', () => service.settled());
    for (const [formKey, check] of Object.entries(service.checks)) fastify.flows.check(formKey, check);
    // a meeting's expert reads the attachments of the dossiers of the round they vote in, and the
    // 评审材料 the organiser attached to the meeting's 评审方案
    fastify.fileReaders.add('meeting-expert', async (actor, file) =>
      (file.rootInstanceId != null && (await service.repo.expertMayReadCase(file.rootInstanceId, actor.userId))) || service.repo.expertMayReadMaterial(file.id, actor.userId),
    );
    // credentials renamed from `<ID number>-<meeting>` keep that old name as a hash only
    fastify.sealer.registerExtra('credential_login_aliases', (options) => hashCredentialAliases(fastify.db, fastify.pii, options));
    await fastify.register(ballotsRoutes, { service });
  },
  { name: 'module:ballots', dependencies: ['db', 'pii', 'auth', 'engine', 'flows', 'module:files', 'module:meetings', 'module:meeting-prep', 'module:personal-information'] },
);
