import { useRef, useState } from 'react';
import { Box, Button, Chip, FormHelperText, FormLabel, LinearProgress, Stack } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useInput, useNotify, ValidationError, type InputProps } from 'react-admin';
import { api } from '../lib/api.ts';
import { downloadFile } from '../lib/download.ts';
import type { ApiResponse } from '../api-types.ts';

/** A file as forms keep it: the upload's answer without its content hash. */
export type FileRef = Omit<ApiResponse<'/api/files', 'post'>[number], 'sha256'>;

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Props extends Omit<InputProps, 'source'> {
  source: string;
  label: string;
  accept?: string[];
  maxSizeMb?: number;
  helperText?: string;
}

/**
 * 附件上传: files are uploaded as soon as they are chosen (kept by content hash on the server),
 * so a failed submit never loses them; the field's value is the list of file references.
 */
export function FileUploadInput({ source, label, accept, maxSizeMb = 20, helperText, validate }: Props) {
  const { field, fieldState } = useInput({ source, validate, defaultValue: [] });
  const files: FileRef[] = Array.isArray(field.value) ? field.value : [];
  const [busy, setBusy] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const notify = useNotify();

  async function upload(list: FileList | null) {
    if (!list?.length) return;
    const chosen = [...list];
    const tooBig = chosen.find((f) => f.size > maxSizeMb * 1024 * 1024);
    if (tooBig) {
      notify(`“${tooBig.name}”超过 ${maxSizeMb} MB，未上传`, { type: 'error' });
      return;
    }
    const wrongType = accept?.length ? chosen.find((f) => !accept.some((ext) => f.name.toLowerCase().endsWith(ext.toLowerCase()))) : undefined;
    if (wrongType) {
      notify(`“${wrongType.name}”的文件类型不允许，只能上传 ${accept?.join('、')}`, { type: 'error' });
      return;
    }
    const body = new FormData();
    for (const f of chosen) body.append('file', f, f.name);
    setBusy(true);
    try {
      // the server checks each file's content against the field's types and names the field
      const query = new URLSearchParams({ field: source.replace(/[^\w.]/g, '_'), ...(accept?.length ? { accept: accept.join(',') } : {}) });
      const stored = await api<FileRef[]>(`/api/files?${query}`, { method: 'POST', body });
      // the same file chosen twice is one stored file: keep it once
      const fresh = stored.filter((s, i) => !files.some((f) => f.id === s.id) && stored.findIndex((x) => x.id === s.id) === i);
      field.onChange([...files, ...fresh.map(({ id, name, size, mime }) => ({ id, name, size, mime }))]);
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
      if (picker.current) picker.current.value = '';
    }
  }

  const hint = [accept?.length ? `允许 ${accept.join('、')}` : '', `单个不超过 ${maxSizeMb} MB`, '可多选'].filter(Boolean).join('，');
  return (
    <Box sx={{ my: 1 }} data-field={source}>
      <FormLabel error={Boolean(fieldState.error)}>{label}</FormLabel>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', my: 1 }} useFlexGap>
        {files.map((f) => (
          <Chip
            key={f.id}
            label={`${f.name}（${formatSize(f.size)}）`}
            onClick={() => void downloadFile(f.id, f.name)}
            onDelete={() => field.onChange(files.filter((x) => x.id !== f.id))}
          />
        ))}
      </Stack>
      <input ref={picker} type="file" multiple hidden accept={accept?.join(',')} onChange={(e) => void upload(e.target.files)} />
      <Button size="small" variant="outlined" startIcon={<UploadFileIcon />} disabled={busy} onClick={() => picker.current?.click()}>
        上传文件
      </Button>
      {busy ? <LinearProgress sx={{ mt: 1 }} /> : null}
      <FormHelperText error={Boolean(fieldState.error)}>
        {/* react-admin's validators answer a message key (`@@react-admin@@…`); ValidationError translates it */}
        {fieldState.error?.message ? <ValidationError error={fieldState.error.message} /> : (helperText ?? hint)}
      </FormHelperText>
      {helperText ? <FormHelperText>{hint}</FormHelperText> : null}
    </Box>
  );
}
