import { evaluate, parseExpression } from 'feelin';
import { isFeel } from 'bpmnlint-plugin-zcps/feel';

// what FEEL is, and whether it parses, is the diagram checks' to say: the engine runs by the same test
export { checkFeelSyntax, isFeel } from 'bpmnlint-plugin-zcps/feel';

/**
 * FEEL is the only expression language a diagram may use. A value that starts with `=` is FEEL,
 * anything else is a literal. Diagrams never run JavaScript.
 */

// bpmn-elements copies the execute message (fields/content/properties) into process variables;
// they are engine plumbing, not data, and are hidden from FEEL and from stored variables.
export const ENGINE_VARIABLE_KEYS: ReadonlySet<string> = new Set(['fields', 'content', 'properties']);

function feelBody(expression: string): string {
  return expression.trimStart().slice(1);
}

/** Plain-data view of instance variables, with engine plumbing removed. */
export function dataVariables(variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!variables) return out;
  for (const [key, value] of Object.entries(variables)) {
    if (!ENGINE_VARIABLE_KEYS.has(key) && value !== undefined) out[key] = value;
  }
  return out;
}

/** Converts feelin's temporal values to ISO strings so results stay JSON. */
function fromFeel(value: unknown): unknown {
  if (value == null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromFeel);
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  if (ctor && /^Feel(Date|Time|DateTime|Duration)$/.test(ctor)) {
    return (value as { toString(): string }).toString();
  }
  if (ctor === 'Object' || ctor === undefined) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = fromFeel(v);
    return out;
  }
  return value;
}

const namesCache = new Map<string, string[] | null>();

/**
 * The top-level variable names an expression reads (null when it cannot be parsed). feelin
 * copies and indexes its whole context on every evaluation, so we hand it only these.
 */
export function referencedNames(body: string): string[] | null {
  const cached = namesCache.get(body);
  if (cached !== undefined) return cached;
  let names: string[] | null = [];
  try {
    const tree = parseExpression(body, {}, undefined);
    const found = new Set<string>();
    tree.iterate({
      enter(node) {
        if (node.type.isError) names = null;
        if (node.name === 'VariableName') found.add(body.slice(node.from, node.to).trim());
        return undefined;
      },
    });
    if (names) names = [...found];
  } catch {
    names = null;
  }
  if (namesCache.size > 5000) namesCache.clear();
  namesCache.set(body, names);
  return names;
}

/** Only the variables an expression reads. */
export function pickFor(body: string, context: Record<string, unknown>): Record<string, unknown> {
  const names = referencedNames(body);
  if (!names) return context;
  const picked: Record<string, unknown> = {};
  for (const name of names) if (name in context) picked[name] = context[name];
  return picked;
}

// Most expressions in our diagrams are a variable path (`=initiator`, `=chain.employer`) or a
// context of paths (the summaries). feelin parses and copies its context on every call; these
// are read directly instead. Anything outside that subset — and any value the subset does not
// handle exactly as feelin does (lists, objects as results) — goes to feelin.
const FALLBACK = Symbol('feelin');
type Simple = (context: Record<string, unknown>) => unknown;

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const PATH_RE = new RegExp(`^${IDENT}(?:\\.${IDENT})*$`);
const NUMBER_RE = /^-?\d+(?:\.\d+)?$/;
const STRING_RE = /^"([^"\\]*)"$/;
const KEY_RE = new RegExp(`^(?:(${IDENT})|"([^"\\\\]*)")$`);
const FEEL_WORDS = new Set([
  'null', 'true', 'false', 'not', 'and', 'or', 'if', 'then', 'else', 'for', 'in', 'return', 'some', 'every',
  'satisfies', 'between', 'instance', 'of', 'function', 'external',
]);

function compilePath(text: string): Simple | null {
  if (!PATH_RE.test(text)) return null;
  const parts = text.split('.');
  if (parts.some((p) => FEEL_WORDS.has(p))) return null;
  return (context) => {
    let value: unknown = Object.hasOwn(context, parts[0] as string) ? context[parts[0] as string] : undefined;
    for (let i = 1; i < parts.length; i++) {
      if (value == null || typeof value !== 'object') return null;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return FALLBACK;
      const part = parts[i] as string;
      value = Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (value === undefined || value === null) return null;
    const type = typeof value;
    return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value)) ? value : FALLBACK;
  };
}

