import { evaluate, parseExpression } from 'feelin';

/**
 * FEEL is the only expression language a diagram may use. A value that starts with `=` is FEEL,
 * anything else is a literal. Diagrams never run JavaScript.
 */

// bpmn-elements copies the execute message (fields/content/properties) into process variables;
// they are engine plumbing, not data, and are hidden from FEEL and from stored variables.
export const ENGINE_VARIABLE_KEYS: ReadonlySet<string> = new Set(['fields', 'content', 'properties']);

export function isFeel(value: unknown): boolean {
  return typeof value === 'string' && value.trimStart().startsWith('=');
}

function feelBody(expression: string): string {
  return expression.trimStart().slice(1);
}

/** Returns a Chinese error message if the FEEL text does not parse, otherwise null. */
export function checkFeelSyntax(expression: string): string | null {
  const body = feelBody(expression);
  if (!body.trim()) return 'FEEL 表达式为空';
  try {
    const tree = parseExpression(body, {}, undefined);
    let error: { from: number } | null = null;
    tree.iterate({
      enter(node) {
        if (error) return false;
        if (node.type.isError) error = { from: node.from };
        return undefined;
      },
    });
    if (error) return `FEEL 表达式语法错误（第 ${(error as { from: number }).from + 1} 个字符附近）：${body}`;
    return null;
  } catch (err) {
    return `FEEL 表达式语法错误：${(err as Error).message}`;
  }
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

// FEEL is side-effect free: the same expression over the same inputs gives the same value, except
// for the clock functions. feelin re-parses on every call, so results are remembered.
const results = new Map<string, unknown>();
const CLOCK_FUNCTIONS = /\b(now|today)\s*\(/;
const RESULT_CACHE_SIZE = 20_000;

function evaluateBody(body: string, context: Record<string, unknown>): unknown {
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
