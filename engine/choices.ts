import { ValidationError } from './errors.ts';
import { evaluateFeel } from './expressions.ts';
import type { ChoiceMeta } from './types.ts';

/** One way out of a choice gateway that exists for a case. */
export interface ChoiceOption {
  value: string;
  label: string;
}

/** A choice gateway as the person about to complete a task meets it: the options that exist now. */
export interface AvailableChoice {
  gatewayId: string;
  name: string;
  variable: string;
  options: ChoiceOption[];
}

/** The variables with `path` set to `value` (copies along the path, the rest shared). */
function withValue(variables: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (!rest.length) return { ...variables, [head]: value };
  const inner = variables[head];
  return { ...variables, [head]: withValue(inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {}, rest, value) };
}

/**
 * The options of a choice gateway that exist for these variables: each outgoing flow's condition
 * holds when its value is the one chosen (a return to 主管部门 exists only where the chain has one).
 */
export function availableOptions(choice: ChoiceMeta, variables: Record<string, unknown>): ChoiceOption[] {
  const path = choice.variable.split('.');
  return choice.options
    .filter((o) => {
      try {
        return evaluateFeel(o.condition, withValue(variables, path, o.value)) === true;
      } catch {
        return false;
      }
    })
    .map((o) => ({ value: o.value, label: o.label }));
}

/** Raised when a step reaches a choice gateway with a value none of its ways out take. */
export class ChoiceRefusal extends ValidationError {
  constructor(
    message: string,
    readonly choice: ChoiceMeta,
    readonly options: ChoiceOption[],
  ) {
    super(message, [{ field: choice.variable, message: options.length ? `可选：${options.map((o) => o.label).join('、')}` : '当前没有可选项' }]);
  }
}

export function choiceRefusal(choice: ChoiceMeta, variables: Record<string, unknown>): ChoiceRefusal {
  const options = availableOptions(choice, variables);
  const path = choice.variable.split('.');
  let chosen: unknown = variables;
  for (const key of path) chosen = chosen && typeof chosen === 'object' ? (chosen as Record<string, unknown>)[key] : undefined;
  const picked = choice.options.find((o) => o.value === chosen)?.label ?? (chosen == null ? '（未选择）' : String(chosen));
  const names = options.map((o) => o.label).join('、');
  return new ChoiceRefusal(`${choice.name}：不能选择“${picked}”${names ? `，可选：${names}` : ''}`, choice, options);
}
