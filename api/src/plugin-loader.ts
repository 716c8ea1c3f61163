import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync, FastifyPluginOptions } from 'fastify';

interface PluginMeta {
  name?: string;
  dependencies?: string[];
}

interface Found {
  /** file name (plugins) or folder name (modules): what `exclude` names */
  id: string;
  name: string;
  dependencies: string[];
  plugin: FastifyPluginAsync<FastifyPluginOptions>;
}

/** `files`: every `.ts` file of the folder; `folders`: each sub-folder's `index.ts` */
export type PluginLayout = 'files' | 'folders';

// fastify-plugin keeps name and dependencies here
const META = Symbol.for('plugin-meta');

async function find(dir: string, layout: PluginLayout): Promise<Found[]> {
  const entries =
    layout === 'files'
      ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => ({ id: path.basename(f, '.ts'), file: path.join(dir, f) }))
      : fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'index.ts')))
          .map((d) => ({ id: d.name, file: path.join(dir, d.name, 'index.ts') }));
  const found: Found[] = [];
  for (const entry of entries.sort((a, b) => a.id.localeCompare(b.id))) {
    const plugin = ((await import(pathToFileURL(entry.file).href)) as { default?: unknown }).default;
    if (typeof plugin !== 'function') throw new Error(`${entry.file} 没有默认导出 Fastify 插件`);
    const meta = ((plugin as unknown as Record<symbol, PluginMeta | undefined>)[META] ?? {}) as PluginMeta;
    found.push({ id: entry.id, name: meta.name ?? entry.id, dependencies: meta.dependencies ?? [], plugin: plugin as FastifyPluginAsync<FastifyPluginOptions> });
  }
  return found;
}

const imported = new Map<string, Promise<Found[]>>();

/**
 * Imports a folder's plugins, once per process. Call it before registering: importing (and, in
 * tests, transforming) some forty files on a busy machine can outlast fastify's plugin timeout,
 * which is meant for the plugins' own start-up work.
 */
export function importPlugins(dir: string, layout: PluginLayout): Promise<Found[]> {
  const key = `${layout}:${dir}`;
  let found = imported.get(key);
  if (!found) {
    found = find(dir, layout);
    imported.set(key, found);
    found.catch(() => imported.delete(key));
  }
  return found;
}

/** Dependencies first; among plugins free to go, by name, so the order is the same on every start. */
function inDependencyOrder<F extends { name: string; dependencies: string[] }>(found: F[]): F[] {
  const byName = new Map(found.map((f) => [f.name, f]));
  if (byName.size !== found.length) throw new Error(`插件名称重复：${found.map((f) => f.name).filter((n, i, all) => all.indexOf(n) !== i).join('、')}`);
  const ordered: F[] = [];
  const placed = new Set<string>();
  let pending = [...found];
  while (pending.length) {
    // a dependency outside this folder was registered before it, or fastify-plugin refuses the plugin
    const ready = pending.filter((f) => f.dependencies.every((d) => placed.has(d) || !byName.has(d)));
    if (!ready.length) throw new Error(`插件之间循环依赖：${pending.map((f) => f.name).join('、')}`);
    const next = ready[0] as F;
    ordered.push(next);
    placed.add(next.name);
    pending = pending.filter((f) => f !== next);
  }
  return ordered;
}

/**
 * Registers every plugin of a folder with the app's options, in the order their fastify-plugin
 * `dependencies` ask for — so adding a plugin or a module edits no shared file. `exclude` names
 * files or folders to leave out; a name that is not there is an error, not a silent no-op.
 */
export async function loadPlugins<O extends FastifyPluginOptions>(
  fastify: FastifyInstance,
  dir: string,
  opts: O,
  options: { layout: PluginLayout; exclude?: readonly string[] },
): Promise<string[]> {
  const found = await importPlugins(dir, options.layout);
  const unknown = (options.exclude ?? []).filter((x) => !found.some((f) => f.id === x));
  if (unknown.length) throw new Error(`要排除的插件不存在：${unknown.join('、')}（${dir}）`);
  const ordered = inDependencyOrder(found.filter((f) => !options.exclude?.includes(f.id)));
  for (const { plugin } of ordered) await fastify.register(plugin, opts);
  return ordered.map((f) => f.name);
}
