import type { Knex } from 'knex';
import type { WorkflowEngine } from '../../../engine/index.ts';
import type { InstanceRecord } from '../../../engine/types.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';

/**
 * Who may read a case: monitors, whoever started it, whoever worked on it, and whoever may act on
 * one of its open tasks.
 */
export async function canViewInstance(db: Knex, engine: WorkflowEngine, actor: RequestActor, instance: Pick<InstanceRecord, 'rootInstanceId' | 'startedBy'>): Promise<boolean> {
  if (actor.roles.includes('process.monitor')) return true;
  if (instance.startedBy === actor.userId) return true;
  const root = instance.rootInstanceId;
  const rootRow = await db('process_instances').select('started_by').where({ id: root }).first();
  if (rootRow && Number(rootRow.started_by) === actor.userId) return true;
  const done = await db('tasks').select('id').where({ root_instance_id: root, completed_by: actor.userId }).first();
  if (done) return true;
  for (const task of await engine.repo.openTasksOfRoot(root)) {
    if (await engine.canAct(actor, task)) return true;
  }
  return false;
}
