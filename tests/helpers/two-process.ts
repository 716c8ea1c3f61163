/**
 * What bench/two-process.ts and tests/integration/two-process-*.test.ts share: due 修改期限已过
 * timers on returned cases, and the outcome of a workload read from the database as counts that
 * must come out the same whether one API process or several ran it.
 */
import type { Knex } from 'knex';

/**
 * Makes the 修改期限已过 timer of each returned case due at `at`: its dossier's revision deadline
 * passed a minute before (the 核对修改期限 step reads it again when the timer fires) and the
 * timer row's due time is `at`.
 */
export async function makeRevisionTimersDue(knex: Knex, instanceIds: string[], at: Date): Promise<number> {
  await knex('dossiers').whereIn('instance_id', instanceIds).update({ revision_deadline: new Date(at.getTime() - 60_000) });
  return knex('timers').whereIn('root_instance_id', instanceIds).where({ status: 'pending', element_id: 'revision_lapsed' }).update({ due_at: at });
}

/** Timers of these cases still pending, and messages between flows not yet delivered. */
export async function pendingWork(knex: Knex, instanceIds: string[]): Promise<{ timers: number; messages: number }> {
  const [timers] = await knex('timers').whereIn('root_instance_id', instanceIds).where({ status: 'pending' }).count<Array<{ n: number }>>({ n: '*' });
  const [messages] = await knex('process_messages').where({ status: 'pending' }).count<Array<{ n: number }>>({ n: '*' });
  return { timers: Number(timers?.n), messages: Number(messages?.n) };
}

/** How many of `values` there are of each value, keys sorted (a histogram as a plain object). */
function histogram(values: Array<string | number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values.map(String).sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export interface Outcome {
  /** completed tasks of the cases by element */
  completedTasks: Record<string, number>;
  /** open tasks of the cases by element */
  openTasks: Record<string, number>;
  /** the cases' instances by status */
  instances: Record<string, number>;
  /** their dossiers by status */
  dossiers: Record<string, number>;
  /** for each timer case, how often a timer fired: { "1": cases } when each fired once */
  timerFiresPerCase: Record<string, number>;
  /** for each timer case, how many result messages (申报结果) it sent: applicant and employer */
  resultMessagesPerCase: Record<string, number>;
  /** every message of the cases' dossiers, by kind */
  messages: Record<string, number>;
}

/** The outcome of a workload over `loadCases` and `timerCases`, as counts (no ids, no times). */
export async function outcomeOf(knex: Knex, loadCases: string[], timerCases: string[]): Promise<Outcome> {
  const cases = [...loadCases, ...timerCases];
  const tasks = await knex('tasks').whereIn('root_instance_id', cases).select('element_id', 'status');
  const instances = await knex('process_instances').whereIn('id', cases).pluck('status');
  const dossiers = await knex('dossiers').whereIn('instance_id', cases).select('id', 'status', 'instance_id');
  const fires = await knex('history_events').whereIn('root_instance_id', timerCases).where({ type: 'timer.fire' }).groupBy('root_instance_id').select('root_instance_id', knex.raw('count(*)::int as n'));
  const fired = new Map(fires.map((f: { root_instance_id: string; n: number }) => [f.root_instance_id, Number(f.n)]));
  const links = dossiers.flatMap((d: { id: string }) => [`/my-dossiers/${d.id}`, `/dossiers/${d.id}`]);
  const messages = await knex('messages').whereIn('link', links).select('kind', 'link');
  const dossierOfCase = new Map(dossiers.map((d: { id: string; instance_id: string }) => [d.instance_id, String(d.id)]));
  const resultsOf = (instanceId: string) => {
    const id = dossierOfCase.get(instanceId);
    return messages.filter((m: { kind: string; link: string }) => m.kind === 'dossier.result' && (m.link === `/my-dossiers/${id}` || m.link === `/dossiers/${id}`)).length;
  };
  return {
    completedTasks: histogram(tasks.filter((t: { status: string }) => t.status === 'completed').map((t: { element_id: string }) => t.element_id)),
    openTasks: histogram(tasks.filter((t: { status: string }) => t.status === 'open').map((t: { element_id: string }) => t.element_id)),
    instances: histogram(instances),
    dossiers: histogram(dossiers.map((d: { status: string }) => d.status)),
    timerFiresPerCase: histogram(timerCases.map((id) => fired.get(id) ?? 0)),
    resultMessagesPerCase: histogram(timerCases.map(resultsOf)),
    messages: histogram(messages.map((m: { kind: string }) => m.kind)),
  };
}
