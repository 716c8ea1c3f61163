import fp from 'fastify-plugin';
import { createEngine, mondayToFriday, type WorkflowEngine } from '../../../engine/index.ts';
import { formKeys } from '../../../forms/index.ts';
import type { AppOptions } from '../app.ts';
import { validateStartForm, validateTaskForm } from '../forms.ts';
import { createTaskAuthorizer, createUnitPathCache } from '../../modules/tasks/tasks.scope.ts';

declare module 'fastify' {
  interface FastifyInstance {
    engine: WorkflowEngine;
  }
}

/** The workflow engine on this app's database; the modules register their service handlers through `flows`. */
export default fp<Pick<AppOptions, 'config' | 'clock'>>(
  async (fastify, opts) => {
    const taskSettings = fastify.taskSettings;
    const engine = createEngine({
      db: fastify.db,
      clock: opts.clock,
      validateForm: validateTaskForm,
      validateStartForm,
      formKeys,
      authorize: createTaskAuthorizer(createUnitPathCache(fastify.db)),
      cacheSize: opts.config.ENGINE_CACHE_SIZE,
      // a calling step's setting (the case's own flow first) over the task's own
      dueDateOverride: (processKey, elementId, callPath) => {
        for (const step of callPath) {
          const [key, element] = step.split(':') as [string, string];
          const due = taskSettings.callDueDate(key, element);
          if (due != null) return due;
        }
        return taskSettings.dueDate(processKey, elementId);
      },
      // 工作日历 of the calendar module, loaded after the engine; Monday to Friday without it
      calendar: { isWorkingDay: (day) => (fastify.hasDecorator('calendar') ? fastify.calendar.dueDates : mondayToFriday).isWorkingDay(day) },
      log: {
        info: (obj, msg) => fastify.log.info(obj, msg),
        warn: (obj, msg) => fastify.log.warn(obj, msg),
        error: (obj, msg) => fastify.log.error(obj, msg),
      },
    });
    fastify.decorate('engine', engine);
  },
  { name: 'engine', dependencies: ['db', 'task-settings'] },
);
