import { describe, expect, it } from 'vitest';
import { elementsSmqp, loadUnpatchedSmqp, smqpPatched, type SmqpModule } from '../../engine/smqp-patch.ts';
import { LiveInstance } from '../../engine/live-instance.ts';
import { loadSourceContext } from '../../engine/compile.ts';

interface Msg {
  fields: { routingKey: string; redelivered?: boolean };
  content: { n?: number } | undefined;
  ack(): void;
  nack(allUpTo?: boolean, requeue?: boolean): void;
}
type OnMessage = (key: string, msg: Msg) => void;
interface Consumer {
  cancel(requeue?: boolean): void;
}
interface TestBroker {
  assertExchange(name: string, type?: string, options?: Record<string, unknown>): { publish(key: string, content?: unknown, properties?: Record<string, unknown>): unknown; stop(): void };
  assertQueue(name: string, options?: Record<string, unknown>): { on(event: string, handler: () => void): unknown; messageCount: number };
  bindQueue(queue: string, exchange: string, pattern: string): unknown;
  subscribe(exchange: string, pattern: string, queue: string, onMessage: OnMessage, options?: Record<string, unknown>): Consumer;
  subscribeTmp(exchange: string, pattern: string, onMessage: OnMessage, options?: Record<string, unknown>): Consumer;
  consume(queue: string, onMessage: OnMessage, options?: Record<string, unknown>): Consumer;
  publish(exchange: string, key: string, content?: unknown, properties?: Record<string, unknown>): unknown;
  sendToQueue(queue: string, content?: unknown, properties?: Record<string, unknown>): unknown;
  on(event: string, handler: (e: { name: string; fields?: { routingKey: string }; content?: unknown }) => void): unknown;
  getState(onlyWithContent?: boolean): unknown;
  recover(state?: unknown): unknown;
}

const unpatchedSmqp = loadUnpatchedSmqp();
const newBroker = (smqp: SmqpModule) => new (smqp.Broker as unknown as new (owner: unknown) => TestBroker)({ id: 'owner' });

/** Generated ids and clock values differ between runs; everything else must not. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !['messageId', 'timestamp', 'consumerTag'].includes(k))
        .map(([k, v]) => [k, typeof v === 'string' && /^smq\.(qname|ctag|mid)-/.test(v) ? '(id)' : normalise(v)]),
    );
  }
  return value;
}

/**
 * A broker's life as an element's broker lives it: nested publishes on topic and direct exchanges,
 * messages held unacknowledged with a prefetch, requeue on cancel, dead letters, returns and
 * confirmations, a stopped exchange, and a saved state recovered into a new broker. Returns what every consumer and event listener saw, in order, and the final states.
 */
function scenario(smqp: SmqpModule) {
  const trace: unknown[] = [];
  const see = (who: string) => (key: string, msg: Msg) => trace.push([who, key, msg.content?.n ?? null, Boolean(msg.fields.redelivered)]);
  const broker = newBroker(smqp);
  broker.on('return', (e) => trace.push(['event:return', e.fields?.routingKey]));
  broker.on('message.ack', (e) => trace.push(['event:ack', e.fields?.routingKey]));
  broker.on('message.nack', (e) => trace.push(['event:nack', e.fields?.routingKey]));
  const event = broker.assertExchange('event', 'topic');
  broker.assertExchange('api', 'direct');
  broker.assertExchange('dlx', 'topic');

  broker.assertQueue('run-q', { durable: true, autoDelete: false });
  broker.bindQueue('run-q', 'event', 'run.#');
  broker.assertQueue('activity-q', { durable: true, autoDelete: false }).on('depleted', () => trace.push(['activity-q:depleted']));
  broker.assertQueue('dead-q', { durable: true, autoDelete: false });
  broker.bindQueue('dead-q', 'dlx', '#');
  broker.assertQueue('source-q', { durable: true, autoDelete: false, deadLetterExchange: 'dlx' });
  broker.bindQueue('source-q', 'event', 'reject.#');

  const held: Msg[] = [];
  broker.subscribe(
    'event',
    'activity.#',
    'activity-q',
    (key, msg) => {
      see('activity')(key, msg);
      if (key === 'activity.wait') held.push(msg);
      else msg.ack();
    },
    { prefetch: 2 },
  );
  broker.subscribe('event', '#', 'all-q', (key, msg) => {
    see('all')(key, msg);
    if (key === 'run.enter') {
      event.publish('activity.start', { n: 10 });
      event.publish('run.start', { n: 11 });
      broker.publish('api', 'stop', { n: 12 });
    }
    if (key === 'activity.start') event.publish('activity.wait', { n: 13 });
    msg.ack();
  });
  broker.subscribe('api', 'stop', 'api-q', (key, msg) => {
    see('api')(key, msg);
    event.publish('activity.stopped', { n: 14 });
    msg.ack();
  });
  broker.subscribe('api', 'stop', 'api-q2', (key, msg) => {
    see('api2')(key, msg);
    msg.ack();
  });
  broker.subscribeTmp('event', 'run.*', see('tmp'), { noAck: true });
  broker.subscribe('event', 'reject.#', 'source-q', (key, msg) => {
    see('source')(key, msg);
    msg.nack(false, false);
  });
  broker.subscribe('dlx', '#', 'dead-q', (key, msg) => {
    see('dead')(key, msg);
    msg.ack();
  });

  event.publish('run.enter', { n: 1 });
  broker.publish('api', 'stop', { n: 2 });
  broker.publish('api', 'stop', { n: 3 });
  event.publish('activity.wait', { n: 4 });
  event.publish('activity.wait', { n: 5 });
  event.publish('reject.me', { n: 6 });
  event.publish('nobody', { n: 7 }, { mandatory: true });
  broker.publish('api', 'nobody', { n: 8 }, { mandatory: true, confirm: true });
  broker.sendToQueue('activity-q', { n: 9 }, { confirm: true });
  for (const msg of held.splice(0)) msg.ack();

  // a stopped exchange drops what is published; recovering the broker starts it again
  event.stop();
  event.publish('run.dropped', { n: 30 });
  broker.recover();
  event.publish('run.again', { n: 31 });

  // held messages are requeued when their consumer is cancelled without acknowledging
  broker.assertQueue('hold-q', { durable: true, autoDelete: false });
  const holder = broker.subscribe('event', 'hold.#', 'hold-q', (key, msg) => see('holder')(key, msg), { prefetch: 3 });
  event.publish('hold.1', { n: 40 });
  event.publish('hold.2', { n: 41 });
  holder.cancel();
  broker.consume('hold-q', (key, msg) => {
    see('hold-2nd')(key, msg);
    msg.ack();
  });

  // saved with messages waiting (run-q has no consumer, activity-q holds one) and recovered
  event.publish('activity.wait', { n: 50 });
  const saved = JSON.parse(JSON.stringify(broker.getState(true))) as unknown;
  const second = newBroker(smqp);
  second.recover(saved);
  second.subscribe('event', 'activity.#', 'activity-q', (key, msg) => {
    see('activity-2nd')(key, msg);
    msg.ack();
  });
  second.consume('run-q', (key, msg) => {
    see('run-2nd')(key, msg);
    if (key === 'run.enter') second.publish('event', 'activity.late', { n: 60 });
    msg.ack();
  });
  second.publish('event', 'run.last', { n: 61 });

  return { trace: normalise(trace), saved: normalise(saved), final: normalise(second.getState()) };
}

