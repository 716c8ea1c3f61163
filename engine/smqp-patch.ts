import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The smqp message broker inside bpmn-elements, and whether our patch of it is applied.
 *
 * bpmn-elements gives every element and sequence flow its own smqp broker. `npm install` patches
 * the smqp copy bpmn-elements imports (engine/patches/, applied by patch-package; docs/engine.md,
 * "The smqp patch"): exchanges route at once instead of through a delivery queue of their own,
 * consumers create their internal queue with their first message, and a broker's event handler
 * is called directly instead of through a queue and a consumer per exchange and queue. The
 * behaviour is smqp's own (tests/unit/smqp-patch.test.ts compares it with smqp's unpatched
 * build); an instance takes half the memory and is rebuilt in about half the time.
 */

interface ExchangeLike {
  [key: symbol]: unknown;
}

export interface SmqpModule {
  Broker: new () => { assertExchange(name: string, type?: string): ExchangeLike };
}

const fromElements = createRequire(createRequire(import.meta.url).resolve('bpmn-elements'));
// `require` resolves to smqp's CommonJS build (dist/, never patched); bpmn-elements imports the
// ESM source (src/), which the patch changes
const cjsEntry = fromElements.resolve('smqp');

/** The smqp module bpmn-elements imports (npm may nest its own version under it). */
export const elementsSmqp = (await import(pathToFileURL(path.join(path.dirname(cjsEntry), '..', 'src', 'index.js')).href)) as SmqpModule;

/** The same version of smqp, unpatched: its CommonJS build, for comparison in tests. */
export function loadUnpatchedSmqp(): SmqpModule {
  return fromElements('smqp') as SmqpModule;
}

/** True when the patch is applied: a new exchange has no delivery queue of its own. */
export function smqpPatched(smqp: SmqpModule = elementsSmqp): boolean {
  const exchange = new smqp.Broker().assertExchange('zcps-probe', 'topic');
  return exchange[Symbol.for('deliveryQueue')] === null;
}
