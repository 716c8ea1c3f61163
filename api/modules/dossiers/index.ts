import fp from 'fastify-plugin';
import type { AppOptions } from '../../src/app.ts';
import { createDeadlineChecks } from '../activities/activities.checks.ts';
import { composeChecks } from '../tasks/tasks.service.ts';
import { createChainCheck } from './dossiers.chain.ts';
import { createDeclarationCheck } from './dossiers.declaration.ts';
import { withEligibility } from './dossiers.eligibility.ts';
import { createDossierHandlers } from './dossiers.handlers.ts';
import { createPhoneSealCheck, DOSSIERS_SEALED } from './dossiers.pii.ts';
import { createUnitPublicityCheck } from './dossiers.publicity.ts';
import dossierOverdueRoutes from './dossiers.overdue.routes.ts';
import dossiersRoutes from './dossiers.routes.ts';
import { cancelDossier, createStartDossier } from './dossiers.start.ts';
import { CHAIN_JOB, sweepDossierChain } from './transfer-duty.job.ts';

const DOSSIER_PROCESS = 'dossier-review';

/** 申报材料: the applicant's side, the review chain's handlers and checks, and its reminders and deadline. */
export default fp<AppOptions>(
  async (fastify, { config }) => {
    const { db, engine, regions, calendar, flows } = fastify;
    flows.handlers(createDossierHandlers(db, regions, fastify.pii));
    // the declaration's phone sealed at rest (dossiers.pii.ts); the sealer seals what a writer left plain
    fastify.sealer.register(DOSSIERS_SEALED);

    // the activity's deadlines, checked when a dossier is submitted, passed on or received
    const { dossierSubmit, unitReview, committeeReceipt } = createDeadlineChecks(db, engine.clock);
    // the review chain: return targets and delegations checked against the dossier's chain
    const chainCheck = createChainCheck(db, engine.clock, regions);
    // deadline first (409), then the activity's own rules for the declaration (400); last, the
    // phone sealed on the dossier and masked in what the case stores
    flows.check('dossier-submit', composeChecks(dossierSubmit, createDeclarationCheck(db, engine.clock), createPhoneSealCheck(db, fastify.pii)));
    flows.check('review', unitReview);
    // the receipt deadline first (409), then the 单位公示 period (400)
    flows.check('employer-review', composeChecks(unitReview, createUnitPublicityCheck(calendar, engine.clock)));
    flows.check('chain-review', composeChecks(unitReview, chainCheck));
    flows.check('superior-review', composeChecks(unitReview, chainCheck));
    flows.check('committee-receipt', composeChecks(committeeReceipt, chainCheck));

    flows.startHook(DOSSIER_PROCESS, withEligibility(createStartDossier(engine.clock), regions, engine.clock));
    flows.cancelHook(DOSSIER_PROCESS, cancelDossier);
    flows.job({
      name: CHAIN_JOB,
      cronExpression: config.CHAIN_SWEEP_CRON,
      run: () => sweepDossierChain(db, engine, calendar, engine.clock.now()),
      uses: { processes: [DOSSIER_PROCESS] },
    });

    await fastify.register(dossiersRoutes, { regions });
    await fastify.register(dossierOverdueRoutes);
  },
  { name: 'module:dossiers', dependencies: ['auth', 'engine', 'flows', 'pii', 'module:personal-information', 'module:regions', 'module:calendar'] },
);
