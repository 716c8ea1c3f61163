import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Direct routing for the message broker (smqp) inside bpmn-elements.
 *
 * Every smqp exchange puts each published message on its own delivery queue, whose one
 * consumer then routes it to the bound queues. That costs two message objects per publish
 * (the queued one and the consumer's copy) and is about a quarter of a step's time in
 * bpmn-engine. When the delivery queue is idle (its one consumer attached, nothing waiting),
 * this routes the message at once instead. A message published while the exchange is
 * routing waits in a first-in-first-out list and is routed when the current one is done —
 * the order the delivery queue gives (its consumer takes the next message only after its
 * handler returns). In every other case (the consumer gone, messages left in the queue)
 * the delivery queue works as before, so a stopped or closed exchange keeps its messages.
 * tests/unit/smqp-routing.test.ts checks the order against the original.
 */

type Publish = (routingKey: string, content?: unknown, properties?: Record<string, unknown>) => unknown;

interface DeliveryQueue {
  messages: unknown[];
  consumerCount: number;
  stopped: boolean;
}

interface ExchangeLike {
  type: string;
  bindingCount: number;
  publish: Publish;
  _emitReturn(routingKey: string, content: unknown, properties: unknown): unknown;
  _onTopicMessage(routingKey: string, message: unknown): unknown;
  _onDirectMessage(routingKey: string, message: unknown): unknown;
  [key: symbol]: unknown;
}

interface Broker {
  assertExchange(name: string, type?: string): ExchangeLike;
}

const kStopped = Symbol.for('stopped');
const kDeliveryQueue = Symbol.for('deliveryQueue');
const kPatched = Symbol.for('zcps.directRouting');
const kPending = Symbol.for('zcps.pendingPublish');
const kRouting = Symbol.for('zcps.routing');

/** The smqp module instance bpmn-elements imports (npm may nest its own version). */
async function loadElementsSmqp(): Promise<{ Broker: new () => Broker }> {
  const fromHere = createRequire(import.meta.url);
  const fromElements = createRequire(fromHere.resolve('bpmn-elements'));
  // `require` resolves to smqp's CommonJS build (dist/); bpmn-elements imports its ESM source
  const cjsEntry = fromElements.resolve('smqp');
  const esmEntry = path.join(path.dirname(cjsEntry), '..', 'src', 'index.js');
  return import(pathToFileURL(esmEntry).href) as Promise<{ Broker: new () => Broker }>;
}

const smqp = await loadElementsSmqp();

const probeBroker = new smqp.Broker();
const exchangeProto = Object.getPrototypeOf(probeBroker.assertExchange('zcps-probe', 'topic')) as ExchangeLike;

/** smqp's own publish, kept for the order test. */
export const queuedPublish: Publish = exchangeProto.publish;

/** A message stand-in for the exchange's routing handlers: they only read it and ack it. */
function routedMessage(content: unknown, properties: unknown) {
  return { content: { content, properties }, ack() {} };
}

function directPublish(this: ExchangeLike, routingKey: string, content?: unknown, properties?: Record<string, unknown>) {
  if (this[kStopped]) return;
  if (!this.bindingCount) return this._emitReturn(routingKey, content, properties);
  const deliveryQueue = this[kDeliveryQueue] as DeliveryQueue;
  if (deliveryQueue.messages.length || deliveryQueue.consumerCount !== 1 || deliveryQueue.stopped) {
    return queuedPublish.call(this, routingKey, content, properties);
  }
  const pending = ((this[kPending] as unknown[] | undefined) ??= []);
  pending.push(routingKey, content, properties);
  if (this[kRouting]) return 1;
  this[kRouting] = true;
  try {
    const route = this.type === 'topic' ? this._onTopicMessage : this._onDirectMessage;
    // taken three at a time (key, content, properties) without a new array per message
    while (pending.length) {
      const key = pending.shift() as string;
      const body = pending.shift();
      route.call(this, key, routedMessage(body, pending.shift()));
    }
  } finally {
    this[kRouting] = false;
  }
  return 1;
}

/** Installs direct routing once per process; returns whether it is active. */
export function installDirectRouting(): boolean {
  const proto = exchangeProto as unknown as Record<symbol, unknown>;
  if (!proto[kPatched]) {
    exchangeProto.publish = directPublish;
    proto[kPatched] = true;
  }
  return exchangeProto.publish === directPublish;
}

/** For tests: smqp's Broker as bpmn-elements sees it. */
export const ElementsBroker = smqp.Broker;
