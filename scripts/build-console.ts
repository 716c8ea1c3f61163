/**
 * Builds the console (admin-ui, Vite) when its build is missing or older than its sources;
 * used by the start command and the end-to-end tests. `npx tsx scripts/build-console.ts --force`
 * rebuilds unconditionally.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CONSOLE_DIR = path.join(root, 'admin-ui');
export const CONSOLE_DIST = path.join(CONSOLE_DIR, 'dist');
const STAMP = path.join(CONSOLE_DIST, '.build-stamp');
// the console bundles the diagram checks it shares with deploy
const LINT_PLUGIN_DIR = path.join(root, 'engine/bpmnlint-plugin-zcps');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name === 'test') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export function consoleIsStale(): boolean {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(CONSOLE_DIST, 'index.html'))) return true;
  const lockfile = path.join(root, 'package-lock.json');
  const deps = fs.existsSync(lockfile) ? fs.statSync(lockfile).mtimeMs : 0;
  return Math.max(newestSource(CONSOLE_DIR), newestSource(LINT_PLUGIN_DIR), deps) > fs.statSync(STAMP).mtimeMs;
}

// text-like files worth compressing; images and woff2 fonts are compressed already
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|eot|ttf|otf|woff|map)$/;

/**
 * Writes a .br and a .gz beside every compressible file of the build, once: @fastify/static
 * serves them (preCompressed) without compressing on every request. Brotli at 9, not 11: 11
 * took ten times as long (38 s against 3.7 s here) for 7 % less.
 */
export function precompress(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      precompress(full);
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name)) continue;
    const content = fs.readFileSync(full);
    if (content.length < 1024) continue;
    fs.writeFileSync(`${full}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    fs.writeFileSync(`${full}.gz`, zlib.gzipSync(content, { level: 9 }));
  }
}

export async function buildConsole(options: { force?: boolean; log?: (msg: string) => void } = {}): Promise<boolean> {
  if (!options.force && !consoleIsStale()) return false;
  options.log?.('正在构建管理控制台（首次启动或源码有更新）…');
  const { build } = await import('vite');
  // vite's build sets NODE_ENV=production in this process and leaves it there: the server that
  // built its console (`npm run demo`) would then start as production (and refuse without secrets)
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ configFile: path.join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  precompress(CONSOLE_DIST);
  fs.writeFileSync(STAMP, new Date().toISOString());
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = Date.now();
  await buildConsole({ force: process.argv.includes('--force'), log: (m) => console.log(m) });
  console.log(`控制台已就绪（${((Date.now() - started) / 1000).toFixed(1)}s）：${CONSOLE_DIST}`);
}
