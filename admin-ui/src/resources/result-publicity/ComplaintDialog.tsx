import { useState } from 'react';
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useNotify } from 'react-admin';
import { api, fieldErrors } from '../../lib/api.ts';
import type { Complaint } from './types.ts';

interface Candidate {
  dossierId: number;
  name: string;
  employer: string;
  withdrawn: boolean;
}

/**
 * 我要反馈 (online) or 录入线下投诉结果 (offline, with the complainant's name, ID number or unit and
 * phone): the candidate, the reason and the evidence files (uploaded to /api/files first).
 */
export function ComplaintDialog(props: { open: boolean; onClose: () => void; onFiled: (c: Complaint) => void; url: string; offline: boolean; candidates: Candidate[] }) {
  const { open, onClose, onFiled, url, offline, candidates } = props;
  const notify = useNotify();
  const [values, setValues] = useState({ dossierId: '', reason: '', complainantName: '', complainantIdentity: '', complainantPhone: '' });
  const [files, setFiles] = useState<Array<{ id: string; name: string }>>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [key]: e.target.value });

  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    const body = new FormData();
    for (const f of Array.from(list)) body.append('file', f, f.name);
    try {
      const stored = await api<Array<{ id: string; name: string }>>('/api/files', { method: 'POST', body });
      setFiles([...files, ...stored.map((s) => ({ id: s.id, name: s.name }))]);
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
  };

  const submit = async () => {
    setBusy(true);
    setErrors({});
    try {
      const json = {
        dossierId: values.dossierId ? Number(values.dossierId) : undefined,
        reason: values.reason,
        evidence: files.map((f) => f.id),
        ...(offline ? { complainantName: values.complainantName, complainantIdentity: values.complainantIdentity, complainantPhone: values.complainantPhone } : {}),
      };
      const filed = await api<Complaint>(url, { method: 'POST', json });
      notify(offline ? '线下投诉已录入，进入调查核实' : '反馈已提交，评委会将调查核实', { type: 'success' });
      setValues({ dossierId: '', reason: '', complainantName: '', complainantIdentity: '', complainantPhone: '' });
      setFiles([]);
      onFiled(filed);
    } catch (err) {
      setErrors(fieldErrors(err));
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{offline ? '录入线下投诉结果' : '我要反馈'}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }} data-testid="complaint-form">
          <TextField select required label="被投诉人" value={values.dossierId} onChange={set('dossierId')} error={Boolean(errors.dossierId)} helperText={errors.dossierId} name="dossierId">
            {candidates
              .filter((c) => !c.withdrawn)
              .map((c) => (
                <MenuItem key={c.dossierId} value={String(c.dossierId)}>
                  {c.name}（{c.employer}）
                </MenuItem>
              ))}
          </TextField>
          {offline ? (
            <>
              <TextField required label="投诉人姓名" name="complainantName" value={values.complainantName} onChange={set('complainantName')} error={Boolean(errors.complainantName)} helperText={errors.complainantName} />
              <TextField required label="投诉人身份证号或单位" name="complainantIdentity" value={values.complainantIdentity} onChange={set('complainantIdentity')} error={Boolean(errors.complainantIdentity)} helperText={errors.complainantIdentity} />
              <TextField required label="手机号码" name="complainantPhone" value={values.complainantPhone} onChange={set('complainantPhone')} error={Boolean(errors.complainantPhone)} helperText={errors.complainantPhone} />
            </>
          ) : null}
          <TextField required multiline minRows={3} label="投诉原因" name="reason" value={values.reason} onChange={set('reason')} error={Boolean(errors.reason)} helperText={errors.reason ?? '请写明具体事实'} />
          <Box>
            <Button component="label" variant="outlined" size="small">
              上传佐证材料
              <input hidden type="file" multiple data-testid="evidence-input" onChange={(e) => void upload(e.target.files)} />
            </Button>
            <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap' }} useFlexGap>
              {files.map((f) => (
                <Chip key={f.id} size="small" label={f.name} onDelete={() => setFiles(files.filter((x) => x.id !== f.id))} />
              ))}
            </Stack>
            {errors.evidence ? <Typography color="error" variant="caption">{errors.evidence}</Typography> : null}
          </Box>
          {!offline ? <Alert severity="info">反馈提交后由评委会调查核实，结论可在“我的反馈”中查看。</Alert> : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" disabled={busy} onClick={() => void submit()}>
          确定
        </Button>
      </DialogActions>
    </Dialog>
  );
}
