import { describe, expect, it } from 'vitest';
import { evaluate } from 'feelin';
import { evaluateFeel } from '../../engine/expressions.ts';

// evaluateFeel reads simple paths and contexts of paths directly; it must agree with feelin
describe('FEEL fast path agrees with feelin', () => {
  const contexts: Array<Record<string, unknown>> = [
    {},
    { a: null },
    { a: 1.5, b: 'x', c: true, d: 0 },
    { a: { b: 'x', c: { d: 4 } } },
    { a: { b: null } },
    { a: 'str' },
    { a: 5 },
    { a: [{ b: 1 }, { b: 2 }] },
    { a: { b: [1, 2] } },
    { a: { b: { x: 1 } } },
    { a: {} },
    { applicant: { name: '张三', unitName: '某单位' }, activityName: '2026 年度', dossierId: 7, dossier: { series: 's', specialty: null } },
  ];
  const expressions = [
    'a',
    'a.b',
    'a.b.c',
    'a.c.d',
    'a.constructor',
    'a.toString',
    'missing',
    'missing.field',
    '{k: a.b, j: c}',
    '{k: "lit", n: 3, m: -1.5}',
    '{"x y": a}',
    '{k: "a, b", j: a}',
    '{k: "a:b"}',
    '{applicantName: applicant.name, unitName: applicant.unitName, activityName: activityName, dossierId: dossierId, series: dossier.series, specialty: dossier.specialty, level: dossier.level}',
    'a = "x"',
    'a.b != null',
  ];
  for (const expression of expressions) {
    it(expression, () => {
      for (const context of contexts) {
        const expected = evaluate(expression, structuredClone(context)).value;
        expect(evaluateFeel(`=${expression}`, context), JSON.stringify(context)).toEqual(expected);
      }
    });
  }

  it('does not hand out the variables it read', () => {
    const context = { a: { b: { x: 1 } } };
    const value = evaluateFeel('=a.b', context) as { x: number };
    value.x = 2;
    expect(context.a.b.x).toBe(1);
  });
});
