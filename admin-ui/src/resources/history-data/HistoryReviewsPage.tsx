import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { downloadFile, downloadFrom } from '../../lib/download.ts';
import { ReasonDialog, useRun } from '../result-confirmation/shared.tsx';
import { AuditPath, Counts, RecordsTable, type Upload } from './shared.tsx';

type NameCheck = ApiResponse<'/api/history-uploads/{id}/name-check', 'post'>;

/** The review steps the list showed: the API passes nothing that has moved on since (409). */
const stepsOf = (uploads: Upload[] | undefined): string[] => (uploads ?? []).map((u) => u.taskId).filter((id): id is string => id != null);

/** 数据审核 (manual §1.2.8.2.2): the batches at this unit's level — 审核通过 / 退回, 批量审核, 一键审核, 数据导出, 人员名单校验. */
export function HistoryReviewsPage() {
  const { data, error, refetch } = useQuery({ queryKey: ['history-reviews'], queryFn: () => api<Upload[]>('/api/history-reviews') });
  const run = useRun(refetch);
  const [chosen, setChosen] = useState<number[]>([]);
  const [open, setOpen] = useState<Upload | null>(null);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="历史职称数据审核" />
      <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
        <Button variant="outlined" disabled={!chosen.length} data-testid="pass-chosen" onClick={() => run(() => api('/api/history-reviews/pass', { method: 'POST', json: { uploadIds: chosen, taskIds: stepsOf(data?.filter((u) => chosen.includes(u.id))) } }).then(() => setChosen([])), '所选批次已审核通过')}>
          批量审核通过
        </Button>
        <Button variant="contained" disabled={!data?.length} data-testid="pass-all" onClick={() => run(() => api('/api/history-reviews/pass-all', { method: 'POST', json: { taskIds: stepsOf(data) } }), '已一键审核通过')}>
          一键审核
        </Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">没有待审核的历史职称数据</Alert> : null}
      {data?.length ? (
        <Card>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox" />
                <TableCell>职称文件文号</TableCell>
                <TableCell>采集单位</TableCell>
                <TableCell>取得方式</TableCell>
                <TableCell>人数</TableCell>
                <TableCell>发证单位</TableCell>
                <TableCell>当前环节</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((u) => (
                <TableRow key={u.id} data-testid={`review-${u.id}`}>
                  <TableCell padding="checkbox">
                    <Checkbox size="small" checked={chosen.includes(u.id)} disabled={u.step !== 'review'} onChange={() => setChosen(chosen.includes(u.id) ? chosen.filter((x) => x !== u.id) : [...chosen, u.id])} />
                  </TableCell>
                  <TableCell>{u.documentNo}</TableCell>
                  <TableCell>{u.unitName}</TableCell>
                  <TableCell>{u.acquisitionLabel}</TableCell>
                  <TableCell>{u.total}</TableCell>
                  <TableCell>{u.issuerName}</TableCell>
                  <TableCell>{u.openStep ?? '—'}</TableCell>
                  <TableCell>
                    <Button size="small" variant={u.step === 'review' ? 'contained' : 'text'} onClick={() => setOpen(u)}>
                      {u.step === 'review' ? '审核' : '查看'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {open ? <ReviewDialog upload={open} onClose={() => setOpen(null)} onDone={() => void refetch()} /> : null}
    </Box>
  );
}

function ReviewDialog({ upload, onClose, onDone }: { upload: Upload; onClose: () => void; onDone: () => void }) {
  const run = useRun(onDone);
  const [returning, setReturning] = useState(false);
  const [names, setNames] = useState('');
  const [check, setCheck] = useState<NameCheck | null>(null);
  const base = `/api/history-uploads/${upload.id}`;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="lg">
      <DialogTitle>审核：{upload.documentNo}（{upload.unitName}）</DialogTitle>
      <DialogContent dividers>
        <Card variant="outlined" sx={{ mb: 2 }}>
          <CardHeader
            title="基本信息"
            action={
              <Stack direction="row" spacing={1}>
                {upload.qualificationFileId ? <Button size="small" onClick={() => void downloadFile(upload.qualificationFileId!, '任职资格文件')}>任职资格文件</Button> : null}
                <Button size="small" onClick={() => void downloadFrom(`${base}/export`, `历史职称数据-${upload.documentNo}.xlsx`)}>数据导出</Button>
              </Stack>
            }
          />
          <CardContent>
            <Counts upload={upload} />
            <Box sx={{ mt: 1 }}>
              <AuditPath path={upload.auditPath} current={upload.currentUnitId} />
            </Box>
          </CardContent>
        </Card>
        <Card variant="outlined" sx={{ mb: 2 }}>
          <CardHeader title="人员名单校验" subheader="将任职资格文件中的人员名单处理成姓名之间用空格分开的格式，粘贴到下框后开始校验" />
          <CardContent>
            <TextField fullWidth multiline minRows={2} label="人员名单" value={names} onChange={(e) => setNames(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'names' } }} />
            <Button sx={{ mt: 1 }} variant="outlined" data-testid="name-check" onClick={() => run(async () => setCheck(await api<NameCheck>(`${base}/name-check`, { method: 'POST', json: { names } })), '校验完成')}>
              开始校验
            </Button>
            {check ? (
              <Box sx={{ mt: 1 }}>
                <Typography variant="body2">
                  在名单中 {check.present} 人，不在名单中 {check.absent} 人
                </Typography>
                <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', mt: 1 }} useFlexGap>
                  {check.persons.map((p) => (
                    <Chip key={p.id} size="small" color={p.present ? 'success' : 'error'} label={`${p.personName}：${p.present ? '存在' : '不存在'}`} data-testid={`name-${p.personName}`} />
                  ))}
                </Stack>
                {check.notInBatch.length ? <Alert severity="warning" sx={{ mt: 1 }}>名单中有、本批次没有的人员：{check.notInBatch.join('、')}</Alert> : null}
              </Box>
            ) : null}
          </CardContent>
        </Card>
        <RecordsTable uploadId={upload.id} version={0} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
        {upload.step === 'review' ? (
          <>
            <Button color="warning" data-testid="review-return" onClick={() => setReturning(true)}>
              退回
            </Button>
            <Button variant="contained" data-testid="review-pass" onClick={async () => (await run(() => api(`${base}/review`, { method: 'POST', json: { action: 'pass', taskId: upload.taskId } }), '审核通过')) && onClose()}>
              审核通过
            </Button>
          </>
        ) : null}
      </DialogActions>
      <ReasonDialog
        open={returning}
        title="退回采集单位"
        label="退回原因"
        confirm="退回"
        onClose={() => setReturning(false)}
        onSubmit={async (reason) => {
          const ok = await run(() => api(`${base}/review`, { method: 'POST', json: { action: 'return', reason, taskId: upload.taskId } }), '已退回采集单位');
          if (ok) onClose();
          return ok;
        }}
      />
    </Dialog>
  );
}
