import type { Knex } from 'knex';
import type { MigrationProgress } from '../../../engine/engine.ts';

export interface MigrationRunRow {
  id: number;
  processKey: string;
  fromVersion: number;
  toVersion: number;
  mapping: Record<string, string>;
  status: 'running' | 'done' | 'failed';
  total: number;
  migrated: number;
  already: number;
  refused: number;
  failed: number;
  problems: Array<{ instanceId: string; status: string; reason: string | null }>;
  error: string | null;
  startedBy: number | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

const toJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function mapRun(r: Record<string, unknown>): MigrationRunRow {
  return {
    id: Number(r.id),
    processKey: String(r.process_key),
    fromVersion: Number(r.from_version),
    toVersion: Number(r.to_version),
    mapping: toJson<Record<string, string>>(r.mapping) ?? {},
    status: r.status as MigrationRunRow['status'],
    total: Number(r.total),
    migrated: Number(r.migrated),
    already: Number(r.already),
    refused: Number(r.refused),
    failed: Number(r.failed),
    problems: toJson<MigrationRunRow['problems']>(r.problems) ?? [],
    error: (r.error as string | null) ?? null,
    startedBy: r.started_by == null ? null : Number(r.started_by),
    startedAt: new Date(r.started_at as string),
    updatedAt: new Date(r.updated_at as string),
    finishedAt: r.finished_at == null ? null : new Date(r.finished_at as string),
  };
}

/** Runs of 迁移运行中实例 and their progress. */
export function createInstanceMigrationsRepository(db: Knex) {
  return {
    /** A new run, or null when one of the same flow is still running (the partial unique index decides across processes). */
    async start(input: { processKey: string; fromVersion: number; toVersion: number; mapping: Record<string, string>; total: number; startedBy: number | null; now: Date }): Promise<MigrationRunRow | null> {
      const result = await db.raw(
        `insert into instance_migrations (process_key, from_version, to_version, mapping, status, total, started_by, started_at, updated_at)
         values (?, ?, ?, ?::jsonb, 'running', ?, ?, ?, ?)
         on conflict (process_key) where status = 'running' do nothing
         returning *`,
        [input.processKey, input.fromVersion, input.toVersion, JSON.stringify(input.mapping), input.total, input.startedBy, input.now, input.now],
      );
      const rows = result.rows as Array<Record<string, unknown>>;
      return rows[0] ? mapRun(rows[0]) : null;
    },

    async progress(id: number, progress: MigrationProgress, now: Date): Promise<void> {
      await db('instance_migrations')
        .where({ id })
        .update({
          total: progress.total,
          migrated: progress.migrated,
          already: progress.already,
          refused: progress.refused,
          failed: progress.failed,
          problems: JSON.stringify(progress.results.filter((r) => r.status === 'refused' || r.status === 'failed').slice(0, 1000)),
          updated_at: now,
        });
    },

    async finish(id: number, status: 'done' | 'failed', error: string | null, now: Date): Promise<void> {
      await db('instance_migrations').where({ id }).update({ status, error, finished_at: now, updated_at: now });
    },

    async get(processKey: string, id: number): Promise<MigrationRunRow | null> {
      const row = await db('instance_migrations').where({ id, process_key: processKey }).first();
      return row ? mapRun(row as Record<string, unknown>) : null;
    },

    async recent(processKey: string, limit = 20): Promise<MigrationRunRow[]> {
      const rows = (await db('instance_migrations').where({ process_key: processKey }).orderBy('id', 'desc').limit(limit)) as Array<Record<string, unknown>>;
      return rows.map(mapRun);
    },

    /** Runs a process that stopped left as running (a restart): marked failed so a new run may start. */
    async abandon(now: Date): Promise<number> {
      return db('instance_migrations').where({ status: 'running' }).andWhere('updated_at', '<', new Date(now.getTime() - 10 * 60_000)).update({ status: 'failed', error: '运行中断（服务重启），请重新执行；已迁移的实例不会重复迁移', finished_at: now, updated_at: now });
    },
  };
}
