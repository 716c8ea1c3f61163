/**
 * The whole suite, as CI runs it: type-check, lint, npm audit against security/audit-allowlist.json, then unit, integration and end-to-end tests
 * against a real PostgreSQL 15 that the vitest global setup starts (and installs with apt-get if
 * missing); the end-to-end tests build the console and drive Debian's Chromium.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

const steps: Array<[string, string, string[]]> = [
  ['类型检查 (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', root]],
  ['控制台类型检查 (tsc --noEmit -p admin-ui)', bin('tsc'), ['--noEmit', '-p', path.join(root, 'admin-ui')]],
  ['代码检查 (eslint)', bin('eslint'), ['--max-warnings=0', root]],
  // fails on a new high or critical advisory; only warns when the registry cannot be asked
  ['依赖安全审计 (npm audit --omit=dev)', bin('tsx'), [path.join(root, 'scripts/npm-audit.ts')]],
  ['单元与集成测试 (vitest, PostgreSQL 15)', bin('vitest'), ['run', ...process.argv.slice(2)]],
];

for (const [title, cmd, args] of steps) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${title} 失败（${seconds}s）`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${title}（${seconds}s）`);
}
