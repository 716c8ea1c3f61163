import fp from 'fastify-plugin';
import { formKeyLiterals } from '../../../engine/compile.ts';
import { isFeel } from '../../../engine/expressions.ts';
import type { DefinitionMeta, ServiceHandler } from '../../../engine/types.ts';
import type { CompletionCheck } from '../../modules/tasks/tasks.service.ts';
import type { CancelHook, StartHook } from '../../modules/instances/instances.hooks.ts';
import type { ScheduledJob } from './scheduler.ts';

/** Registered keys that no deployed diagram (latest version of a flow, or one with running cases) uses. */
export interface UnusedKeys {
  /** service-task handlers no `zcps:handler` names */
  handlers: string[];
  /** form keys with a completion check that no user task shows */
  checks: string[];
  /** process keys with a start hook that is not deployed */
  startHooks: string[];
  cancelHooks: string[];
  /** jobs with what they work on that no deployed diagram has */
  jobs: Array<{ name: string; missing: string[] }>;
}

/** The flow keys a module registers against; each key once (a second registration stops the start). */
export interface FlowRegistry {
  /** a service-task handler, named by `zcps:handler` */
  handler(name: string, fn: ServiceHandler): void;
  handlers(all: Record<string, ServiceHandler>): void;
  /** checks of a form's data before a completion, by the user task's form key */
  check(formKey: string, fn: CompletionCheck): void;
  /** domain records a flow needs before it starts, by process key */
  startHook(processKey: string, fn: StartHook): void;
  /** domain records to update when an administrator cancels a case, by process key */
  cancelHook(processKey: string, fn: CancelHook): void;
  /** a scheduled job; `uses` names the flows, elements (`processKey:elementId`) and forms it works on */
  job(job: ScheduledJob): void;
  readonly checks: Readonly<Record<string, CompletionCheck>>;
  readonly startHooks: Readonly<Record<string, StartHook>>;
  readonly cancelHooks: Readonly<Record<string, CancelHook>>;
  jobs(): ScheduledJob[];
  /** the key report, recomputed once another version has been deployed (by any process) */
  unusedKeys(): Promise<UnusedKeys>;
  /** recomputes the key report and logs a warning when anything is unused (at start and after a deploy) */
  reportUnusedKeys(): Promise<UnusedKeys>;
}

declare module 'fastify' {
  interface FastifyInstance {
    flows: FlowRegistry;
  }
}

interface DeployedKeys {
  handlers: Set<string>;
  forms: Set<string>;
  processes: Set<string>;
  elements: Set<string>;
}

/** What the deployed diagrams name, from the metadata the engine stored with each version. */
function keysOf(metas: DefinitionMeta[]): DeployedKeys {
  const keys: DeployedKeys = { handlers: new Set(), forms: new Set(), processes: new Set(), elements: new Set() };
  for (const meta of metas) {
    keys.processes.add(meta.key);
    for (const s of meta.serviceTasks) keys.handlers.add(s.handler);
    for (const u of meta.userTasks) {
      if (!u.formKey) continue;
      // a form the caller chooses names its candidates as literals
      for (const form of isFeel(u.formKey) ? formKeyLiterals(u.formKey) : [u.formKey]) keys.forms.add(form);
    }
    const ids = [...meta.userTasks, ...meta.serviceTasks, ...meta.callActivities].map((e) => e.id).concat(Object.keys(meta.elementNames));
    for (const id of ids) keys.elements.add(`${meta.key}:${id}`);
  }
  return keys;
}

