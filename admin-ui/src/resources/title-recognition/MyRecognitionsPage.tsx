import { useState } from 'react';
import { Alert, Box, Button, Card, CardActions, CardContent, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, MenuItem, Stack, TextField, Typography, useMediaQuery, useTheme } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useQuery } from '@tanstack/react-query';
import { Title, useNotify } from 'react-admin';
import { api, fieldErrors } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { uploadOne } from '../result-confirmation/shared.tsx';
import { RecognitionFacts, RecognitionPath, StatusChip, type Recognition, type RecognitionOptions } from './shared.tsx';

type Draft = Record<'series' | 'specialty' | 'titleName' | 'level' | 'acquisition' | 'originalBody' | 'obtainedDate' | 'originalDocumentNo' | 'certificateFileId' | 'qualificationFileId' | 'reason', string>;
const EMPTY: Draft = { series: '', specialty: '', titleName: '', level: '', acquisition: '', originalBody: '', obtainedDate: '', originalDocumentNo: '', certificateFileId: '', qualificationFileId: '', reason: '' };

/** 我的职称确认 (manual §1.2.14): apply, follow the state, read the reason, resubmit, download the certificate. */
export function MyRecognitionsPage() {
  const { data, error, refetch } = useQuery({ queryKey: ['my-title-recognitions'], queryFn: () => api<Recognition[]>('/api/my/title-recognitions') });
  const [editing, setEditing] = useState<Recognition | 'new' | null>(null);
  const notify = useNotify();
  return (
    <Box sx={{ mt: 2, maxWidth: 960 }}>
      <Title title="我的职称确认" />
      <Stack direction="row" sx={{ mb: 2, justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary">
          外省、本系统启用前或部属单位等取得的职称，可申请确认；逐级审核后由人社部门确认并发放电子证书。
        </Typography>
        <Button variant="contained" sx={{ flexShrink: 0, ml: 1 }} data-testid="recognition-apply" onClick={() => setEditing('new')}>
          申请确认
        </Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">还没有职称确认申请</Alert> : null}
      <Stack spacing={2}>
        {data?.map((r) => (
          <Card key={r.id} data-testid={`recognition-card-${r.id}`}>
            <CardContent>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }} useFlexGap>
                <Typography variant="h6" sx={{ fontSize: '1.05rem' }}>
                  {r.titleName}（{r.levelLabel}）
                </Typography>
                <StatusChip r={r} />
              </Stack>
              <RecognitionPath r={r} />
              {r.status === 'returned' && r.returnReason ? <Alert severity="warning" sx={{ mt: 1 }}>退回原因：{r.returnReason}</Alert> : null}
              {r.status === 'rejected' ? <Alert severity="error" sx={{ mt: 1 }}>不通过：{r.rejectReason}（记录保留，不能删除）</Alert> : null}
              {r.status === 'confirmed' ? (
                <Alert severity="success" sx={{ mt: 1 }}>
                  已确认：{r.confirmUnitName} {r.documentNo}，证书编号 {r.certificateNo}
                </Alert>
              ) : null}
              <Box sx={{ mt: 1 }}>
                <RecognitionFacts r={r} />
              </Box>
            </CardContent>
            <CardActions>
              {r.status === 'returned' && r.taskId ? (
                <Button variant="contained" size="small" data-testid={`resubmit-${r.id}`} onClick={() => setEditing(r)}>
                  修改后重新提交
                </Button>
              ) : null}
              {r.certificateId ? (
                <Button
                  size="small"
                  startIcon={<DownloadIcon />}
                  data-testid={`download-${r.id}`}
                  onClick={() => downloadFrom(`/api/my/certificates/${r.certificateId}/pdf`, `职称证书-${r.personName}-${r.certificateNo}.pdf`).catch((err: Error) => notify(err.message, { type: 'error' }))}
                >
                  下载证书
                </Button>
              ) : null}
            </CardActions>
          </Card>
        ))}
      </Stack>
      {editing ? <ApplicationDialog current={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={() => void refetch()} /> : null}
    </Box>
  );
}

function ApplicationDialog({ current, onClose, onDone }: { current: Recognition | null; onClose: () => void; onDone: () => void }) {
  const theme = useTheme();
  const small = useMediaQuery(theme.breakpoints.down('sm'));
  const notify = useNotify();
  const { data: options } = useQuery({ queryKey: ['title-recognition-options'], queryFn: () => api<RecognitionOptions>('/api/title-recognitions/options'), staleTime: Infinity });
  const [draft, setDraft] = useState<Draft>(
    current
      ? { series: current.series, specialty: current.specialty, titleName: current.titleName, level: current.level, acquisition: current.acquisition, originalBody: current.originalBody, obtainedDate: current.obtainedDate, originalDocumentNo: current.originalDocumentNo, certificateFileId: current.certificateFileId, qualificationFileId: current.qualificationFileId, reason: current.reason }
      : EMPTY,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => {
    setDraft({ ...draft, [k]: e.target.value });
    if (errors[k]) setErrors(Object.fromEntries(Object.entries(errors).filter(([f]) => f !== k)));
  };
  const common = (k: keyof Draft, label: string) => ({ label, value: draft[k], onChange: set(k), error: Boolean(errors[k]), helperText: errors[k], fullWidth: true, required: true, slotProps: { htmlInput: { 'data-testid': `field-${k}` } } });
  const select = (k: keyof Draft, label: string, list: RecognitionOptions['series'] | undefined) => (
    <TextField select {...common(k, label)} slotProps={{ select: { SelectDisplayProps: { 'data-testid': `field-${k}` } as object } }}>
      {(list ?? []).map((o) => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
  const upload = (k: 'certificateFileId' | 'qualificationFileId', label: string) => (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Button component="label" variant="outlined" size="small">
        {draft[k] ? `重新上传${label}` : `上传${label}`}
        <input
          hidden
          type="file"
          accept=".pdf,.jpg,.jpeg,.png"
          data-testid={`upload-${k}`}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            try {
              const id = await uploadOne(file);
              setDraft((d) => ({ ...d, [k]: id }));
            } catch (err) {
              notify((err as Error).message, { type: 'error' });
            }
          }}
        />
      </Button>
      <Typography variant="body2" color={errors[k] ? 'error' : draft[k] ? 'success.main' : 'text.secondary'}>
        {errors[k] ?? (draft[k] ? '已上传' : '未上传')}
      </Typography>
    </Stack>
  );
  async function submit() {
    setBusy(true);
    try {
      await api(current ? `/api/my/title-recognitions/${current.id}` : '/api/my/title-recognitions', { method: current ? 'PUT' : 'POST', json: draft });
      notify(current ? '已重新提交' : '已提交职称确认申请', { type: 'success' });
      onDone();
      onClose();
    } catch (err) {
      // shown in the dialog: on a phone a snackbar would cover the submit button
      setErrors(fieldErrors(err));
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" fullScreen={small}>
      <DialogTitle>{current ? '修改后重新提交' : '申请职称确认'}</DialogTitle>
      <DialogContent dividers>
        {current?.returnReason ? <Alert severity="warning" sx={{ mb: 2 }}>退回原因：{current.returnReason}</Alert> : null}
        {problem ? (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="recognition-problem">
            {problem}
          </Alert>
        ) : null}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
          {select('series', '职称系列', options?.series)}
          <TextField {...common('specialty', '专业')} />
          <TextField {...common('titleName', '职称名称')} placeholder="如：工程师" />
          {select('level', '层级', options?.levels)}
          {select('acquisition', '取得方式', options?.acquisitions)}
          <TextField {...common('originalBody', '原评审机构')} />
          <TextField {...common('obtainedDate', '取得时间')} type="date" slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'field-obtainedDate' } }} />
          <TextField {...common('originalDocumentNo', '原发文文号')} />
        </Box>
        <Stack spacing={1} sx={{ my: 2 }}>
          {upload('certificateFileId', '职称证书扫描件')}
          {upload('qualificationFileId', '任职资格文件')}
        </Stack>
        <TextField {...common('reason', '申请理由')} multiline minRows={3} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button variant="contained" disabled={busy} data-testid="recognition-submit" onClick={() => void submit()}>
          {current ? '重新提交' : '提交申请'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
