import type { ReactElement } from 'react';
import {
  ArrayInput,
  AutocompleteArrayInput,
  AutocompleteInput,
  DateInput,
  DateTimeInput,
  NumberInput,
  RadioButtonGroupInput,
  ReferenceArrayInput,
  ReferenceInput,
  SelectArrayInput,
  SelectInput,
  SimpleFormIterator,
  TextInput,
  maxLength,
  maxValue,
  minLength,
  minValue,
  required as requiredValidator,
  type Validator,
} from 'react-admin';
import { FileUploadInput } from './FileUploadInput.tsx';
import { TagsInput } from './TagsInput.tsx';
import { choicesOf, fieldsOf, labelOf, widgetOf, type FieldSchema } from '../lib/schema.ts';

function validatorsOf(schema: FieldSchema, required: boolean): Validator[] {
  const out: Validator[] = [];
  if (required) out.push(requiredValidator());
  if (schema.minLength && schema.minLength > 1) out.push(minLength(schema.minLength));
  if (schema.maxLength) out.push(maxLength(schema.maxLength));
  if (schema.minimum !== undefined && Number.isFinite(schema.minimum) && Math.abs(schema.minimum) < 1e15) out.push(minValue(schema.minimum));
  if (schema.maximum !== undefined && Number.isFinite(schema.maximum) && Math.abs(schema.maximum) < 1e15) out.push(maxValue(schema.maximum));
  return out;
}

const BOOLEAN_CHOICES = [
  { id: 'true', name: '是' },
  { id: 'false', name: '否' },
];
// radio values are strings; the form keeps a real boolean
const parseBoolean = (v: unknown) => (v === 'true' || v === true ? true : v === 'false' || v === false ? false : null);
const formatBoolean = (v: unknown) => (v === true ? 'true' : v === false ? 'false' : '');

/**
 * One mapping from a form field (JSON Schema with our widget metadata) to a react-admin input.
 * Every task form of every flow is rendered through it; no flow has a hand-written form.
 */
export function inputFor(name: string, schema: FieldSchema, required: boolean): ReactElement {
  const label = labelOf(name, schema);
  const helperText = schema.description ?? '';
  const validate = validatorsOf(schema, required);
  const common = { source: name, label, helperText, validate };
  switch (widgetOf(schema)) {
    case 'textarea':
      return <TextInput key={name} {...common} multiline minRows={3} fullWidth />;
    case 'number':
      return <NumberInput key={name} {...common} step={schema.type === 'integer' ? 1 : undefined} fullWidth />;
    case 'date':
      return <DateInput key={name} {...common} fullWidth />;
    case 'datetime':
      return <DateTimeInput key={name} {...common} fullWidth />;
    case 'select':
      return <SelectInput key={name} {...common} choices={choicesOf(schema)} fullWidth />;
    case 'multiselect':
      return <SelectArrayInput key={name} {...common} choices={choicesOf(schema)} fullWidth />;
    case 'boolean':
      return <RadioButtonGroupInput key={name} {...common} choices={BOOLEAN_CHOICES} parse={parseBoolean} format={formatBoolean} />;
    case 'unit':
      return (
        <ReferenceInput key={name} source={name} reference="units">
          <AutocompleteInput label={label} helperText={helperText} validate={validate} optionText="name" filterToQuery={(q: string) => ({ q })} fullWidth />
        </ReferenceInput>
      );
    case 'region':
      return (
        <ReferenceInput key={name} source={name} reference="regions" perPage={300}>
          <AutocompleteInput label={label} helperText={helperText} validate={validate} optionText="label" filterToQuery={(q: string) => ({ q })} fullWidth />
        </ReferenceInput>
      );
    case 'regions':
      return (
        <ReferenceArrayInput key={name} source={name} reference="regions" perPage={300}>
          <AutocompleteArrayInput label={label} helperText={helperText} validate={validate} optionText="label" filterToQuery={(q: string) => ({ q })} fullWidth />
        </ReferenceArrayInput>
      );
    case 'tags':
      return <TagsInput key={name} source={name} label={label} helperText={helperText} validate={validate} />;
    case 'file':
      return <FileUploadInput key={name} source={name} label={label} helperText={helperText || undefined} accept={schema.accept} maxSizeMb={schema.maxSizeMb} validate={validate} />;
    case 'group':
      return (
        <ArrayInput key={name} source={name} label={label} helperText={helperText} validate={validate}>
          <SimpleFormIterator inline disableReordering>
            {fieldsOf(schema.items).map((f) => inputFor(f.name, f.schema, f.required))}
          </SimpleFormIterator>
        </ArrayInput>
      );
    default:
      return <TextInput key={name} {...common} placeholder={schema.placeholder} fullWidth />;
  }
}

/** All inputs of a form, in the form's order. */
export function inputsFor(schema: FieldSchema | null | undefined): ReactElement[] {
  return fieldsOf(schema).map((f) => inputFor(f.name, f.schema, f.required));
}
