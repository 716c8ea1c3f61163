import { describeIssues, getForm, schemaForAction } from '../../forms/index.ts';
import { ValidationError } from './errors.ts';
import type { FormValidationInput, FormValidationResult, StartFormValidator } from '../../engine/types.ts';

/** Forms send null or '' for a field left empty; to the schema that is a field not given. */
export function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === '') continue;
      out[k] = withoutEmpty(v);
    }
    return out;
  }
  return value;
}

/** The engine's form validator: the opinion and data the chosen action needs, in the form's words. */
export function validateTaskForm(input: FormValidationInput): FormValidationResult {
  const form = getForm(input.formKey);
  if (!form) throw new ValidationError(`表单“${input.formKey}”不存在`, [{ field: 'formKey', message: '表单不存在' }]);
  const label = form.actionLabels?.[input.action] ?? input.action;
  if (form.opinionRequiredFor.includes(input.action) && !input.opinion) {
    throw new ValidationError(`${label}时必须填写审核意见`, [{ field: 'opinion', message: `${label}时必须填写审核意见` }]);
  }
  if (input.opinion && input.opinion.length > 2000) {
    throw new ValidationError('审核意见最多 2000 个字符', [{ field: 'opinion', message: '最多 2000 个字符' }]);
  }
  if (!form.dataRequiredFor.includes(input.action)) return { data: {}, variables: {} };
  // the fields of other actions are dropped (an object schema strips keys it does not declare)
  const schema = schemaForAction(form, input.action);
  const parsed = schema.safeParse(withoutEmpty(input.data ?? {}));
  if (!parsed.success) {
    const fields = describeIssues(schema, parsed.error.issues, 'data');
    throw new ValidationError(`${form.title}填写有误：${fields.map((f) => f.message).join('；')}`, fields);
  }
  const data = parsed.data as Record<string, unknown>;
  return { data, variables: form.variable ? { [form.variable]: data } : data };
}

/**
 * The engine's start-form validator: the variables of a start through the API are the start
 * form's fields, checked like a task's data; a variable the form does not declare is refused by
 * name rather than dropped, so a caller learns at once that it is not theirs to set.
 */
export const validateStartForm: StartFormValidator = ({ formKey, variables }) => {
  const form = getForm(formKey);
  if (!form) throw new ValidationError(`表单“${formKey}”不存在`, [{ field: 'formKey', message: '表单不存在' }]);
  const declared = new Set(Object.keys(form.schema.shape));
  const undeclared = Object.keys(variables).filter((name) => !declared.has(name));
  if (undeclared.length) {
    throw new ValidationError(
      `${form.title}时不能填写：${undeclared.join('、')}`,
      undeclared.map((name) => ({ field: `variables.${name}`, message: `“${name}”不是${form.title}表单中的项目` })),
    );
  }
  const parsed = form.schema.safeParse(withoutEmpty(variables));
  if (!parsed.success) {
    const fields = describeIssues(form.schema, parsed.error.issues, 'variables');
    throw new ValidationError(`${form.title}填写有误：${fields.map((f) => f.message).join('；')}`, fields);
  }
  const data = parsed.data as Record<string, unknown>;
  return form.variable ? { [form.variable]: data } : data;
};