describe('the smqp patch', () => {
  it('is applied to the smqp bpmn-elements imports, and not to the copy kept for comparison', () => {
    expect(smqpPatched()).toBe(true);
    expect(smqpPatched(unpatchedSmqp)).toBe(false);
  });

  it('delivers every message in the order unpatched smqp does, and saves the same state', () => {
    const patched = scenario(elementsSmqp);
    const original = scenario(unpatchedSmqp);
    expect(patched.trace).toEqual(original.trace);
    expect(patched.saved).toEqual(original.saved);
    expect(patched.final).toEqual(original.final);

    // and the scenario exercised what it means to
    const trace = patched.trace as unknown[][];
    const seen = (who: string, key: string) => trace.some((t) => t[0] === who && t[1] === key);
    expect(seen('dead', 'reject.me')).toBe(true);
    expect(seen('event:return', 'nobody')).toBe(true);
    expect(seen('all', 'run.dropped')).toBe(false);
    expect(seen('all', 'run.again')).toBe(true);
    expect(trace).toContainEqual(['hold-2nd', 'hold.1', 40, true]);
    expect(seen('run-2nd', 'run.enter')).toBe(true);
    expect(seen('activity-2nd', 'activity.late')).toBe(true);
    // nested publishes wait, first in first out, until the message being routed reached every
    // queue (activity.stopped comes from the api exchange's consumer, during run.enter's routing)
    const order = trace.filter((t) => t[0] === 'all').map((t) => t[1]);
    expect(order.slice(0, 5)).toEqual(['run.enter', 'activity.start', 'run.start', 'activity.stopped', 'activity.wait']);
    expect(trace.length).toBeGreaterThan(40);
  });

  it('keeps routing after a handler threw, where unpatched smqp leaves the exchange stuck', () => {
    // The engine drops every instance a failed step touched (engine.ts, discard), so no instance
    // goes on using a broker after a throw; this records the one difference the patch makes.
    const run = (smqp: SmqpModule) => {
      const broker = newBroker(smqp);
      const seen: string[] = [];
      const event = broker.assertExchange('event', 'topic');
      broker.subscribe('event', '#', 'q', (key, msg) => {
        seen.push(key);
        msg.ack();
        if (key === 'x.trigger') {
          event.publish('x.boom');
          event.publish('x.after');
        }
        if (key === 'x.boom') throw new Error('handler failed');
      });
      expect(() => event.publish('x.trigger')).toThrow('handler failed');
      event.publish('x.next');
      return seen;
    };
    expect(run(unpatchedSmqp)).toEqual(['x.trigger', 'x.boom']);
    expect(run(elementsSmqp)).toEqual(['x.trigger', 'x.boom', 'x.after', 'x.next']);
  });

  it('is what a running instance uses', async () => {
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
    const [elementsDefinition] = await (live.engine as unknown as { getDefinitions(): Promise<Array<{ broker: { getExchange(n: string): Record<symbol, unknown> } }>> }).getDefinitions();
    const exchange = elementsDefinition!.broker.getExchange('event');
    expect(Object.getPrototypeOf(exchange)).toBe(Object.getPrototypeOf(new elementsSmqp.Broker().assertExchange('e')));
    expect(exchange[Symbol.for('deliveryQueue')]).toBeNull();
  });
});
