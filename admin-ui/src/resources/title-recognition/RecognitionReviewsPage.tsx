import { useState } from 'react';
import { Alert, Box, Button, Card, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { api, fieldErrors } from '../../lib/api.ts';
import { ReasonDialog, useRun } from '../result-confirmation/shared.tsx';
import { RecognitionFacts, RecognitionPath, StatusChip, type Recognition, type RecognitionOptions } from './shared.tsx';

const STATUSES = [
  { value: '', label: '全部' },
  { value: 'reviewing', label: '审核中' },
  { value: 'returned', label: '已退回' },
  { value: 'confirmed', label: '确认通过' },
  { value: 'rejected', label: '不通过' },
];

/** 职称确认审核 (manual §1.2.14): pending at my unit (or all on my unit's path), filters, 审核, 批量通过 / 退回. */
export function RecognitionReviewsPage() {
  const [pending, setPending] = useState(true);
  const [status, setStatus] = useState('');
  const [level, setLevel] = useState('');
  const [q, setQ] = useState('');
  const query = new URLSearchParams({ pending: String(pending), ...(status ? { status } : {}), ...(level ? { level } : {}), ...(q.trim() ? { q: q.trim() } : {}) });
  const { data, error, refetch } = useQuery({ queryKey: ['title-recognitions', query.toString()], queryFn: () => api<Recognition[]>(`/api/title-recognitions?${query}`) });
  const { data: options } = useQuery({ queryKey: ['title-recognition-options'], queryFn: () => api<RecognitionOptions>('/api/title-recognitions/options'), staleTime: Infinity });
  const run = useRun(refetch);
  const [chosen, setChosen] = useState<number[]>([]);
  const [open, setOpen] = useState<Recognition | null>(null);
  const [returning, setReturning] = useState(false);
  const selectable = (r: Recognition) => Boolean(r.taskId);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="职称确认审核" />
      <Stack direction="row" spacing={1} sx={{ mb: 2, flexWrap: 'wrap', alignItems: 'center' }} useFlexGap>
        <TextField select size="small" label="范围" value={pending ? 'pending' : 'all'} onChange={(e) => setPending(e.target.value === 'pending')} sx={{ width: 150 }}>
          <MenuItem value="pending">待本单位审核</MenuItem>
          <MenuItem value="all">本单位审核范围内</MenuItem>
        </TextField>
        <TextField select size="small" label="状态" value={status} onChange={(e) => setStatus(e.target.value)} sx={{ width: 120 }}>
          {STATUSES.map((s) => (
            <MenuItem key={s.value} value={s.value}>
              {s.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField select size="small" label="层级" value={level} onChange={(e) => setLevel(e.target.value)} sx={{ width: 120 }}>
          <MenuItem value="">全部</MenuItem>
          {(options?.levels ?? []).map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField size="small" label="姓名 / 职称 / 单位" value={q} onChange={(e) => setQ(e.target.value)} sx={{ width: 200 }} />
        <Box sx={{ flexGrow: 1 }} />
        <Button variant="outlined" disabled={!chosen.length} data-testid="pass-chosen" onClick={() => run(() => api('/api/title-recognitions/pass', { method: 'POST', json: { ids: chosen, taskIds: stepsOf(data, chosen) } }).then(() => setChosen([])), '所选申请已审核通过（确认单位的通过须逐条填写文号）')}>
          批量通过
        </Button>
        <Button variant="outlined" color="warning" disabled={!chosen.length} data-testid="return-chosen" onClick={() => setReturning(true)}>
          批量退回
        </Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">没有{pending ? '待审核的' : ''}职称确认申请</Alert> : null}
      {data?.length ? (
        <Card>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox" />
                <TableCell>姓名</TableCell>
                <TableCell>所在单位</TableCell>
                <TableCell>职称</TableCell>
                <TableCell>取得方式</TableCell>
                <TableCell>取得时间</TableCell>
                <TableCell>当前审核单位</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((r) => (
                <TableRow key={r.id} data-testid={`row-${r.id}`}>
                  <TableCell padding="checkbox">
                    <Checkbox size="small" checked={chosen.includes(r.id)} disabled={!selectable(r)} onChange={() => setChosen(chosen.includes(r.id) ? chosen.filter((x) => x !== r.id) : [...chosen, r.id])} />
                  </TableCell>
                  <TableCell>{r.personName}</TableCell>
                  <TableCell>{r.unitName}</TableCell>
                  <TableCell>
                    {r.titleName}（{r.levelLabel}）
                  </TableCell>
                  <TableCell>{r.acquisitionLabel}</TableCell>
                  <TableCell>{r.obtainedDate}</TableCell>
                  <TableCell>{r.currentUnitName ?? '—'}</TableCell>
                  <TableCell>
                    <StatusChip r={r} />
                  </TableCell>
                  <TableCell>
                    <Button size="small" variant={r.taskId ? 'contained' : 'text'} data-testid={`open-${r.id}`} onClick={() => setOpen(r)}>
                      {r.taskId ? '审核' : '查看'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {open ? <ReviewDialog r={open} onClose={() => setOpen(null)} onDone={() => void refetch()} /> : null}
      <ReasonDialog
        open={returning}
        title="批量退回申请人"
        label="退回原因"
        confirm="退回"
        onClose={() => setReturning(false)}
        onSubmit={(reason) => run(() => api('/api/title-recognitions/return', { method: 'POST', json: { ids: chosen, reason, taskIds: stepsOf(data, chosen) } }).then(() => setChosen([])), '所选申请已退回申请人')}
      />
    </Box>
  );
}

/** The review steps the list showed for the chosen applications: the API decides nothing that has moved on since. */
function stepsOf(rows: Recognition[] | undefined, chosen: number[]): string[] {
  return (rows ?? []).filter((r) => chosen.includes(r.id)).map((r) => r.taskId).filter((id): id is string => id != null);
}

function ReviewDialog({ r, onClose, onDone }: { r: Recognition; onClose: () => void; onDone: () => void }) {
  const run = useRun(onDone);
  const [opinion, setOpinion] = useState('');
  const [approvalDate, setApprovalDate] = useState('');
  const [documentNo, setDocumentNo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const decide = async (action: 'pass' | 'return' | 'reject', done: string) => {
    setErrors({});
    const ok = await run(async () => {
      try {
        await api(`/api/title-recognitions/${r.id}/review`, { method: 'POST', json: { action, reason: opinion || null, taskId: r.taskId ?? undefined, ...(action === 'pass' && r.confirming ? { approvalDate, documentNo } : {}) } });
      } catch (err) {
        setErrors(fieldErrors(err));
        throw err;
      }
    }, done);
    if (ok) onClose();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="lg">
      <DialogTitle>
        职称确认审核：{r.personName}（{r.titleName}）
      </DialogTitle>
      <DialogContent dividers>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, gap: 3 }}>
          <Box>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
              <StatusChip r={r} />
              {r.returnCount ? <Typography variant="body2">已退回 {r.returnCount} 次</Typography> : null}
            </Stack>
            <RecognitionPath r={r} />
            <Box sx={{ mt: 2 }}>
              <RecognitionFacts r={r} />
            </Box>
          </Box>
          <Box>
            {r.taskId ? (
              <Stack spacing={2}>
                <TextField label="审核意见（退回时必填）" multiline minRows={4} value={opinion} onChange={(e) => setOpinion(e.target.value)} error={Boolean(errors.reason)} helperText={errors.reason} slotProps={{ htmlInput: { 'data-testid': 'opinion' } }} />
                {r.confirming ? (
                  <>
                    <Alert severity="info">本单位为确认单位：审核通过即确认，并以本单位名义发放“确认”电子证书。</Alert>
                    <TextField label="批准时间" type="date" required value={approvalDate} onChange={(e) => setApprovalDate(e.target.value)} error={Boolean(errors.approvalDate)} helperText={errors.approvalDate} slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'approvalDate' } }} />
                    <TextField label="确认文号" required placeholder="如：成人社职〔2026〕15号" value={documentNo} onChange={(e) => setDocumentNo(e.target.value)} error={Boolean(errors.documentNo)} helperText={errors.documentNo} slotProps={{ htmlInput: { 'data-testid': 'documentNo' } }} />
                  </>
                ) : null}
              </Stack>
            ) : (
              <Alert severity="info">{r.status === 'reviewing' ? `当前在 ${r.currentUnitName ?? '—'} 审核` : r.statusLabel}</Alert>
            )}
          </Box>
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
        {r.taskId ? (
          <>
            <Button color="error" data-testid="review-reject" onClick={() => void decide('reject', '已设为不通过')}>
              不通过
            </Button>
            <Button color="warning" data-testid="review-return" onClick={() => void decide('return', '已退回申请人')}>
              退回
            </Button>
            <Button variant="contained" data-testid="review-pass" onClick={() => void decide('pass', r.confirming ? '已确认通过，证书已发放' : '已审核通过，提交上一级')}>
              {r.confirming ? '确认通过' : '通过'}
            </Button>
          </>
        ) : null}
      </DialogActions>
    </Dialog>
  );
}
