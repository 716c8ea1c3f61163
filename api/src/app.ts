import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DeployResult } from '../../engine/index.ts';
import type { Clock } from '../../engine/types.ts';
import '../../forms/zod-zh.ts';
import type { Config } from './config.ts';
import type { Database } from './db.ts';
import { importPlugins, loadPlugins } from './plugin-loader.ts';
import { LOG_REDACT_PATHS, scrubLogLine } from './pii.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PLUGINS_DIR = path.join(here, 'plugins');
const MODULES_DIR = path.resolve(here, '../modules');

export interface AppOptions {
  config: Config;
  database: Database;
  /** injected in tests to move time */
  clock?: Clock;
  /** real time for login sessions (idle end), injected apart from `clock` in tests */
  sessionClock?: Clock;
  /** folder of the built console; defaults to admin-ui/dist */
  consoleDir?: string;
  /** feature modules (folders of api/modules) to leave out, e.g. to show what one module brings */
  withoutModules?: readonly string[];
  /** plugins registered after the modules, as a module would be (tests) */
  extraModules?: ReadonlyArray<FastifyPluginAsync<AppOptions>>;
  /** where log lines go instead of stdout (tests read them back) */
  logStream?: { write(line: string): void };
}

/**
 * The whole API as one plugin: the cross-cutting plugins of api/src/plugins, then every feature
 * module (api/modules/<feature>/index.ts), each in the order its dependencies ask for.
 */
const app: FastifyPluginAsync<AppOptions> = async (fastify, opts) => {
  await loadPlugins(fastify, PLUGINS_DIR, opts, { layout: 'files' });
  await loadPlugins(fastify, MODULES_DIR, opts, { layout: 'folders', exclude: opts.withoutModules });
  for (const extra of opts.extraModules ?? []) await fastify.register(extra, opts);
};

export default fp(app, { name: 'zcps' });

/**
 * Deploys every diagram of a folder (processes/ at start) as new versions where changed, then
 * reports the registered keys that none of the deployed diagrams uses.
 */
export async function deployProcesses(fastify: FastifyInstance, dir: string): Promise<DeployResult[]> {
  const results = await fastify.engine.deployDirectory(dir);
  await fastify.flows.reportUnusedKeys();
  return results;
}

/** Builds a ready Fastify instance (not listening) around an opened database. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const fastify = Fastify({
    logger: {
      level: opts.config.LOG_LEVEL,
      // 个人信息: passwords, tokens, declaration contents removed by path; ID and mobile numbers
      // (and any JWT) masked in whatever text is left, as the last step before a line is written
      redact: { paths: LOG_REDACT_PATHS, censor: '[Redacted]' },
      hooks: { streamWrite: scrubLogLine },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    // errors are logged by our handler with the request id; per-request lines only add noise
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 20 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  // imported outside the plugin timeout, which is for the plugins' start-up work
  await Promise.all([importPlugins(PLUGINS_DIR, 'files'), importPlugins(MODULES_DIR, 'folders')]);
  try {
    await fastify.register(fp(app, { name: 'zcps' }), opts);
    await fastify.ready();
  } catch (err) {
    // a refused start (a missing dependency, a key registered twice) leaves no timers behind
    await fastify.close().catch(() => undefined);
    throw err;
  }
  return fastify as unknown as FastifyInstance;
}
