import { Autocomplete, Chip, TextField } from '@mui/material';
import { useInput, type Validator } from 'react-admin';

/** Free-text entries typed one by one (Enter or a comma adds one), kept as a string array. */
export function TagsInput({ source, label, helperText, validate }: { source: string; label: string; helperText?: string; validate?: Validator[] }) {
  const { field, fieldState } = useInput({ source, validate });
  const value: string[] = Array.isArray(field.value) ? field.value : [];
  const add = (entries: string[]) => field.onChange([...new Set(entries.flatMap((e) => e.split(/[,，、;；\n]/)).map((e) => e.trim()).filter(Boolean))]);
  return (
    <Autocomplete
      multiple
      freeSolo
      options={[]}
      value={value}
      onChange={(_, next) => add(next as string[])}
      onBlur={field.onBlur}
      renderValue={(items, getItemProps) => items.map((item, index) => <Chip label={item} size="small" {...getItemProps({ index })} key={item} />)}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          error={Boolean(fieldState.error)}
          helperText={fieldState.error?.message ?? (helperText || '输入后按回车添加，可添加多个')}
          onKeyDown={(e) => {
            const input = e.target as HTMLInputElement;
            if ((e.key === ',' || e.key === '，') && input.value.trim()) {
              e.preventDefault();
              add([...value, input.value]);
              input.value = '';
            }
          }}
        />
      )}
      fullWidth
    />
  );
}
