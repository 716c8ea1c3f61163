import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { LiveInstance, ServiceJob, StepSink } from '../../engine/live-instance.ts';

/**
 * A state written by one build of the engine must resume under the other: an `npm install` that
 * applies the smqp patch (or one that fails to, `--ignore-scripts`) meets instances saved before.
 * The patched build is what the engine imports (bpmn-engine's and bpmn-elements' ESM sources, whose
 * smqp src/ the patch changes); the unpatched one is bpmn-engine's CommonJS build, which requires
 * bpmn-elements' and then smqp's CommonJS builds (dist/, never patched — see engine/smqp-patch.ts).
 * The engine modules are imported once as they are, and once with the two packages swapped for
 * their CommonJS builds.
 */
async function loadBuild() {
  const [{ LiveInstance }, { loadSourceContext }] = await Promise.all([import('../../engine/live-instance.ts'), import('../../engine/compile.ts')]);
  return { LiveInstance, loadSourceContext };
}
type Build = Awaited<ReturnType<typeof loadBuild>> & { name: string };

const patched: Build = { name: 'patched', ...(await loadBuild()) };
vi.resetModules();
const requireCjs = createRequire(import.meta.url);
vi.doMock('bpmn-engine', () => ({ ...requireCjs('bpmn-engine') }));
vi.doMock('bpmn-elements', () => ({ ...requireCjs('bpmn-elements') }));
const unpatched: Build = { name: 'unpatched', ...(await loadBuild()) };
vi.doUnmock('bpmn-engine');
vi.doUnmock('bpmn-elements');

// a user task with a timer on it, a service task before and after, a gateway that loops back
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:zcps="http://zcps.gov.cn/schema/bpmn/1.0" id="cross-build-defs" targetNamespace="http://zcps.gov.cn/test">
  <process id="cross-build" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
    <serviceTask id="prepare" zcps:handler="prepare" />
    <sequenceFlow id="f2" sourceRef="prepare" targetRef="review" />
    <userTask id="review" />
    <boundaryEvent id="deadline" attachedToRef="review">
      <timerEventDefinition><timeDuration xsi:type="tFormalExpression">P3D</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sequenceFlow id="f3" sourceRef="review" targetRef="decided" />
    <exclusiveGateway id="decided" />
    <sequenceFlow id="to_record" sourceRef="decided" targetRef="record"><conditionExpression xsi:type="tFormalExpression">=action = "pass"</conditionExpression></sequenceFlow>
    <sequenceFlow id="back_to_review" sourceRef="decided" targetRef="review"><conditionExpression xsi:type="tFormalExpression">=action = "return"</conditionExpression></sequenceFlow>
    <serviceTask id="record" zcps:handler="record" />
    <sequenceFlow id="f4" sourceRef="record" targetRef="confirm" />
    <userTask id="confirm" />
    <sequenceFlow id="f5" sourceRef="confirm" targetRef="done" />
    <sequenceFlow id="f6" sourceRef="deadline" targetRef="escalated" />
    <userTask id="escalated" />
    <sequenceFlow id="f7" sourceRef="escalated" targetRef="done" />
    <endEvent id="done" />
  </process>
