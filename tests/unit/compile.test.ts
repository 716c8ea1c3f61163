import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileDefinition, contentHash } from '../../engine/compile.ts';
import { DeployError } from '../../engine/errors.ts';
import { FIXTURES_DIR, PROCESSES_DIR } from '../helpers/app.ts';

const options = {
  handlers: new Set(['dossier.decided', 'dossier.submitted', 'dossier.passed', 'dossier.returnedTo', 'dossier.returned', 'dossier.rejected', 'dossier.received', 'dossier.resultRecorded', 'dossier.revisionChecked', 'dossier.abandoned', 'review.hasPosts']),
  formKeys: new Set(['dossier-start', 'dossier-submit', 'review', 'employer-review', 'chain-review', 'superior-review', 'committee-receipt']),
  deployedKeys: new Set(['multi-post-review']) };
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

async function problemsOf(xml: string) {
  try {
    await compileDefinition(xml, options);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(DeployError);
    return (err as DeployError).problems.filter((p) => p.severity === 'error');
  }
}

describe('compiling a diagram', () => {
  it('reads what the engine needs from the dossier review flow', async () => {
    const compiled = await compileDefinition(read(PROCESSES_DIR, 'dossier-review.bpmn'), options);
    expect(compiled.key).toBe('dossier-review');
    expect(compiled.meta.starterRoles).toEqual(['dossier.apply']);
    expect(compiled.meta.systemStart).toBe(false);
    expect(compiled.meta.startFormKey).toBe('dossier-start');
    expect(compiled.meta.userTasks.map((t) => t.id)).toEqual(['submit', 'resubmit', 'unit_review', 'unit_materials', 'department_review', 'bureau_review', 'committee_receipt', 'superior_review']);
    expect(compiled.meta.userTasks.find((t) => t.id === 'unit_review')).toMatchObject({
      formKey: 'employer-review',
      candidateRoles: 'dossier.review.own',
      candidateUnit: '=chain.employer',
      actions: ['pass', 'return', 'reject'],
      dueDate: 'P3D',
    });
    expect(compiled.meta.userTasks.find((t) => t.id === 'bureau_review')).toMatchObject({ formKey: 'chain-review', candidateRoles: 'dossier.review.subordinate' });
    // handlers record what happened; the gateways after them decide the way on
    expect(compiled.meta.serviceTasks.map((s) => [s.id, s.handler])).toEqual([
      ['register', 'dossier.submitted'],
      // a revision whose deadline passes: the deadline read again, then 放弃
      ['revision_checked', 'dossier.revisionChecked'],
      ['abandoned', 'dossier.abandoned'],
      ['applicant_returned', 'dossier.returned'],
      ['employer_passed', 'dossier.passed'],
      ['employer_returned', 'dossier.returnedTo'],
      ['department_returned', 'dossier.returnedTo'],
      ['bureau_returned', 'dossier.returnedTo'],
      ['department_passed', 'dossier.passed'],
      ['department_delegated', 'dossier.passed'],
      ['bureau_passed', 'dossier.passed'],
      ['bureau_delegated', 'dossier.passed'],
      ['received', 'dossier.received'],
      // after receipt, each result another flow sends is recorded as it arrives
      ['exam_recorded', 'dossier.resultRecorded'],
      ['review_recorded', 'dossier.resultRecorded'],
      ['publicity_recorded', 'dossier.resultRecorded'],
      ['withdrawn_recorded', 'dossier.resultRecorded'],
      ['confirmed_recorded', 'dossier.resultRecorded'],
      ['certificate_recorded', 'dossier.resultRecorded'],
      ['rejected', 'dossier.rejected'],
      // 下级单位人员审核: the 上级单位 level
      ['superior_passed', 'dossier.passed'],
      ['superior_returned', 'dossier.returnedTo'],
    ]);
    // and the case waits for them by its business key
    expect(compiled.meta.messages?.map((m) => [m.id, m.kind, m.messageName, m.correlationKey])).toEqual([
      ['wait_exam', 'catch', 'exam-result', null],
      ['wait_review', 'catch', 'review-result', null],
      ['wait_review_first', 'catch', 'review-result', null],
      ['wait_publicity', 'catch', 'publicity-ended', null],
      ['wait_withdrawn', 'catch', 'result-withdrawn', null],
      ['wait_confirmed', 'catch', 'result-confirmed', null],
      ['wait_certificate', 'catch', 'certificate-issued', null],
    ]);
    // a level with review posts calls the multi-post review with its unit from the computed chain,
    // and takes the deciding post's action and decision as its own
    expect(compiled.meta.callActivities.map((c) => [c.id, c.calledElement, c.outputs])).toEqual([
      ['unit_review_posts', 'multi-post-review', '={action: action, opinion: opinion}'],
      ['department_review_posts', 'multi-post-review', '={action: action, opinion: opinion, decision: decision}'],
      ['bureau_review_posts', 'multi-post-review', '={action: action, opinion: opinion, decision: decision}'],
      ['superior_review_posts', 'multi-post-review', '={action: action, opinion: opinion, decision: decision}'],
    ]);
    expect(compiled.meta.callActivities[1]!.inputs).toContain('unitId: chain.department');
    // the levels in order, each skipped where the chain has no unit for it
    expect(compiled.meta.elementNames.f_department_skip).toBe('无主管部门');
    expect(compiled.meta.elementNames.f_bureau_skip).toBe('无人社部门');
    expect(compiled.meta.elementNames.f_superior_skip).toBe('无上级单位');
    // where a level may return the dossier is the 退回至 gateway after it: its ways out are the options
    expect(compiled.meta.choices?.map((c) => [c.id, c.variable, c.options.map((o) => `${o.value}:${o.label}`)])).toEqual([
      ['gw_department_return', 'decision.returnTo', ['applicant:申报人', 'employer:申报单位', 'superior:上级单位']],
      ['gw_bureau_return', 'decision.returnTo', ['applicant:申报人', 'employer:申报单位', 'department:主管部门', 'superior:上级单位']],
      ['gw_committee_return', 'decision.returnTo', ['applicant:申报人', 'employer:申报单位', 'department:主管部门', 'bureau:人社部门', 'superior:上级单位']],
      ['gw_superior_return', 'decision.returnTo', ['applicant:申报人', 'employer:申报单位']],
    ]);
    expect(compiled.meta.userTasks.find((t) => t.id === 'bureau_review')?.reach).toEqual({ choices: ['gw_bureau_return'], end: false });
    expect(compiled.meta.callActivities.find((c) => c.id === 'department_review_posts')?.reach).toEqual({ choices: ['gw_department_return'], end: false });
    expect(compiled.warnings).toEqual([]);
  });

  it('hashes content so an unchanged diagram is recognised, whatever its line endings', () => {
    const xml = read(PROCESSES_DIR, 'dossier-review.bpmn');
    expect(contentHash(xml)).toBe(contentHash(xml.replace(/\n/g, '\r\n')));
    expect(contentHash(xml)).not.toBe(contentHash(xml.replace('申报单位审核', '单位初审')));
  });

  it('lists every problem of a broken diagram with its element', async () => {
    const problems = await problemsOf(read(FIXTURES_DIR, 'broken.bpmn'));
    expect(problems.map((p) => `${p.elementId} ${p.rule}`).sort()).toEqual([
      'f4 condition-feel',
      'f5 feel',
      'no_form user-task-candidates',
      'no_form user-task-form',
      'script unsupported-element',
      'svc service-handler',
    ]);
  });

  it('refuses unknown forms, missing called processes and non-executable diagrams', async () => {
    const base = read(FIXTURES_DIR, 'parent.bpmn');
    expect((await problemsOf(base)).map((p) => p.rule)).toEqual(['call-activity']);
    const noForm = read(FIXTURES_DIR, 'child.bpmn').replace('zcps:formKey="review"', 'zcps:formKey="nope"');
    expect((await problemsOf(noForm))[0]).toMatchObject({ elementId: 'review', rule: 'user-task-form' });
    const notExecutable = read(FIXTURES_DIR, 'child.bpmn').replace('isExecutable="true"', 'isExecutable="false"');
    expect((await problemsOf(notExecutable))[0]).toMatchObject({ rule: 'executable' });
  });

  it('reads who starts a flow, and refuses a process that says neither or both', async () => {
    // given the same diagram declared three ways
    const system = read(FIXTURES_DIR, 'child.bpmn');
    const byRole = system.replace('zcps:startedBy="system"', 'zcps:starterRoles="dossier.apply, dossier.review.own"');
    const undeclared = system.replace(' zcps:startedBy="system"', '');
    // when each is compiled
    // then the declared ones say who starts them, the undeclared one is refused
    expect((await compileDefinition(system, options)).meta).toMatchObject({ systemStart: true, starterRoles: [] });
    expect((await compileDefinition(byRole, options)).meta).toMatchObject({ systemStart: false, starterRoles: ['dossier.apply', 'dossier.review.own'] });
    expect((await problemsOf(undeclared)).map((p) => `${p.elementId}:${p.rule}`)).toEqual(['fixture-child:process-starter']);
    expect((await problemsOf(system.replace('zcps:startedBy="system"', 'zcps:startedBy="system" zcps:starterRoles="dossier.apply"')))[0]).toMatchObject({ rule: 'process-starter', message: expect.stringContaining('不能同时设置') });
    expect((await problemsOf(system.replace('zcps:startedBy="system"', 'zcps:startedBy="call"')))[0]).toMatchObject({ rule: 'process-starter', message: expect.stringContaining('“call”') });
  });

  it('reads the start form from the blank start event, refusing an expression or a form that does not exist', async () => {
    // given the child fixture with a start form, a FEEL one and an unknown one
    const child = read(FIXTURES_DIR, 'child.bpmn');
    const withForm = (key: string) => child.replace('<startEvent id="start" name="开始">', `<startEvent id="start" name="开始" zcps:formKey="${key}">`);
    // when compiled
    // then a literal known form is the start form; the others are refused at the start event
    expect((await compileDefinition(withForm('dossier-start'), options)).meta.startFormKey).toBe('dossier-start');
    expect((await compileDefinition(child, options)).meta.startFormKey).toBeNull();
    expect((await problemsOf(withForm('=formKey')))[0]).toMatchObject({ elementId: 'start', rule: 'start-form' });
    expect((await problemsOf(withForm('nope')))[0]).toMatchObject({ elementId: 'start', rule: 'start-form', message: expect.stringContaining('“nope”') });
  });

  it('takes a form key the caller chooses (FEEL), checking the forms it names and its syntax', async () => {
    const child = read(FIXTURES_DIR, 'child.bpmn');
    const chosen = child.replace('zcps:formKey="review"', 'zcps:formKey="=if formKey = null then &#34;review&#34; else formKey"');
    expect(await problemsOf(chosen)).toEqual([]);
    const compiled = await compileDefinition(read(PROCESSES_DIR, 'multi-post-review.bpmn'), { ...options, handlers: new Set(['review.nextPost']) });
    expect(compiled.meta.userTasks.map((t) => t.formKey)).toEqual(['=if formKey = null then "review" else formKey', '=if formKey = null then "review" else formKey']);
    const unknown = child.replace('zcps:formKey="review"', 'zcps:formKey="=if formKey = null then &#34;nope&#34; else formKey"');
    expect((await problemsOf(unknown))[0]).toMatchObject({ elementId: 'review', rule: 'user-task-form', message: expect.stringContaining('“nope”') });
    const broken = child.replace('zcps:formKey="review"', 'zcps:formKey="=if formKey then"');
    expect((await problemsOf(broken))[0]).toMatchObject({ elementId: 'review', rule: 'feel' });
  });

  it('refuses inclusive joins, which the engine would let through early', async () => {
    const xml = read(FIXTURES_DIR, 'parallel.bpmn').replace(/<parallelGateway id="join"[\s\S]*?<\/parallelGateway>/, (join) =>
      join.replace(/parallelGateway/g, 'inclusiveGateway'),
    );
    const problems = await problemsOf(xml);
    expect(problems.map((p) => `${p.elementId} ${p.rule}`)).toEqual(['join inclusive-join']);
  });

  it('refuses bad timer and due-date values', async () => {
    const badTimer = read(FIXTURES_DIR, 'timer-wait.bpmn').replace('>P30D<', '>thirty days<');
    expect((await problemsOf(badTimer))[0]).toMatchObject({ elementId: 'wait30', rule: 'timer' });
    const badDue = read(FIXTURES_DIR, 'timer-boundary.bpmn').replace('zcps:dueDate="P3D"', 'zcps:dueDate="3 days"');
    expect((await problemsOf(badDue))[0]).toMatchObject({ elementId: 'handle', rule: 'user-task-due' });
  });
});
