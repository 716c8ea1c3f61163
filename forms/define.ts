import { z } from 'zod';
import './zod-zh.ts';

/** Widgets the console maps fields to (see admin-ui `inputFor`). */
export type Widget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'datetime'
  | 'select'
  | 'multiselect'
  | 'boolean'
  | 'unit'
  | 'region'
  | 'file'
  | 'group'
  /** several 职称业务归属地 */
  | 'regions'
  /** free-text entries, typed one by one (专业 names) */
  | 'tags';

export interface FieldMeta {
  title: string;
  widget?: Widget;
  description?: string;
  options?: Array<{ value: string; label: string }>;
  /** file widget: accepted extensions and size limit */
  accept?: string[];
  maxSizeMb?: number;
  placeholder?: string;
  /**
   * The actions whose completion carries this field (`['return']` for 退回至); a field without
   * it belongs to every action that takes data. The others neither show nor store it.
   */
  actions?: string[];
}

/** Attaches the label, widget and help text a form field shows. */
export function field<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  return schema.meta({ ...meta }) as T;
}

/** An uploaded file as forms keep it (the content lives in the file store, by hash). */
export const fileRef = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(255),
  size: z.number().int().min(0),
  mime: z.string().max(200),
});

/** 附件: one or more uploaded files, with the types and size the upload accepts. */
export function fileField(meta: Omit<FieldMeta, 'widget'> & { minFiles?: number; maxFiles?: number }) {
  const { minFiles = 0, maxFiles = 20, ...rest } = meta;
  return z.array(fileRef).min(minFiles).max(maxFiles).meta({ ...rest, widget: 'file', maxSizeMb: rest.maxSizeMb ?? 20 });
}

/** An optional 附件 field, labelled as a whole (so a message about it names it). */
export function optionalFileField(meta: Omit<FieldMeta, 'widget'> & { maxFiles?: number }) {
  const { maxFiles = 20, ...rest } = meta;
  return z.array(fileRef).max(maxFiles).optional().meta({ ...rest, widget: 'file', maxSizeMb: rest.maxSizeMb ?? 20 });
}

/** 单位: a unit of the unit tree, picked by name. */
export function unitField(meta: Omit<FieldMeta, 'widget'>) {
  return z.number().int().positive().meta({ ...meta, widget: 'unit' });
}

export function options(entries: Record<string, string>): Array<{ value: string; label: string }> {
  return Object.entries(entries).map(([value, label]) => ({ value, label }));
}

export interface FormDefinition<S extends z.ZodObject = z.ZodObject> {
  key: string;
  title: string;
  description?: string;
  schema: S;
  /** actions whose completion requires valid form data (others only need an opinion) */
  dataRequiredFor: string[];
  /** actions that require an opinion */
  opinionRequiredFor: string[];
  /** where the data goes in the instance: under this variable, or merged when absent */
  variable?: string;
  /** labels of the actions for buttons and history */
  actionLabels?: Record<string, string>;
  /**
   * the console page where this form is filled in, when it has one of its own instead of the
   * generated form; `{name}` takes the case's variable of that name
   */
  page?: string;
}

export function defineForm<S extends z.ZodObject>(definition: FormDefinition<S>): FormDefinition<S> {
  return definition;
}

/** A date and time: with an offset as given, without one (what the console's picker sends) as Beijing time. */
export const beijingInstant = () =>
  z.iso.datetime({ offset: true, local: true }).transform((v) => (/(?:[zZ]|[+-]\d\d:\d\d)$/.test(v) ? v : `${v.length === 16 ? `${v}:00` : v}+08:00`));