</definitions>`;

interface Saved {
  state: unknown;
  trail: string[];
}

const THREE_DAYS = 3 * 24 * 3600 * 1000;

/** One instance on one build, with the parts of a step the engine would play (engine/step.ts). */
class Run {
  readonly services: ServiceJob[] = [];
  readonly firedTimers: string[] = [];
  readonly failures: Error[] = [];
  ended = false;

  private constructor(readonly live: LiveInstance) {
    const sink: Partial<StepSink> = {
      taskWaiting() {},
      taskLeft() {},
      timerFired: (_live, elementId) => this.firedTimers.push(elementId),
      serviceRequested: (_live, job) => this.services.push(job),
      ended: () => {
        this.ended = true;
      },
      failed: (_live, error) => this.failures.push(error),
    };
    live.sink = sink as StepSink;
  }

  static async on(build: Build, saved?: Saved): Promise<Run> {
    const definition = { record: { key: 'cross-build', meta: { summary: null, serviceTasks: [], elementNames: {} } }, sourceContext: await build.loadSourceContext(XML) };
    const identity = { id: 'i1', rootId: 'i1', parentId: null, parentExecutionId: null, parentElementId: null, callPath: [], businessKey: null, startedBy: 1, startedAt: new Date() };
    const run = new Run(new build.LiveInstance(identity, definition as never, saved?.trail));
    if (saved) await run.live.resume(saved.state);
    else await run.live.start({});
    return run;
  }

  /** The build this instance runs on: the patch leaves an idle exchange without a delivery queue. */
  async build(): Promise<string> {
    const [definition] = await (this.live.engine as unknown as { getDefinitions(): Promise<Array<{ broker: { getExchange(name: string): Record<symbol, unknown> } }>> }).getDefinitions();
    return definition!.broker.getExchange('event')[Symbol.for('deliveryQueue')] === null ? 'patched' : 'unpatched';
  }

  /** Runs the requested services whose handler is given, as a step's settle does; the others stay running, as under an incident. */
  runServices(handlers: Record<string, () => Record<string, unknown>>) {
    for (let job = this.services.shift(); job && handlers[job.elementId]; job = this.services.shift()) {
      const output = handlers[job.elementId]!();
      this.live.setVariables(output);
      job.complete(output);
    }
  }

  /** Elements the instance waits in, as the engine reports them. */
  waitingIn(): string[] {
    return (this.live.engine.execution as unknown as { getPostponed(): Array<{ id: string }> }).getPostponed().map((api) => api.id).sort();
  }

  complete(elementId: string, action: string) {
    const api = (this.live.engine.execution as unknown as { getPostponed(): Array<{ id: string; executionId: string }> }).getPostponed().find((a) => a.id === elementId);
    if (!api) throw new Error(`not waiting in ${elementId}`);
    this.live.setVariables({ action });
    this.live.signal(elementId, api.executionId, { action });
  }

  /** The state and the trail as the instance row stores them (jsonb). */
  saved(): Saved {
    return JSON.parse(JSON.stringify({ state: this.live.state(), trail: this.live.trail })) as Saved;
  }
}

describe('builds under test', () => {
  it('are the patched and the unpatched smqp', async () => {
    // given / when an instance started on each
    const onPatched = await Run.on(patched);
    const onUnpatched = await Run.on(unpatched);
    // then each runs on the build it is named for
    expect(await onPatched.build()).toBe('patched');
    expect(await onUnpatched.build()).toBe('unpatched');
  });
});

describe.each([
  { from: unpatched, to: patched },
  { from: patched, to: unpatched },
])('a state saved by the $from.name build, resumed under the $to.name build', ({ from, to }) => {
  it('waits at the user task with its timer and its variables, fires the timer and completes', async () => {
    // given an instance on the first build that ran a service and waits at a user task with a timer
    const first = await Run.on(from);
    first.runServices({ prepare: () => ({ prepared: 'yes' }) });
    expect(first.waitingIn()).toEqual(['deadline', 'review']);
    // when the other build resumes it
    const second = await Run.on(to, first.saved());

    // then it runs on that build, waits at the same task with the same timer and variables
    expect(await second.build()).toBe(to.name);
    expect(second.waitingIn()).toEqual(['deadline', 'review']);
    const [timer] = second.live.liveTimers();
    expect(timer?.elementId).toBe('deadline');
    expect(timer!.delayMs).toBeGreaterThan(THREE_DAYS - 60_000);
    expect(timer!.delayMs).toBeLessThanOrEqual(THREE_DAYS);
    expect(second.live.variables()).toMatchObject({ prepared: 'yes' });

    // and when the timer fires and the escalated task is completed, the instance ends
    expect(second.live.fireTimer(timer!.executionId)).toBe(true);
    expect(second.firedTimers).toEqual(['deadline']);
    expect(second.waitingIn()).toEqual(['escalated']);
    second.complete('escalated', 'pass');
    expect(second.failures).toEqual([]);
    expect(second.ended).toBe(true);
    expect(second.live.trail).toEqual(['start', 'f1', 'prepare', 'f2', 'deadline', 'f6', 'escalated', 'f7', 'done']);
  });

  it('resumes a service task left running after a loop, runs it again and completes; saved again, the first build resumes it', async () => {
    // given an instance on the first build returned once, then passed into a service that did not finish (an incident)
    const first = await Run.on(from);
    first.runServices({ prepare: () => ({ prepared: 'yes' }) });
    first.complete('review', 'return');
    expect(first.waitingIn()).toEqual(['deadline', 'review']);
    first.complete('review', 'pass');
    first.runServices({});
    expect(first.waitingIn()).toEqual(['record']);

    // when the other build resumes it
    const second = await Run.on(to, first.saved());

    // then the service is requested again and, once done, the instance waits at the next task
    expect(second.services.map((job) => job.elementId)).toEqual(['record']);
    second.runServices({ record: () => ({ recorded: 'yes' }) });
    expect(second.waitingIn()).toEqual(['confirm']);
    expect(second.live.variables()).toMatchObject({ prepared: 'yes', recorded: 'yes', action: 'pass' });

    // and when the first build takes the instance back, it completes it
    const third = await Run.on(from, second.saved());
    expect(third.waitingIn()).toEqual(['confirm']);
    third.complete('confirm', 'pass');
    expect([...first.failures, ...second.failures, ...third.failures]).toEqual([]);
    expect(third.ended).toBe(true);
    expect(third.live.variables()).toMatchObject({ prepared: 'yes', recorded: 'yes' });
  });
});
