import { describe, expect, it } from 'vitest';
import { ElementsBroker, installDirectRouting, queuedPublish } from '../../engine/smqp-routing.ts';
import { LiveInstance } from '../../engine/live-instance.ts';
import { loadSourceContext } from '../../engine/compile.ts';

interface Msg { fields: { routingKey: string }; ack(): void }
interface TestBroker {
  assertExchange(name: string, type?: string): { publish(key: string, content?: unknown): unknown; close(): void; undeliveredCount: number };
  assertQueue(name: string): unknown;
  bindQueue(queue: string, exchange: string, pattern: string): unknown;
  subscribe(exchange: string, pattern: string, queue: string, onMessage: (key: string, msg: Msg) => void): unknown;
  subscribeTmp(exchange: string, pattern: string, onMessage: (key: string, msg: Msg) => void, options?: Record<string, unknown>): unknown;
}

const exchangeProto = () => Object.getPrototypeOf(new (ElementsBroker as unknown as new () => TestBroker)().assertExchange('p', 'topic')) as {
  publish: unknown;
};

/** Runs a scenario of nested publishes and returns the order the queues saw the messages. */
function scenario(type: 'topic' | 'direct') {
  const broker = new (ElementsBroker as unknown as new () => TestBroker)();
  broker.assertExchange('ev', type);
  const seen: string[] = [];
  const exchange = broker.assertExchange('ev', type);
  broker.subscribe('ev', '#', 'q1', (key, msg) => {
    seen.push(`q1:${key}`);
    if (key === 'a.1') {
      exchange.publish('a.2', { n: 2 });
      exchange.publish('b.3', { n: 3 });
    }
    msg.ack();
  });
  broker.subscribe('ev', 'a.#', 'q2', (key, msg) => {
    seen.push(`q2:${key}`);
    if (key === 'a.2') exchange.publish('a.4', { n: 4 });
    msg.ack();
  });
  exchange.publish('a.1', { n: 1 });
  exchange.publish('b.5', { n: 5 });
  return seen;
}

function withQueuedPublish<T>(run: () => T): T {
  const proto = exchangeProto();
  const direct = proto.publish;
  proto.publish = queuedPublish;
  try {
    return run();
  } finally {
    proto.publish = direct;
  }
}

describe('direct routing in smqp', () => {
  it('is installed on the exchanges bpmn-elements creates', async () => {
    expect(installDirectRouting()).toBe(true);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <process id="p" isExecutable="true"><startEvent id="s" /><sequenceFlow id="f" sourceRef="s" targetRef="u" /><userTask id="u" /></process>
</definitions>`;
    const definition = { record: { key: 'p', meta: { summary: null, serviceTasks: [] } }, sourceContext: await loadSourceContext(xml) };
    const live = new LiveInstance(
      { id: 'i1', rootId: 'i1', parentId: null, parentExecutionId: null, parentElementId: null, callPath: [], businessKey: null, startedBy: 1, startedAt: new Date() },
      definition as never,
    );
    live.sink = { taskWaiting() {}, taskLeft() {}, callRequested() {}, callLeft() {}, timerFired() {}, ended() {}, failed() {}, serviceRequested() {} } as never;
    await live.start({});
    expect([...live.waiting]).toHaveLength(1);
    const [elementsDefinition] = await (live.engine as unknown as { getDefinitions(): Promise<Array<{ broker: { getExchange(n: string): object } }>> }).getDefinitions();
    expect(Object.getPrototypeOf(elementsDefinition!.broker.getExchange('event'))).toBe(exchangeProto());
    expect(exchangeProto().publish).not.toBe(queuedPublish);
  });

  it('delivers nested publishes in the order the delivery queue gives (topic)', () => {
    const direct = scenario('topic');
    const queued = withQueuedPublish(() => scenario('topic'));
    expect(direct).toEqual(queued);
    // the nested messages wait until every queue has seen the message being routed
    expect(direct).toEqual(['q1:a.1', 'q2:a.1', 'q1:a.2', 'q2:a.2', 'q1:b.3', 'q1:a.4', 'q2:a.4', 'q1:b.5']);
  });

  it('delivers nested publishes in the same order on a direct exchange', () => {
    const direct = scenario('direct');
    expect(direct).toEqual(withQueuedPublish(() => scenario('direct')));
    expect(direct.length).toBeGreaterThan(2);
  });

  it('leaves a message on the delivery queue when nothing consumes it', () => {
    const broker = new (ElementsBroker as unknown as new () => TestBroker)();
    const exchange = broker.assertExchange('ev', 'topic');
    const seen: string[] = [];
    broker.subscribe('ev', '#', 'q1', (key, msg) => {
      seen.push(key);
      msg.ack();
    });
    exchange.publish('x.1');
    // as after a recover that has not consumed yet: the delivery queue has no consumer
    (exchange as unknown as Record<symbol, { cancel(tag: string): void }>)[Symbol.for('deliveryQueue')]!.cancel('_exchange-tag');
    exchange.publish('x.2');
    expect(seen).toEqual(['x.1']);
    expect(exchange.undeliveredCount).toBe(1);
  });
});
