/**
 * `npm audit` of the production dependencies, as a CI step: fails on a high or critical advisory
 * that security/audit-allowlist.json does not accept (with its reason); only warns when the
 * registry cannot be asked (offline CI, a mirror without the audit endpoint).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ALLOWLIST_FILE = path.join(root, 'security/audit-allowlist.json');

export interface AllowedAdvisory {
  /** GHSA-… or npm's numeric advisory id */
  id: string;
  package: string;
  reason: string;
}

export interface Finding {
  id: string;
  package: string;
  severity: string;
  title: string;
}

/** What npm's JSON report says, in the parts read here (npm ≥ 7). */
interface AuditReport {
  error?: unknown;
  message?: string;
  vulnerabilities?: Record<string, { severity?: string; via?: Array<string | { source?: number; title?: string; url?: string; severity?: string; name?: string }> }>;
}

const BLOCKING = new Set(['high', 'critical']);

/** The high and critical advisories of a report, one per advisory and package. */
export function findingsOf(report: AuditReport): Finding[] {
  const out = new Map<string, Finding>();
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    for (const via of v.via ?? []) {
      // a string names another vulnerable package, whose own entry carries the advisory
      if (typeof via === 'string' || !BLOCKING.has(via.severity ?? '')) continue;
      const id = via.url?.match(/GHSA-[\w-]+/)?.[0] ?? String(via.source ?? via.url ?? via.title);
      out.set(`${id}|${via.name ?? name}`, { id, package: via.name ?? name, severity: via.severity!, title: via.title ?? '' });
    }
  }
  return [...out.values()];
}

/** The findings not accepted by the allow-list, and the accepted ids no longer reported. */
export function judge(report: AuditReport, allowed: AllowedAdvisory[]): { blocking: Finding[]; accepted: Finding[]; stale: AllowedAdvisory[] } {
  const findings = findingsOf(report);
  const ok = (f: Finding) => allowed.some((a) => a.id === f.id && (a.package === f.package || a.package === '*'));
  return {
    blocking: findings.filter((f) => !ok(f)),
    accepted: findings.filter(ok),
    stale: allowed.filter((a) => !findings.some((f) => f.id === a.id)),
  };
}

/** The report, or null with the reason when the registry could not be asked. */
function runAudit(): { report: AuditReport } | { unavailable: string } {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) return { unavailable: run.error.message };
  let report: AuditReport;
  try {
    report = JSON.parse(run.stdout || '{}') as AuditReport;
  } catch {
    return { unavailable: (run.stderr || run.stdout).trim().split('\n').slice(-1)[0] ?? '无法解析 npm audit 的输出' };
  }
  // npm answers an unreachable or refusing registry with an error object, not a report
  if (!report.vulnerabilities) return { unavailable: report.message ?? JSON.stringify(report.error ?? report).slice(0, 200) };
  return { report };
}

function main(): void {
  const allowed = (JSON.parse(fs.readFileSync(ALLOWLIST_FILE, 'utf8')) as { advisories: AllowedAdvisory[] }).advisories;
  const result = runAudit();
  if ('unavailable' in result) {
    console.warn(`⚠ npm audit 无法查询漏洞库，已跳过（不视为失败）：${result.unavailable}`);
    return;
  }
  const { blocking, accepted, stale } = judge(result.report, allowed);
  for (const f of accepted) console.log(`  已接受：${f.id} ${f.package}（${f.severity}）${f.title}`);
  for (const a of stale) console.log(`  允许清单中的 ${a.id}（${a.package}）已不再报告，可从 security/audit-allowlist.json 删除`);
  if (blocking.length) {
    console.error(`✗ 生产依赖有 ${blocking.length} 个未接受的高危或严重漏洞：`);
    for (const f of blocking) console.error(`  ${f.id} ${f.package}（${f.severity}）${f.title}`);
    console.error('  升级依赖，或在 security/audit-allowlist.json 中写明接受的理由。');
    process.exit(1);
  }
  console.log(`✓ npm audit：没有未接受的高危或严重漏洞（已接受 ${accepted.length} 个）`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
