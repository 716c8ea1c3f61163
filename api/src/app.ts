import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../../engine/types.ts';
import '../../forms/zod-zh.ts';
import type { Config } from './config.ts';
import type { Database } from './db.ts';
import { resolveJwtSecret } from './settings.ts';
import dbPlugin from './plugins/db.ts';
import errorsPlugin from './plugins/errors.ts';
import nulGuardPlugin from './plugins/nul-guard.ts';
import authPlugin from './plugins/auth.ts';
import swaggerPlugin from './plugins/swagger.ts';
import enginePlugin from './plugins/engine.ts';
import schedulerPlugin from './plugins/scheduler.ts';
import healthRoutes from '../modules/health/health.routes.ts';
import authRoutes from '../modules/auth/auth.routes.ts';
import tasksRoutes from '../modules/tasks/tasks.routes.ts';
import { composeChecks } from '../modules/tasks/tasks.service.ts';
import processesRoutes from '../modules/processes/processes.routes.ts';
import formsRoutes from '../modules/forms/forms.routes.ts';
import instancesRoutes from '../modules/instances/instances.routes.ts';
import incidentsRoutes from '../modules/incidents/incidents.routes.ts';
import dossiersRoutes from '../modules/dossiers/dossiers.routes.ts';
import { createDeclarationCheck } from '../modules/dossiers/dossiers.declaration.ts';
import { withEligibility } from '../modules/dossiers/dossiers.eligibility.ts';
import { createDossierHandlers } from '../modules/dossiers/dossiers.handlers.ts';
import { reviewLevelHandlers } from '../modules/review-levels/review-levels.handlers.ts';
import { cancelDossier, createStartDossier } from '../modules/dossiers/dossiers.start.ts';
import { createTaskAuthorizer, createUnitPathCache } from '../modules/tasks/tasks.scope.ts';
import opinionsRoutes from '../modules/opinions/opinions.routes.ts';
import filesRoutes from '../modules/files/files.routes.ts';
import unitsRoutes from '../modules/units/units.routes.ts';
import staffRoutes from '../modules/staff/staff.routes.ts';
import rolesRoutes from '../modules/roles/roles.routes.ts';
import applicantsRoutes from '../modules/applicants/applicants.routes.ts';
import routingRoutes from '../modules/routing/routing.routes.ts';
import regionsRoutes from '../modules/regions/regions.routes.ts';
import { loadRegions } from '../modules/regions/regions.service.ts';
import { loadCalendar, type Calendar } from '../modules/calendar/calendar.service.ts';
import calendarRoutes from '../modules/calendar/calendar.routes.ts';
import expertsRoutes from '../modules/experts/experts.routes.ts';
import committeesRoutes from '../modules/committees/committees.routes.ts';
import { createCommitteeService } from '../modules/committees/committees.service.ts';
import { createFiling, type Filing } from '../modules/committees/committees.filing.ts';
import { sweepCommitteeTerms } from '../modules/committees/expiry.job.ts';
import messagesRoutes from '../modules/messages/messages.routes.ts';
import dossierQueriesRoutes from '../modules/dossier-queries/dossier-queries.routes.ts';
import { createDossierQueryService } from '../modules/dossier-queries/dossier-queries.service.ts';
import activitiesRoutes from '../modules/activities/activities.routes.ts';
import activitiesPublicRoutes from '../modules/activities/activities.public.routes.ts';
import { createActivityService } from '../modules/activities/activities.service.ts';
import { createDeadlineChecks } from '../modules/activities/activities.checks.ts';
import { closeSubmissionWindows, DEADLINE_JOB } from '../modules/activities/activities.job.ts';
import { CHAIN_JOB, sweepDossierChain } from '../modules/dossiers/transfer-duty.job.ts';
import { createChainCheck } from '../modules/dossiers/dossiers.chain.ts';
import dossierOverdueRoutes from '../modules/dossiers/dossiers.overdue.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** 工作日历: working-day arithmetic for every module */
    calendar: Calendar;
  }
}
import { createUnitService } from '../modules/units/units.service.ts';
import { createRegistration, type Registration } from '../modules/units/registration.ts';
import { disableInactiveAccounts } from '../modules/staff/inactivity.job.ts';
import type { ServiceHandler } from '../../engine/types.ts';
import settingsRoutes from '../modules/settings/settings.routes.ts';
import reviewLevelsRoutes from '../modules/review-levels/review-levels.routes.ts';
import { createTaskSettingsCache } from '../modules/settings/task-settings.cache.ts';
import consolePlugin from './plugins/console.ts';
import { CONSOLE_DIST } from '../../scripts/build-console.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  /** injected in tests to move time */
  clock?: Clock;
  /** folder of the built console; defaults to admin-ui/dist */
  consoleDir?: string;
}

