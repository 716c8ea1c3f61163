import { describe, expect, it } from 'vitest';
import type { InstanceRecord, TaskRecord } from '../../engine/types.ts';
import { progressOf } from '../../api/modules/instances/instances.progress.ts';

const APPLICANT = 7;

/** A declaration's case whose chain has no 主管部门: 示范科技 → 成都市人社局 → the committee. */
function caseWith(status: InstanceRecord['status'] = 'running'): InstanceRecord {
  return {
    id: 'root',
    definitionId: 1,
    processKey: 'dossier-review',
    processVersion: 1,
    businessKey: null,
    parentInstanceId: null,
    parentExecutionId: null,
    parentElementId: null,
    callPath: [],
    rootInstanceId: 'root',
    status,
    variables: { chain: { employer: 10, employerName: '示范科技', department: null, bureau: 20, bureauName: '成都市人社局', committee: 20, committeeName: '成都市评委会' } },
    summary: { applicantName: '张伟' },
    trail: [],
    version: 3,
    openIncidents: 0,
    startedBy: APPLICANT,
    startedAt: new Date('2026-03-02T01:00:00Z'),
    endedAt: null,
    updatedAt: new Date('2026-03-02T01:00:00Z'),
  };
}

function task(elementId: string, candidateUnitId: number | null, instanceId = 'root', dueAt: Date | null = new Date('2026-03-05T01:00:00Z')): TaskRecord {
  return {
    id: `${instanceId}-${elementId}`,
    instanceId,
    rootInstanceId: 'root',
    processKey: 'dossier-review',
    processVersion: 1,
    definitionId: 1,
    businessKey: null,
    elementId,
    executionId: 'x',
    name: elementId,
    formKey: null,
    candidateRoles: [],
    candidateUnitId,
    candidateScope: 'unit',
    candidateUserIds: [],
    assigneeId: null,
    actions: [],
    status: 'open',
    createdAt: new Date('2026-03-02T01:00:00Z'),
    dueAt,
    overdueAt: null,
    completedAt: null,
    completedBy: null,
    action: null,
    opinion: null,
  };
}

const states = (view: ReturnType<typeof progressOf>) => view.steps.map((s) => `${s.label}:${s.state}`);

describe('查看进度: the chain as steps', () => {
  it('leaves out a level the chain skips', () => {
    // given a chain without 主管部门, at the employer's review
    // when the applicant asks
    const view = progressOf(caseWith(), [task('unit_review', 10)], false, APPLICANT);

    // then four steps, the employer current with its deadline, and the caller is the starter
    expect(states(view)).toEqual(['申报人:done', '申报单位:current', '人社部门:pending', '评委会:pending']);
    expect(view.steps[1]).toMatchObject({ holder: '示范科技', dueAt: '2026-03-05T01:00:00.000Z' });
    expect(view.forStarter).toBe(true);
    expect(progressOf(caseWith(), [], false, 99).forStarter).toBe(false);
  });

  it('counts a 多岗审核 post for the level that called it, and reads the committee’s receipt by its step, not its unit', () => {
    // given the bureau also organises the committee (both unit 20)
    // when two posts of the bureau's 多岗审核 are open (named users, no unit), the calling step decides
    const posts = [task('post_review', null, 'sub', new Date('2026-03-06T01:00:00Z')), task('post_review', null, 'sub', new Date('2026-03-04T01:00:00Z'))];
    const atPost = progressOf(caseWith(), posts, false, APPLICANT, new Map([['sub', ['dossier-review:bureau_review_posts']]]));
    expect(states(atPost)).toEqual(['申报人:done', '申报单位:done', '人社部门:current', '评委会:pending']);
    // and the earliest of the posts' due dates is the level's
    expect(atPost.steps[2]!.dueAt).toBe('2026-03-04T01:00:00.000Z');
    // a single-post review of the sub-flow names its unit: the lower of the two levels it could be
    expect(states(progressOf(caseWith(), [task('single_review', 20, 'sub')], false, APPLICANT))).toEqual(['申报人:done', '申报单位:done', '人社部门:current', '评委会:pending']);

    // when the committee's receipt is open, its step says committee although its unit is the bureau's
    const atReceipt = progressOf(caseWith(), [task('committee_receipt', 20)], false, APPLICANT);
    expect(states(atReceipt)).toEqual(['申报人:done', '申报单位:done', '人社部门:done', '评委会:current']);
  });

  it('keeps the committee current while it works on a received case, and marks everything done at the end', () => {
    // given no open task after the committee received the case
    // then the committee holds it without a deadline
    const waiting = progressOf(caseWith(), [], true, APPLICANT);
    expect(states(waiting)).toEqual(['申报人:done', '申报单位:done', '人社部门:done', '评委会:current']);
    expect(waiting.steps[3]!.dueAt).toBeNull();
    // and a completed case is done at every step
    expect(progressOf(caseWith('completed'), [], true, APPLICANT).steps.every((s) => s.state === 'done')).toBe(true);
  });

  it('answers no steps for a case without a chain', () => {
    // given a case without a chain variable (another flow, or a declaration not yet submitted)
    const plain = { ...caseWith(), variables: {} };
    // then no steps: the console shows the diagram
    expect(progressOf(plain, [task('submit', null)], false, APPLICANT).steps).toEqual([]);
  });
});