function compileValue(text: string): Simple | null {
  if (NUMBER_RE.test(text)) {
    const n = Number(text);
    return () => n;
  }
  const str = STRING_RE.exec(text);
  if (str) {
    const s = str[1] as string;
    return () => s;
  }
  return compilePath(text);
}

/** Splits `{a: x, b: "y"}` at top-level commas; null when the text is not that simple. */
function compileContext(text: string): Simple | null {
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  const inner = text.slice(1, -1).trim();
  if (!inner) return null;
  const entries: Array<[string, Simple]> = [];
  // no nesting, no commas or colons inside strings: anything else is left to feelin
  if (/[{}[\]()]/.test(inner)) return null;
  for (const part of inner.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) return null;
    const rawKey = part.slice(0, colon).trim();
    const rawValue = part.slice(colon + 1).trim();
    const key = KEY_RE.exec(rawKey);
    if (!key || (key[1] && FEEL_WORDS.has(key[1]))) return null;
    if (rawValue.includes('"') && !STRING_RE.test(rawValue)) return null;
    const value = compileValue(rawValue);
    if (!value) return null;
    entries.push([(key[1] ?? key[2]) as string, value]);
  }
  const keys = new Set(entries.map(([k]) => k));
  if (keys.size !== entries.length) return null;
  return (context) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      const v = value(context);
      if (v === FALLBACK) return FALLBACK;
      out[key] = v;
    }
    return out;
  };
}

const simpleCache = new Map<string, Simple | null>();

/** A direct evaluator for a path or a context of paths and literals, or null. */
function simpleOf(body: string): Simple | null {
  let fn = simpleCache.get(body);
  if (fn === undefined) {
    const text = body.trim();
    fn = compileContext(text) ?? (NUMBER_RE.test(text) || STRING_RE.test(text) ? null : compilePath(text));
    if (simpleCache.size > 5000) simpleCache.clear();
    simpleCache.set(body, fn);
  }
  return fn;
}

// FEEL is side-effect free: the same expression over the same inputs gives the same value, except
// for the clock functions. feelin re-parses on every call, so results are remembered.
const results = new Map<string, unknown>();
const CLOCK_FUNCTIONS = /\b(now|today)\s*\(/;
const RESULT_CACHE_SIZE = 20_000;

function evaluateBody(body: string, context: Record<string, unknown>): unknown {
  const simple = simpleOf(body);
  if (simple) {
    const value = simple(context);
    if (value !== FALLBACK) return value;
  }
  if (CLOCK_FUNCTIONS.test(body)) return fromFeel(evaluate(body, context).value);
  let key: string;
  try {
    key = `${body}\u0000${JSON.stringify(context)}`;
  } catch {
    return fromFeel(evaluate(body, context).value);
  }
  if (results.has(key)) return structuredCloneIfObject(results.get(key));
  const value = fromFeel(evaluate(body, context).value);
  if (results.size >= RESULT_CACHE_SIZE) results.clear();
  results.set(key, value);
  return structuredCloneIfObject(value);
}

function structuredCloneIfObject(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

/** Evaluates a FEEL expression (with or without the leading `=`) over the given variables. */
export function evaluateFeel(expression: string, context: Record<string, unknown>): unknown {
  const body = isFeel(expression) ? feelBody(expression) : expression;
  return evaluateBody(body, pickFor(body, context));
}

/** Literal or FEEL: the value a diagram attribute stands for. */
export function resolveValue(value: string | undefined, context: Record<string, unknown>): unknown {
  if (value == null || value === '') return undefined;
  return isFeel(value) ? evaluateFeel(value, context) : value;
}

interface ResolveFrom {
  environment?: { variables?: Record<string, unknown> };
  content?: Record<string, unknown>;
}

/** The `expressions` handler given to bpmn-engine: FEEL for `=` values, literals otherwise. */
export function createFeelExpressions() {
  return {
    resolveExpression(expression: unknown, from?: ResolveFrom) {
      if (typeof expression !== 'string' || !isFeel(expression)) return expression;
      const variables = from?.environment?.variables ?? {};
      const body = feelBody(expression);
      const names = referencedNames(body);
      const context: Record<string, unknown> = {};
      if (names) {
        for (const name of names) if (!ENGINE_VARIABLE_KEYS.has(name) && variables[name] !== undefined) context[name] = variables[name];
      } else {
        Object.assign(context, dataVariables(variables));
      }
      return evaluateBody(body, context);
    },
    isExpression(text: unknown) {
      return isFeel(text);
    },
    hasExpression(text: unknown) {
      return isFeel(text);
    },
  };
}