/** The whole API as one plugin: cross-cutting plugins first, then the feature modules. */
const app: FastifyPluginAsync<AppOptions> = async (fastify, opts) => {
  const { config, database } = opts;
  await fastify.register(errorsPlugin);
  await fastify.register(nulGuardPlugin);
  await fastify.register(dbPlugin, { database });
  await fastify.register(authPlugin, {
    secret: await resolveJwtSecret(database.knex, config.JWT_SECRET),
    expiresIn: config.JWT_EXPIRES_IN,
    db: database.knex,
  });
  // preHandler: the login limit is keyed by the account name, which needs the parsed body
  await fastify.register(rateLimit, { global: false, hook: 'preHandler' });
  await fastify.register(swaggerPlugin);
  const taskSettings = createTaskSettingsCache(database.knex);
  await taskSettings.reload();
  taskSettings.start();
  fastify.addHook('onClose', async () => taskSettings.stop());
  const regions = await loadRegions(database.knex);
  const calendar = await loadCalendar(database.knex);
  fastify.decorate('calendar', calendar);
  // the unit and registration services need the engine, which needs their handlers: bind late
  const late: { registration?: Registration; filing?: Filing } = {};
  const registrationHandlers = Object.fromEntries(
    ['unit.registrationSubmitted', 'unit.registrationApproved', 'unit.registrationRejected', 'unit.parentChangeWithdrawn'].map((name) => [
      name,
      ((ctx) => (late.registration as Registration).handlers[name]!(ctx)) as ServiceHandler,
    ]),
  );
  const filingHandlers = Object.fromEntries(
    ['committee.filingSubmitted', 'committee.filingReturned', 'committee.filingRejected', 'committee.filingWithdrawn', 'committee.filingApproved'].map((name) => [
      name,
      ((ctx) => (late.filing as Filing).handlers[name]!(ctx)) as ServiceHandler,
    ]),
  );
  const activities = createActivityService({ db: database.knex, engine: () => fastify.engine });
  await fastify.register(enginePlugin, {
    handlers: { ...createDossierHandlers(database.knex, regions), ...reviewLevelHandlers, ...registrationHandlers, ...filingHandlers, ...activities.handlers },
    authorize: createTaskAuthorizer(createUnitPathCache(database.knex)),
    clock: opts.clock,
    cacheSize: config.ENGINE_CACHE_SIZE,
    // a calling step's setting (the case's own flow first) over the task's own
    dueDateOverride: (processKey, elementId, callPath) => {
      for (const step of callPath) {
        const [key, element] = step.split(':') as [string, string];
        const due = taskSettings.dueDate(key, element);
        if (due != null) return due;
      }
      return taskSettings.dueDate(processKey, elementId);
    },
  });
  await fastify.register(schedulerPlugin, {
    cronExpression: config.SWEEP_CRON,
    jobs: [
      { name: 'disable-inactive-accounts', cronExpression: config.ACCOUNT_SWEEP_CRON, run: () => disableInactiveAccounts(database.knex, fastify.engine.clock.now()) },
      { name: 'committee-terms', cronExpression: config.COMMITTEE_SWEEP_CRON, run: () => sweepCommitteeTerms(database.knex, fastify.engine.clock.now()) },
      { name: DEADLINE_JOB, cronExpression: config.DEADLINE_SWEEP_CRON, run: () => closeSubmissionWindows(database.knex, fastify.engine.clock.now()) },
      { name: CHAIN_JOB, cronExpression: config.CHAIN_SWEEP_CRON, run: () => sweepDossierChain(database.knex, fastify.engine, calendar, fastify.engine.clock.now()) },
    ],
  });
  const invalidate = () => fastify.principals.invalidate();
  const unitService = createUnitService({ db: database.knex, regions, engine: fastify.engine, now: () => fastify.engine.clock.now(), invalidate });
  const registration = createRegistration({ db: database.knex, engine: fastify.engine, units: unitService, invalidate });
  late.registration = registration;
  const committeeService = createCommitteeService({ db: database.knex, regions, now: () => fastify.engine.clock.now() });
  const filing = createFiling({ db: database.knex, engine: fastify.engine, committees: committeeService });
  late.filing = filing;

  await fastify.register(healthRoutes);
  await fastify.register(authRoutes, { loginRateLimit: config.LOGIN_RATE_LIMIT });
  // the activity's deadlines, checked when a dossier is submitted, passed on or received
  const { dossierSubmit, unitReview, committeeReceipt } = createDeadlineChecks(database.knex, fastify.engine.clock);
  // the review chain: return targets and delegations checked against the dossier's chain
  const chainCheck = createChainCheck(database.knex, fastify.engine.clock, regions);
  await fastify.register(tasksRoutes, {
    batchConcurrency: config.BATCH_CONCURRENCY,
    checks: {
      'unit-registration': registration.check,
      'committee-filing': filing.check,
      // deadline first (409), then the activity's own rules for the declaration (400)
      'dossier-submit': composeChecks(dossierSubmit, createDeclarationCheck(database.knex)),
      review: unitReview,
      'employer-review': unitReview,
      'chain-review': composeChecks(unitReview, chainCheck),
      'committee-receipt': composeChecks(committeeReceipt, chainCheck),
    },
  });
  await fastify.register(processesRoutes);
  await fastify.register(formsRoutes);
  await fastify.register(instancesRoutes, { cancelHooks: { 'dossier-review': cancelDossier }, startHooks: { 'dossier-review': withEligibility(createStartDossier(fastify.engine.clock), regions, fastify.engine.clock) } });
  await fastify.register(incidentsRoutes);
  await fastify.register(dossiersRoutes, { regions });
  await fastify.register(dossierOverdueRoutes);
  await fastify.register(opinionsRoutes);
  await fastify.register(filesRoutes);
  await fastify.register(regionsRoutes, { regions });
  await fastify.register(unitsRoutes, { service: unitService, registration, regions });
  await fastify.register(staffRoutes);
  await fastify.register(rolesRoutes);
  await fastify.register(applicantsRoutes);
  await fastify.register(routingRoutes, { regions });
  await fastify.register(calendarRoutes, { calendar });
  await fastify.register(expertsRoutes, { regions });
  await fastify.register(committeesRoutes, { service: committeeService, filing });
  await fastify.register(messagesRoutes);
  await fastify.register(dossierQueriesRoutes, { service: createDossierQueryService({ db: database.knex, regions, now: () => fastify.engine.clock.now() }) });
  await fastify.register(activitiesRoutes, { service: activities });
  await fastify.register(activitiesPublicRoutes, { service: activities });
  await fastify.register(settingsRoutes, { taskSettings });
  await fastify.register(reviewLevelsRoutes);
  await fastify.register(consolePlugin, { distDir: opts.consoleDir ?? CONSOLE_DIST });
};

export default fp(app, { name: 'zcps' });

/** Builds a ready Fastify instance (not listening) around an opened database. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: { level: opts.config.LOG_LEVEL },
    // errors are logged by our handler with the request id; per-request lines only add noise
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 20 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  await fastify.register(fp(app, { name: 'zcps' }), opts);
  await fastify.ready();
  return fastify as unknown as FastifyInstance;
}
