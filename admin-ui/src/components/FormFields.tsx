import type { ReactElement } from 'react';
import { useQuery } from '@tanstack/react-query';
import { LinearProgress } from '@mui/material';
import { api } from '../lib/api.ts';
import { fieldsOf, type FieldSchema } from '../lib/schema.ts';
import { inputFor } from './inputFor.tsx';

/** A form definition the API publishes (forms/ on the server), fetched once per key. */
export function useFormSchema(formKey: string) {
  return useQuery({ queryKey: ['form', formKey], queryFn: () => api<FieldSchema>(`/api/forms/${formKey}`), staleTime: Infinity });
}

/** The inputs of a published form, in its order, optionally without some fields. */
export function FormFields({ formKey, omit = [] }: { formKey: string; omit?: string[] }): ReactElement {
  const { data } = useFormSchema(formKey);
  if (!data) return <LinearProgress />;
  return <>{fieldsOf(data).filter((f) => !omit.includes(f.name)).map((f) => inputFor(f.name, f.schema, f.required))}</>;
}
