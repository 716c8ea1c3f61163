import { useState } from 'react';
import { Button, CircularProgress } from '@mui/material';
import { useFormContext } from 'react-hook-form';
import { useNotify } from 'react-admin';
import { fieldErrors } from '../lib/api.ts';

/**
 * Submits a react-admin form to the API and puts the API's field messages (400) on the fields,
 * `prefixes` stripped (e.g. "unit." for a body `{ unit: {...} }`).
 */
export function ServerSubmit({
  label,
  onSubmit,
  prefixes = [],
  rename = {},
  onFieldErrors,
  testId,
}: {
  label: string;
  onSubmit: (values: Record<string, unknown>) => Promise<void>;
  prefixes?: string[];
  /** API field paths whose form field has another name */
  rename?: Record<string, string>;
  onFieldErrors?: (fields: string[]) => void;
  testId?: string;
}) {
  const { handleSubmit, setError } = useFormContext();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const submit = handleSubmit(async (values) => {
    setBusy(true);
    try {
      await onSubmit(values);
    } catch (err) {
      const fields = fieldErrors(err);
      const names: string[] = [];
      for (const [path, message] of Object.entries(fields)) {
        const name = rename[path] ?? prefixes.reduce((p, prefix) => (p.startsWith(prefix) ? p.slice(prefix.length) : p), path);
        names.push(name);
        setError(name, { type: 'server', message });
      }
      onFieldErrors?.(names);
      notify((err as Error).message, { type: 'error', multiLine: true });
    } finally {
      setBusy(false);
    }
  });
  return (
    <Button variant="contained" disabled={busy} onClick={() => void submit()} data-testid={testId} startIcon={busy ? <CircularProgress size={16} /> : undefined}>
      {label}
    </Button>
  );
}
