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

/** Evaluates a FEEL expression (with or without the leading `=`) over the given variables. */
export function evaluateFeel(expression: string, context: Record<string, unknown>): unknown {
  const body = isFeel(expression) ? feelBody(expression) : expression;
  const { value } = evaluate(body, context);
  return fromFeel(value);
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
      const context = dataVariables(from?.environment?.variables);
      return evaluateFeel(expression, context);
    },
    isExpression(text: unknown) {
      return isFeel(text);
    },
    hasExpression(text: unknown) {
      return isFeel(text);
    },
  };
}
