import fs from 'node:fs';
import path from 'node:path';

export interface CpuSeconds {
  /** the API: the given process and its children (cluster workers) */
  api: number;
  /** this run's PostgreSQL server: its postmaster and backends */
  postgres: number;
  /** this process (the load generator, or the API itself when it runs in this process) */
  self: number;
}

/** The postmaster of a server started by tests/helpers/pg-server.ts. */
export function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/**
 * CPU seconds used so far by this run's processes only — not other servers or PostgreSQL
 * clusters on a shared machine.
 */
export function cpuSnapshot(postmaster: number, apiPid?: number): CpuSeconds {
  const out = { api: 0, postgres: 0, self: 0 };
  const ticks = 100;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticks;
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      if (pid === process.pid) out.self += seconds;
      else if (apiPid !== undefined && (pid === apiPid || ppid === apiPid)) out.api += seconds;
      else if (pid === postmaster || ppid === postmaster) out.postgres += seconds;
    } catch {
      // the process ended while we read it
    }
  }
  return out;
}

/** What was used between two snapshots. */
export function cpuUsed(from: CpuSeconds, to: CpuSeconds): CpuSeconds {
  return { api: to.api - from.api, postgres: to.postgres - from.postgres, self: to.self - from.self };
}
