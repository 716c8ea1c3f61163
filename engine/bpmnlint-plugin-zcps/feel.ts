import { parseExpression } from 'feelin';

/**
 * FEEL is the only expression language a diagram may use. A value that starts with `=` is FEEL,
 * anything else is a literal. The engine evaluates by the same test the rules check by.
 */
export function isFeel(value: unknown): boolean {
  return typeof value === 'string' && value.trimStart().startsWith('=');
}

const syntaxCache = new Map<string, string | null>();

/** Returns a Chinese error message if the FEEL text does not parse, otherwise null. */
export function checkFeelSyntax(expression: string): string | null {
  // the editor lints on every change, and parsing is most of the time a lint takes
  let problem = syntaxCache.get(expression);
  if (problem === undefined) {
    problem = syntaxProblem(expression);
    if (syntaxCache.size >= 5000) syntaxCache.clear();
    syntaxCache.set(expression, problem);
  }
  return problem;
}

function syntaxProblem(expression: string): string | null {
  const body = expression.trimStart().slice(1);
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
