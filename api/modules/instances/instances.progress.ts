import { z } from 'zod';
import type { InstanceRecord, TaskRecord } from '../../../engine/types.ts';
import { LEVEL_OF_CALL, LEVEL_OF_ELEMENT, LEVELS, type Chain, type Level } from '../dossiers/dossiers.chain.ts';

/** One link of the chain as the applicant's 查看进度 shows it. */
export const progressStep = z.object({
  key: z.enum(['applicant', ...LEVELS]),
  label: z.string(),
  /** who holds (or held, or will hold) the case at this link: the applicant, or the unit */
  holder: z.string().nullable(),
  state: z.enum(['done', 'current', 'pending']),
  /** the open tasks at this link (a unit's 多岗审核 posts are several) */
  tasks: z.array(z.object({ name: z.string(), dueAt: z.string().nullable() })),
  /** the earliest due date of those tasks */
  dueAt: z.string().nullable(),
});

export const progressView = z.object({
  instanceId: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  /** whether the caller started the case (the applicant): the console shows them the steps instead of the diagram */
  forStarter: z.boolean(),
  /** empty for a flow without a review chain */
  steps: z.array(progressStep),
});

export type ProgressView = z.infer<typeof progressView>;

const LABELS: Record<'applicant' | Level, string> = { applicant: '申报人', employer: '申报单位', superior: '上级单位', department: '主管部门', bureau: '人社部门', committee: '评委会' };
const NAME_OF: Record<Level, keyof Chain> = { employer: 'employerName', superior: 'superiorName', department: 'departmentName', bureau: 'bureauName', committee: 'committeeName' };
const STATUS: Record<string, string> = { running: '进行中', completed: '已结束', terminated: '已终止', cancelled: '已取消' };

/**
 * The link an open task of the case belongs to: its own step's level; for a task of a called flow
 * (a 多岗审核 post) the level of the step that called it (`calledFrom`: its instance's call path
 * from the case, `dossier-review:unit_review_posts`), else the unit it is for.
 */
function levelOfTask(chain: Chain, task: TaskRecord, rootId: string, calledFrom: ReadonlyMap<string, string[]>): 'applicant' | Level | null {
  if (task.instanceId === rootId) {
    if (LEVEL_OF_ELEMENT[task.elementId]) return LEVEL_OF_ELEMENT[task.elementId]!;
  } else {
    const call = calledFrom.get(task.instanceId)?.[0]?.split(':')[1];
    if (call && LEVEL_OF_CALL[call]) return LEVEL_OF_CALL[call]!;
  }
  // lowest first: a unit may appear twice on a chain (a bureau that also organises the committee)
  const unit = task.candidateUnitId;
  if (unit != null) return LEVELS.find((level) => chain[level] != null && Number(chain[level]) === unit) ?? null;
  return 'applicant';
}

/**
 * The review chain of a case (申报人 → 申报单位 → 上级单位 → 主管部门 → 人社部门 → 评委会) from its `chain`
 * variable, levels the case skips left out, with where it is now and until when. The links
 * below the current holder are done; after a return to the applicant the units are ahead again.
 */
export function progressOf(instance: InstanceRecord, openTasks: TaskRecord[], received: boolean, callerId: number, calledFrom: ReadonlyMap<string, string[]> = new Map()): ProgressView {
  const base = { instanceId: instance.id, status: instance.status, statusLabel: STATUS[instance.status] ?? instance.status, forStarter: instance.startedBy === callerId };
  const chain = instance.variables.chain as Chain | undefined;
  // a flow without a review chain (or a declaration not yet submitted) has no steps to show
  if (!chain || typeof chain !== 'object') return { ...base, steps: [] };
  const summary = instance.summary ?? {};
  const applicantName = typeof summary.applicantName === 'string' ? summary.applicantName : null;
  const links: Array<'applicant' | Level> = ['applicant', ...LEVELS.filter((level) => chain[level] != null)];

  const byLink = new Map<'applicant' | Level, TaskRecord[]>();
  for (const task of openTasks) {
    const link = levelOfTask(chain, task, instance.id, calledFrom);
    if (link) byLink.set(link, [...(byLink.get(link) ?? []), task]);
  }
  let current = links.findIndex((link) => byLink.has(link));
  // waiting for the committee's work (exam, vote, publicity) after its receipt: no task, still its
  if (current < 0 && received && instance.status === 'running') current = links.length - 1;
  const finished = current < 0 && instance.status === 'completed';

  const steps = links.map((key, index) => {
    const tasks = (byLink.get(key) ?? []).map((t) => ({ name: t.name, dueAt: t.dueAt ? t.dueAt.toISOString() : null }));
    const dues = tasks.map((t) => t.dueAt).filter((d): d is string => d !== null).sort();
    const holder = key === 'applicant' ? applicantName : ((chain[NAME_OF[key]] as string | null | undefined) ?? null);
    const state: 'done' | 'current' | 'pending' = finished || (current >= 0 && index < current) ? 'done' : index === current ? 'current' : 'pending';
    return { key, label: LABELS[key], holder, state, tasks, dueAt: dues[0] ?? null };
  });
  return { ...base, steps };
}
