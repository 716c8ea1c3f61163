import { checkFeelSyntax, isFeel } from '../feel.ts';
import { expressionsOf, isForeignExpression, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** Every FEEL expression of a checked element parses (conditions, timers, task attributes, inputs, summary). */
export default function feel(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      for (const { attr, value, literalAllowed } of expressionsOf(node)) {
        if (literalAllowed && isForeignExpression(value)) continue;
        if (typeof value !== 'string' || !isFeel(value)) continue;
        const problem = checkFeelSyntax(value);
        if (problem) reporter.report(node.id, `${attr}：${problem}`);
      }
    },
  };
}
