import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgServer {
  url: string;
  port: number;
  dataDir: string;
  stop(): void;
  /** stops the server but keeps its data (an outage); `mode` as pg_ctl's -m */
  halt(mode?: 'smart' | 'fast' | 'immediate'): void;
  /** starts a halted server again on the same port */
  resume(): void;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian's PostgreSQL 15 when its binaries are missing (CI starts from a clean machine). */
export function ensurePostgresInstalled(): void {
  if (fs.existsSync(path.join(PG_BIN, 'initdb'))) return;
  if (!isRoot()) throw new Error(`PostgreSQL 15 not found in ${PG_BIN}; install postgresql-15 or set PG_BIN`);
  console.warn('installing postgresql-15 with apt-get …');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql-15'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs a PostgreSQL tool, as the postgres system user when we are root (initdb refuses root). */
function pgTool(tool: string, args: string[], options: { quiet?: boolean } = {}) {
  const bin = path.join(PG_BIN, tool);
  const [cmd, cmdArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, cmdArgs, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  if (!options.quiet && result.stderr.trim()) process.stderr.write(result.stderr);
  return result.stdout;
}

export interface StartOptions {
  /** durable settings for benchmarks; tests run without fsync */
  durable?: boolean;
  maxConnections?: number;
}

/** Starts a throw-away PostgreSQL 15 server in a temporary directory on a free port. */
export async function startPostgres(options: StartOptions = {}): Promise<PgServer> {
  ensurePostgresInstalled();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pg-'));
  const dataDir = path.join(base, 'data');
  fs.mkdirSync(dataDir);
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', base]);
  fs.chmodSync(base, 0o755);
  pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '-N'], { quiet: true });
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${base}`,
    "-c listen_addresses='127.0.0.1'",
    `-c max_connections=${options.maxConnections ?? 200}`,
    '-c shared_buffers=128MB',
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ...(process.env.PG_STAT_STATEMENTS ? ['-c shared_preload_libraries=pg_stat_statements'] : []),
  ];
  const start = () => pgTool('pg_ctl', ['-D', dataDir, '-l', path.join(base, 'server.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start'], { quiet: true });
  start();
  let stopped = false;
  let halted = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        if (!halted) pgTool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { quiet: true });
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    },
    halt(mode = 'fast') {
      if (halted || stopped) return;
      pgTool('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'], { quiet: true });
      halted = true;
    },
    resume() {
      if (!halted || stopped) return;
      start();
      halted = false;
    },
  };
}
