import { z } from 'zod';
import type { FormDefinition } from './define.ts';
import { dossierSubmitForm } from './dossier-submit.ts';
import { chainReviewForm, employerReviewForm, receiptForm, reviewForm, superiorReviewForm } from './review.ts';
import { expertForm } from './expert.ts';
import { committeeFilingForm, committeeForm } from './committee.ts';
import { legalRepForm, unitBasicForm, unitClerkForm, unitRegistrationForm, unitRegistrationReviewForm } from './unit-info.ts';
import { activityForm, deadlineChangeForm } from './activity.ts';
import { dossierStartForm } from './dossier-start.ts';
import { ACTION_LABELS } from './labels.ts';
import { MEETING_FORMS } from './meeting.ts';
import { PUBLICITY_FORMS } from './publicity.ts';
import { CONFIRMATION_FORMS } from './confirmation.ts';
import { ISSUANCE_FORMS } from './issuance.ts';
import { HISTORY_FORMS } from './history.ts';
import { TALENT_FORMS } from './talent.ts';
import { RECOGNITION_FORMS } from './title-recognition.ts';
import { expertPoolReviewForm } from './expert-pool-review.ts';

export { field, fileField, unitField, options, defineForm, type FormDefinition, type FieldMeta, type Widget } from './define.ts';
export { installChineseMessages } from './zod-zh.ts';

const registry = new Map<string, FormDefinition>();

/** Makes a form available to user tasks under its key. */
export function registerForm(form: FormDefinition): void {
  if (registry.has(form.key)) throw new Error(`form ${form.key} is already registered`);
  registry.set(form.key, form);
}

for (const form of [dossierSubmitForm, reviewForm, receiptForm, unitRegistrationForm, unitRegistrationReviewForm, unitBasicForm, legalRepForm, unitClerkForm, committeeForm, committeeFilingForm] as FormDefinition[]) registerForm(form);
for (const form of [activityForm, deadlineChangeForm] as FormDefinition[]) registerForm(form);
registerForm(expertForm as FormDefinition);
for (const form of [employerReviewForm, chainReviewForm, superiorReviewForm] as FormDefinition[]) registerForm(form);
registerForm(dossierStartForm as FormDefinition);
for (const form of MEETING_FORMS as FormDefinition[]) registerForm(form);
for (const form of PUBLICITY_FORMS as FormDefinition[]) registerForm(form);
for (const form of CONFIRMATION_FORMS as FormDefinition[]) registerForm(form);
for (const form of ISSUANCE_FORMS as FormDefinition[]) registerForm(form);
for (const form of HISTORY_FORMS as FormDefinition[]) registerForm(form);
for (const form of TALENT_FORMS as FormDefinition[]) registerForm(form);
for (const form of RECOGNITION_FORMS as FormDefinition[]) registerForm(form);
registerForm(expertPoolReviewForm as FormDefinition);

export function getForm(key: string): FormDefinition | undefined {
  return registry.get(key);
}

/**
 * What an action taken with a form is called (接收 at 评委会接收, 审核通过 elsewhere): the label
 * of the task's own form, so that each history entry keeps its step's wording.
 */
export function actionLabelOf(formKey: string | null | undefined, action: string | null | undefined): string | null {
  if (!action) return null;
  const own = formKey ? registry.get(formKey)?.actionLabels?.[action] : undefined;
  return own ?? (ACTION_LABELS as Record<string, string>)[action] ?? action;
}

export function formKeys(): ReadonlySet<string> {
  return new Set(registry.keys());
}

/** The actions a field belongs to (its `actions` annotation), or null when it belongs to all. */
function actionsOf(schema: z.ZodType): string[] | null {
  const actions = schema.meta()?.actions;
  return Array.isArray(actions) ? (actions as string[]) : null;
}

const actionSchemas = new WeakMap<FormDefinition, Map<string, z.ZodObject>>();

/**
 * The form's schema for one action: without the fields of other actions, so that what a
 * completion stores (and a later reader shows) is only what the action taken carries.
 */
export function schemaForAction(form: FormDefinition, action: string): z.ZodObject {
  // one schema per form and action, built once: a new object schema per completion is work (and
  // garbage) on every step of a batch
  let byAction = actionSchemas.get(form);
  if (!byAction) actionSchemas.set(form, (byAction = new Map()));
  let schema = byAction.get(action);
  if (!schema) byAction.set(action, (schema = buildSchemaForAction(form, action)));
  return schema;
}

function buildSchemaForAction(form: FormDefinition, action: string): z.ZodObject {
  const shape = form.schema.shape as Record<string, z.ZodType>;
  const foreign = Object.keys(shape).filter((name) => {
    const actions = actionsOf(shape[name]!);
    return actions !== null && !actions.includes(action);
  });
  return foreign.length ? form.schema.omit(Object.fromEntries(foreign.map((name) => [name, true])) as Record<string, true> & Record<number, never>) : form.schema;
}

/** JSON Schema of a form (labels, widgets and options included) for the console. */
export function formJsonSchema(form: FormDefinition): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(form.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
    title: form.title,
    ...(form.description ? { description: form.description } : {}),
    'x-opinion-required-for': form.opinionRequiredFor,
    'x-data-required-for': form.dataRequiredFor,
    'x-action-labels': form.actionLabels ?? {},
    ...(form.page ? { 'x-page': form.page } : {}),
  };
}

/** Title of the field at a path, e.g. achievements.0.title → 业绩成果 第1项 成果名称. */
function labelOf(schema: z.ZodType, path: PropertyKey[]): string {
  const parts: string[] = [];
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    if (!current) break;
    current = unwrap(current);
    if (current instanceof z.ZodObject) {
      current = (current.shape as Record<string, z.ZodType>)[String(key)];
      const title = current ? (current.meta()?.title as string | undefined) : undefined;
      parts.push(title ?? String(key));
    } else if (current instanceof z.ZodArray) {
      parts.push(`第${Number(key) + 1}项`);
      current = current.element as z.ZodType;
    } else {
      parts.push(String(key));
    }
  }
  return parts.join(' ');
}

/** The label of the field at a path when the schema gives that field a title, else null. */
export function titleAt(schema: z.ZodType, path: PropertyKey[]): string | null {
  const keys = path.filter((k) => !/^\d+$/.test(String(k)));
  if (!keys.length) return null;
  let current: z.ZodType | undefined = schema;
  let title: string | undefined;
  for (const key of path) {
    if (!current) return null;
    current = unwrap(current);
    if (current instanceof z.ZodObject) {
      current = (current.shape as Record<string, z.ZodType>)[String(key)];
      title = current ? (current.meta()?.title as string | undefined) : undefined;
    } else if (current instanceof z.ZodArray) {
      current = current.element as z.ZodType;
    } else return null;
  }
  return title ?? null;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else break;
  }
  return s;
}

export interface IssueDescription {
  field: string;
  message: string;
}

/** Turns zod issues into field problems worded with the form's own labels. */
export function describeIssues(schema: z.ZodType, issues: z.core.$ZodIssue[], prefix = ''): IssueDescription[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const label = issue.path.length ? labelOf(schema, issue.path) : '';
    return {
      field: prefix ? (path ? `${prefix}.${path}` : prefix) : path,
      message: label ? `${label}：${issue.message}` : issue.message,
    };
  });
}

