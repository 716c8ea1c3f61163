import { useRef, useState } from 'react';
import { Box, Button, Chip, FormHelperText, Stack, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { api } from '../../lib/api.ts';
import { FilePreviewDialog, type PreviewFile } from '../../components/FilePreview.tsx';
import type { FileRef } from './types.ts';

/** Attachments of one declaration field: uploaded once to the file store, kept in the draft as references. */
export function FilesField({ label, value, onChange, max = 20, required, error, disabled, testId }: { label: string; value: FileRef[] | undefined; onChange: (files: FileRef[]) => void; max?: number; required?: boolean; error?: string; disabled?: boolean; testId?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewFile | null>(null);
  const files = value ?? [];
  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy(true);
    setFailure(null);
    try {
      const body = new FormData();
      for (const f of Array.from(list)) body.append('file', f, f.name);
      const stored = await api<FileRef[]>('/api/files', { method: 'POST', body });
      onChange([...files, ...stored].slice(0, max));
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <Box sx={{ my: 1 }} data-testid={testId}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ minWidth: 120 }}>
          {label}
          {required ? ' *' : ''}
        </Typography>
        {files.map((f) => (
          <Chip key={f.id} size="small" label={f.name} onClick={() => setPreview(f)} onDelete={disabled ? undefined : () => onChange(files.filter((x) => x.id !== f.id))} />
        ))}
        {!disabled && files.length < max ? (
          <Button size="small" startIcon={<UploadFileIcon />} disabled={busy} onClick={() => input.current?.click()}>
            {busy ? '上传中…' : '上传附件'}
          </Button>
        ) : null}
        <input ref={input} type="file" multiple hidden aria-label={`${label}上传`} onChange={(e) => void upload(e.target.files)} />
      </Stack>
      {error || failure ? <FormHelperText error>{error ?? failure}</FormHelperText> : null}
      <FilePreviewDialog file={preview} onClose={() => setPreview(null)} />
    </Box>
  );
}
