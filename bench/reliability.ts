/**
 * The reliability runner: runs every harness of bench/ in turn (race, two-process, crash, outage,
 * fuzz, scope, uploads), each in its own process, collects the RESULT line each prints last,
 * prints a table and rewrites the figures block of docs/reliability.md (between
 * `<!-- reliability:begin -->` and `<!-- reliability:end -->`).
 *
 *   npm run reliability [-- --quick] [-- --only race,two-process]
 *
 * --quick is passed through to each harness. --only runs some harnesses and keeps the figures the
 * page holds for the others. A harness whose file is missing is skipped with a note. Exits 1 when
 * a harness run fails.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOC = path.join(ROOT, 'docs/reliability.md');
const BEGIN = '<!-- reliability:begin -->';
const END = '<!-- reliability:end -->';

/** The harnesses, in the order they run, with what each is called before it has run. */
export const HARNESSES: Array<{ name: string; title: string }> = [
  { name: 'race', title: '并发竞争' },
  { name: 'two-process', title: '多进程' },
  { name: 'crash', title: '进程崩溃' },
  { name: 'outage', title: '数据库中断' },
  { name: 'fuzz', title: '模糊测试' },
  { name: 'scope', title: '权限范围矩阵' },
  { name: 'uploads', title: '上传文件' },
];

export interface HarnessResult {
  harness: string;
  title: string;
  ok: boolean;
  counts: Record<string, number>;
  seconds: number;
  /** quick or full run, the commit and the day it ran: the page may mix runs of several days */
  quick?: boolean;
  commit?: string;
  at?: string;
  /** why there is no figure: the file is missing, or the run ended without a RESULT line */
  note?: string;
}

/** The RESULT line a harness prints last (the last one, should it print more). */
export function resultOf(stdout: string): Omit<HarnessResult, 'quick' | 'commit' | 'at'> | null {
  const lines = stdout.split('\n').filter((l) => l.startsWith('RESULT '));
  const last = lines.at(-1);
  if (!last) return null;
  try {
    return JSON.parse(last.slice('RESULT '.length)) as HarnessResult;
  } catch {
    return null;
  }
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${sha}+改动` : sha;
  } catch {
    return '未知';
  }
}

/** Runs one harness, its output passed through; answers its RESULT (or a note why there is none). */
async function runHarness(name: string, quick: boolean): Promise<HarnessResult> {
  const file = path.join(ROOT, 'bench', `${name}.ts`);
  const title = HARNESSES.find((h) => h.name === name)?.title ?? name;
  if (!fs.existsSync(file)) return { harness: name, title, ok: false, counts: {}, seconds: 0, note: `本分支没有 bench/${name}.ts，跳过` };
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...(quick ? ['--quick'] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    process.stdout.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const result = resultOf(stdout);
  if (!result) return { harness: name, title, ok: false, counts: {}, seconds, note: `没有 RESULT 行（退出码 ${code}）` };
  // the exit code is the harness's verdict too: a RESULT that says ok from a failed process is not
  return { ...result, ok: result.ok && code === 0, ...(result.ok && code !== 0 ? { note: `退出码 ${code}` } : {}) };
}

const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join('，');

/** The figures block: machine, then one row per harness (those run now and those kept from before). */
export function figuresBlock(results: HarnessResult[], machine: string): string {
  const rows = results.map((r) =>
    `| ${r.harness} | ${r.title} | ${r.note && !Object.keys(r.counts).length ? '—' : r.ok ? '通过' : '**未通过**'} | ${r.note ? `${r.note}${Object.keys(r.counts).length ? '；' : ''}` : ''}${countsText(r.counts)} | ${r.seconds || '—'} | ${r.quick == null ? '—' : r.quick ? '快速' : '完整'} | ${r.commit ?? '—'} | ${r.at ?? '—'} |`,
  );
  return [
    BEGIN,
    `机器：${machine}。由 \`npm run reliability\` 生成，请勿手改本段。`,
    '',
    '| 脚本 | 内容 | 结果 | 计数 | 秒 | 规模 | 提交 | 日期 (UTC) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `<!-- reliability:data ${JSON.stringify(results)} -->`,
    END,
  ].join('\n');
}

/** The results the page holds now (from its data comment), by harness. */
export function previousResults(doc: string): Map<string, HarnessResult> {
  const m = doc.match(/<!-- reliability:data (.*) -->/);
  if (!m) return new Map();
  try {
    return new Map((JSON.parse(m[1]!) as HarnessResult[]).map((r) => [r.harness, r]));
  } catch {
    return new Map();
  }
}

/** The page with its figures block replaced (or appended when the markers are missing). */
export function withFigures(doc: string, block: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return `${doc.trimEnd()}\n\n${block}\n`;
  return doc.slice(0, start) + block + doc.slice(end + END.length);
}

async function main() {
  const quick = process.argv.includes('--quick');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]!.split(',')) : null;
  const cpus = os.cpus();
  const machine = `${cpus.length} 核 ${cpus[0]?.model ?? ''}，${Math.round(os.totalmem() / 2 ** 30)} GB，Node ${process.version}`;
  const doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# 可靠性\n';
  const before = previousResults(doc);
  const at = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const sha = commit();
  const results: HarnessResult[] = [];
  for (const h of HARNESSES) {
    if (only && !only.has(h.name)) {
      results.push(before.get(h.name) ?? { harness: h.name, title: h.title, ok: false, counts: {}, seconds: 0, note: '尚未运行' });
      continue;
    }
    console.log(`\n=== ${h.name}（${h.title}）${quick ? ' --quick' : ''} ===`);
    const r = await runHarness(h.name, quick);
    if (r.note) console.log(`  ${r.note}`);
    results.push(r.note?.startsWith('本分支没有') ? r : { ...r, quick, commit: sha, at });
  }
  console.log('\n可靠性汇总');
  for (const r of results) console.log(`  ${r.harness.padEnd(12)} ${(r.note && !Object.keys(r.counts).length ? '—' : r.ok ? '通过' : '未通过').padEnd(4)} ${String(r.seconds || '—').padStart(7)} s  ${r.note ?? ''} ${countsText(r.counts)}`);
  fs.writeFileSync(DOC, withFigures(doc, figuresBlock(results, machine)));
  console.log(`\n已写入 ${path.relative(ROOT, DOC)}`);
  const ran = results.filter((r) => (!only || only.has(r.harness)) && !r.note?.startsWith('本分支没有'));
  process.exit(ran.every((r) => r.ok) ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) void main();