/** Registered service handlers, completion checks, start and cancel hooks and jobs, and the report of the unused ones. */
export default fp(
  async (fastify) => {
    const handlers = new Map<string, ServiceHandler>();
    const checks: Record<string, CompletionCheck> = Object.create(null);
    const startHooks: Record<string, StartHook> = Object.create(null);
    const cancelHooks: Record<string, CancelHook> = Object.create(null);
    const jobs = new Map<string, ScheduledJob>();

    const once = (kind: string, key: string, taken: boolean) => {
      if (taken) throw new Error(`${kind}“${key}”重复注册：每个键只能由一个模块注册`);
    };

    const deployedMetas = async (): Promise<DefinitionMeta[]> => {
      // older versions count while cases still run on them
      const rows = await fastify.db('process_definitions as d')
        .select('d.meta')
        .whereRaw('d.version = (select max(x.version) from process_definitions x where x.key = d.key)')
        .orWhereIn('d.id', fastify.db('process_instances').distinct('definition_id').where('status', 'running'));
      return rows.map((r: { meta: unknown }) => (typeof r.meta === 'string' ? JSON.parse(r.meta) : r.meta) as DefinitionMeta);
    };

    const compute = async (): Promise<UnusedKeys> => {
      const used = keysOf(await deployedMetas());
      const sorted = (keys: Iterable<string>, inUse: Set<string>) => [...keys].filter((k) => !inUse.has(k)).sort();
      return {
        handlers: sorted(handlers.keys(), used.handlers),
        checks: sorted(Object.keys(checks), used.forms),
        startHooks: sorted(Object.keys(startHooks), used.processes),
        cancelHooks: sorted(Object.keys(cancelHooks), used.processes),
        jobs: [...jobs.values()]
          .map((job) => ({
            name: job.name,
            missing: [
              ...(job.uses?.processes ?? []).filter((k) => !used.processes.has(k)),
              ...(job.uses?.elements ?? []).filter((k) => !used.elements.has(k)),
              ...(job.uses?.forms ?? []).filter((k) => !used.forms.has(k)),
            ],
          }))
          .filter((j) => j.missing.length > 0)
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    };

    // the newest definition id stands for "what is deployed": cheap to read on every health check
    let cached: { latestId: number; report: UnusedKeys } | null = null;
    const latestId = async () => Number((await fastify.db('process_definitions').max<{ id: number | null }[]>({ id: 'id' }))[0]?.id ?? 0);
    const refresh = async () => {
      const id = await latestId();
      cached = { latestId: id, report: await compute() };
      return cached.report;
    };

    const registry: FlowRegistry = {
      handler(name, fn) {
        once('服务任务处理器', name, handlers.has(name));
        handlers.set(name, fn);
        fastify.engine.registerHandler(name, fn);
      },
      handlers(all) {
        for (const [name, fn] of Object.entries(all)) registry.handler(name, fn);
      },
      check(formKey, fn) {
        once('完成检查（表单）', formKey, formKey in checks);
        checks[formKey] = fn;
      },
      startHook(processKey, fn) {
        once('启动钩子（流程）', processKey, processKey in startHooks);
        startHooks[processKey] = fn;
      },
      cancelHook(processKey, fn) {
        once('撤销钩子（流程）', processKey, processKey in cancelHooks);
        cancelHooks[processKey] = fn;
      },
      job(job) {
        once('定时任务', job.name, jobs.has(job.name));
        jobs.set(job.name, job);
      },
      checks,
      startHooks,
      cancelHooks,
      jobs: () => [...jobs.values()],
      async unusedKeys() {
        if (cached && cached.latestId === (await latestId())) return cached.report;
        return refresh();
      },
      async reportUnusedKeys() {
        const report = await refresh();
        const unused = [...report.handlers, ...report.checks, ...report.startHooks, ...report.cancelHooks];
        if (unused.length || report.jobs.length) {
          fastify.log.warn({ unusedKeys: report }, `已注册的键没有任何已部署的流程图使用（检查表单键、元素标识是否改名）：${[...unused, ...report.jobs.map((j) => `${j.name}（缺 ${j.missing.join('、')}）`)].join('、')}`);
        }
        return report;
      },
    };
    fastify.decorate('flows', registry);
  },
  { name: 'flows', dependencies: ['db', 'engine'] },
);
