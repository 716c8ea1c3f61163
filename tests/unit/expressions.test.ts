import { describe, expect, it } from 'vitest';
import { checkFeelSyntax, createFeelExpressions, dataVariables, evaluateFeel, isFeel, resolveValue } from '../../engine/expressions.ts';

describe('FEEL expressions', () => {
  it('treats only values starting with = as FEEL', () => {
    expect(isFeel('=a')).toBe(true);
    expect(isFeel('  =a')).toBe(true);
    expect(isFeel('a = b')).toBe(false);
    expect(isFeel('${a}')).toBe(false);
    expect(isFeel(undefined)).toBe(false);
  });

  it('evaluates conditions over instance variables', () => {
    expect(evaluateFeel('=action = "pass"', { action: 'pass' })).toBe(true);
    expect(evaluateFeel('=chain.department != null', { chain: { department: 3 } })).toBe(true);
    expect(evaluateFeel('=chain.department != null', { chain: { department: null } })).toBe(false);
    expect(evaluateFeel('={reviewer: initiator, n: count + 1}', { initiator: 7, count: 1 })).toEqual({ reviewer: 7, n: 2 });
  });

  it('returns JSON-friendly values for dates and durations', () => {
    expect(evaluateFeel('=duration("P3D")', {})).toBe('P3D');
    expect(evaluateFeel('=date("2026-10-01") + duration("P7D")', {})).toBe('2026-10-08');
  });

  it('reports syntax errors without evaluating', () => {
    expect(checkFeelSyntax('=a +* 1')).toMatch(/语法错误/);
    expect(checkFeelSyntax('=')).toBe('FEEL 表达式为空');
    expect(checkFeelSyntax('=a + 1')).toBeNull();
  });

  it('never runs JavaScript: ${} and literals resolve to themselves', () => {
    const expressions = createFeelExpressions();
    expect(expressions.resolveExpression('${process.exit(1)}', { environment: { variables: {} } })).toBe('${process.exit(1)}');
    expect(expressions.resolveExpression('P30D', { environment: { variables: {} } })).toBe('P30D');
    expect(expressions.resolveExpression('=x * 2', { environment: { variables: { x: 21 } } })).toBe(42);
    expect(resolveValue('=missing.field', {})).toBeNull();
  });

  it('hides the engine’s message plumbing from variables', () => {
    expect(dataVariables({ a: 1, fields: {}, content: {}, properties: {}, b: undefined })).toEqual({ a: 1 });
  });
});
