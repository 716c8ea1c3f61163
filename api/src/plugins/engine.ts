import fp from 'fastify-plugin';
import { createEngine, type WorkflowEngine } from '../../../engine/index.ts';
import type { Clock, ServiceHandler, TaskAuthorizer } from '../../../engine/types.ts';
import { formKeys } from '../../../forms/index.ts';
import { validateStartForm, validateTaskForm } from '../forms.ts';

declare module 'fastify' {
  interface FastifyInstance {
    engine: WorkflowEngine;
  }
}

export interface EnginePluginOptions {
  handlers: Record<string, ServiceHandler>;
  authorize?: TaskAuthorizer;
  clock?: Clock;
  cacheSize?: number;
  dueDateOverride?: (processKey: string, elementId: string, callPath: readonly string[]) => string | null | undefined;
}

/** The workflow engine on this app's database, with the service handlers the modules provide. */
export default fp<EnginePluginOptions>(
  async (fastify, opts) => {
    const engine = createEngine({
      db: fastify.db,
      handlers: opts.handlers,
      clock: opts.clock,
      validateForm: validateTaskForm,
      validateStartForm,
      formKeys,
      authorize: opts.authorize,
      cacheSize: opts.cacheSize,
      dueDateOverride: opts.dueDateOverride,
      log: {
        info: (obj, msg) => fastify.log.info(obj, msg),
        warn: (obj, msg) => fastify.log.warn(obj, msg),
        error: (obj, msg) => fastify.log.error(obj, msg),
      },
    });
    fastify.decorate('engine', engine);
  },
  { name: 'engine', dependencies: ['db'] },
);
