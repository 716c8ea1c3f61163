import { expressionsOf, isForeignExpression, type ModdleNode, type Reporter, type Rule } from '../support.ts';

/** `${…}` / `#{…}` from other engines would be taken as literal text; FEEL starts with “=”. */
export default function expressionLanguage(): Rule {
  return {
    check(node: ModdleNode, reporter: Reporter) {
      for (const { attr, value, literalAllowed } of expressionsOf(node)) {
        if (literalAllowed && isForeignExpression(value)) reporter.report(node.id, `${attr} 使用了非 FEEL 表达式“${value}”，请改为以“=”开头的 FEEL 表达式`);
      }
    },
  };
}
