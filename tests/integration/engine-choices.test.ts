/**
 * The engine alone (no API): a call activity's outputs, and choice gateways whose ways out are the
 * options a person has — built from inline diagrams, in the manner of bpmn-engine's feature tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { layoutBpmn } from '../../scripts/bpmn-layout.ts';
import { createEngine, ValidationError, type WorkflowEngine } from '../../engine/index.ts';
import type { Actor } from '../../engine/types.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let engine: WorkflowEngine;
let clerk: Actor;

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zcps="http://zcps.gov.cn/schema/bpmn/1.0"';
const diagram = (body: string) => layoutBpmn(`<?xml version="1.0" encoding="UTF-8"?><definitions ${NS} id="defs" targetNamespace="http://zcps.gov.cn/test">${body}</definitions>`);

/** A post that decides: the called flow ends with the person's action and form data. */
const POST = `<process id="test-post" name="岗位审核" isExecutable="true" zcps:startedBy="system">
  <startEvent id="s" name="开始" /><userTask id="post" name="岗位审核" zcps:formKey="any" zcps:assignee="=initiator" zcps:actions="pass,return" /><endEvent id="e" name="结束" />
  <sequenceFlow id="p1" sourceRef="s" targetRef="post" /><sequenceFlow id="p2" sourceRef="post" targetRef="e" />
</process>`;

/** The level: its post decides; 通过 ends, 退回 goes through 退回至 (申报单位 only where the chain has one). */
const LEVEL = `<process id="test-level" name="逐级审核" isExecutable="true" zcps:startedBy="system">
  <startEvent id="start" name="开始" />
  <callActivity id="review" name="审核（多岗）" calledElement="test-post" zcps:outputs="={action: action, decision: decision}" />
  <exclusiveGateway id="result" name="审核结果" />
  <exclusiveGateway id="back" name="退回至" zcps:choice="decision.returnTo" />
  <userTask id="resubmit" name="修改" zcps:formKey="any" zcps:assignee="=initiator" />
  <userTask id="employer" name="申报单位审核" zcps:formKey="any" zcps:assignee="=initiator" />
  <endEvent id="passed" name="通过" /><endEvent id="end_resubmit" name="结束" /><endEvent id="end_employer" name="结束" />
  <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
  <sequenceFlow id="f2" sourceRef="review" targetRef="result" />
  <sequenceFlow id="f_pass" name="通过" sourceRef="result" targetRef="passed"><conditionExpression xsi:type="tFormalExpression">=action = "pass"</conditionExpression></sequenceFlow>
  <sequenceFlow id="f_return" name="退回" sourceRef="result" targetRef="back"><conditionExpression xsi:type="tFormalExpression">=action = "return"</conditionExpression></sequenceFlow>
  <sequenceFlow id="f_applicant" name="申报人" sourceRef="back" targetRef="resubmit"><conditionExpression xsi:type="tFormalExpression">=decision.returnTo = "applicant"</conditionExpression></sequenceFlow>
  <sequenceFlow id="f_employer" name="申报单位" sourceRef="back" targetRef="employer"><conditionExpression xsi:type="tFormalExpression">=decision.returnTo = "employer" and hasEmployer</conditionExpression></sequenceFlow>
  <sequenceFlow id="f3" sourceRef="resubmit" targetRef="end_resubmit" /><sequenceFlow id="f4" sourceRef="employer" targetRef="end_employer" />
</process>`;

beforeAll(async () => {
  db = await createTestDatabase();
  const [user] = await db.knex('users').insert({ username: 'choice_clerk', password_hash: 'x', display_name: '经办人', roles: [] }).returning('id');
  clerk = { userId: Number(user.id), unitId: null, roles: [] };
  engine = createEngine({
    db: db.knex,
    // the form's data goes under `decision`, as the chain's review form does
    validateForm: ({ data }) => ({ data: data as Record<string, unknown>, variables: { decision: data } }),
  });
  await engine.deploy(await diagram(POST));
  await engine.deploy(await diagram(LEVEL));
});

afterAll(async () => {
  await db?.close();
  await db?.drop();
});

const openTasks = (rootId: string) => db.knex('tasks').where({ root_instance_id: rootId, status: 'open' }).orderBy('created_at');

async function atPost(hasEmployer: boolean) {
  const id = await engine.startInstance({ processKey: 'test-level', actor: clerk, variables: { hasEmployer }, checkStarter: false });
  const [post] = await openTasks(id);
  return { id, post: await engine.getTask(String(post.id)) };
}

describe('a choice gateway after a called flow', () => {
  it('offers the person deciding in the called flow the ways out that exist for the case', async () => {
    // given cases with and without an employer on their chain, each at its post
    const withEmployer = await atPost(true);
    const without = await atPost(false);

    // then the post is offered the caller's 退回至, with 申报单位 only where its condition holds
    expect(await engine.choicesFor(withEmployer.post)).toEqual([
      { gatewayId: 'back', name: '退回至', variable: 'decision.returnTo', options: [{ value: 'applicant', label: '申报人' }, { value: 'employer', label: '申报单位' }] },
    ]);
    expect((await engine.choicesFor(without.post))[0]!.options).toEqual([{ value: 'applicant', label: '申报人' }]);
  });

  it('takes the called flow’s outputs as the caller’s variables and follows the chosen way out', async () => {
    // given a case at its post
    const { id, post } = await atPost(true);

    // when the post returns it to the employer
    await engine.completeTask(post.id, clerk, { action: 'return', data: { returnTo: 'employer' } });

    // then the caller read the post's action and decision and went to the employer
    const instance = await engine.getInstance(id);
    expect(instance.variables).toMatchObject({ action: 'return', decision: { returnTo: 'employer' } });
    expect((await openTasks(id)).map((t) => t.element_id)).toEqual(['employer']);
  });

  it('refuses a choice no way out takes, naming the form’s field and the options, and changes nothing', async () => {
    // given a case without an employer, at its post
    const { id, post } = await atPost(false);

    // when the post tries to return it to an employer the chain does not have
    const refusal = await engine.completeTask(post.id, clerk, { action: 'return', data: { returnTo: 'employer' } }).catch((err: unknown) => err);

    // then it is a validation error on data.returnTo that lists what is possible, and the post still waits
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).message).toBe('退回至：不能选择“申报单位”，可选：申报人');
    expect((refusal as ValidationError).fields).toEqual([{ field: 'data.returnTo', message: '可选：申报人' }]);
    expect((await openTasks(id)).map((t) => t.element_id)).toEqual(['post']);
    expect((await db.knex('tasks').where({ id: post.id }).first()).status).toBe('open');
  });
});
