/** The part of a form's JSON Schema (from the API) the console reads. */
export interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  widget?: string;
  format?: string;
  enum?: unknown[];
  options?: Array<{ value: string; label: string }>;
  items?: FieldSchema;
  properties?: Record<string, FieldSchema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  accept?: string[];
  maxSizeMb?: number;
  placeholder?: string;
  default?: unknown;
  anyOf?: FieldSchema[];
  /** the actions whose completion carries the field (absent: every action that takes data) */
  actions?: string[];
}

export interface FormSchema extends FieldSchema {
  properties?: Record<string, FieldSchema>;
  'x-opinion-required-for'?: string[];
  'x-data-required-for'?: string[];
  'x-action-labels'?: Record<string, string>;
  /** the console page where the form is filled in instead of the generated form (`{name}`: a case variable) */
  'x-page'?: string;
}

export type Widget = 'text' | 'textarea' | 'number' | 'date' | 'datetime' | 'select' | 'multiselect' | 'boolean' | 'unit' | 'region' | 'file' | 'group' | 'regions' | 'tags';

const WIDGETS = new Set<Widget>(['text', 'textarea', 'number', 'date', 'datetime', 'select', 'multiselect', 'boolean', 'unit', 'region', 'file', 'group', 'regions', 'tags']);

function typeOf(schema: FieldSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  const variant = schema.anyOf?.find((s) => s.type !== 'null');
  return variant ? typeOf(variant) : undefined;
}

/** Which input a field gets: the widget the form declares, else what its JSON type says. */
export function widgetOf(schema: FieldSchema): Widget {
  if (schema.widget && WIDGETS.has(schema.widget as Widget)) return schema.widget as Widget;
  const type = typeOf(schema);
  if (type === 'array') {
    if (schema.items && typeOf(schema.items) === 'object') return 'group';
    if (schema.items?.enum || schema.items?.options) return 'multiselect';
    return 'multiselect';
  }
  if (schema.enum || schema.options) return 'select';
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number') return 'number';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'date-time') return 'datetime';
  if ((schema.maxLength ?? 0) > 200) return 'textarea';
  return 'text';
}

/** Options of a select: the labelled options the form declares, else the bare enum values. */
export function choicesOf(schema: FieldSchema): Array<{ id: string; name: string }> {
  const source = schema.options ?? schema.items?.options;
  if (source) return source.map((o) => ({ id: o.value, name: o.label }));
  const values = schema.enum ?? schema.items?.enum ?? [];
  return values.map((v) => ({ id: String(v), name: String(v) }));
}

export function labelOf(name: string, schema: FieldSchema): string {
  return schema.title ?? name;
}

/** The form as one action shows it: the fields of other actions are neither shown nor sent. */
export function formForAction<S extends FieldSchema>(schema: S | null | undefined, action: string | null): S | null {
  if (!schema) return null;
  if (!schema.properties) return schema;
  const properties = Object.fromEntries(Object.entries(schema.properties).filter(([, f]) => !f.actions || (action != null && f.actions.includes(action))));
  return { ...schema, properties, required: (schema.required ?? []).filter((name) => name in properties) };
}

/** The fields a form shows, in the order the form defines them. */
export function fieldsOf(schema: FieldSchema | null | undefined): Array<{ name: string; schema: FieldSchema; required: boolean }> {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, s]) => ({ name, schema: s, required: required.has(name) }));
}
