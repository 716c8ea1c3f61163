import { useEffect, useState } from 'react';
import { Alert, Box, Button, Card, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { ReasonDialog, UploadButton, useRun } from '../result-confirmation/shared.tsx';
import { StatusChip, type HistoryRecord } from './shared.tsx';

type Group = ApiResponse<'/api/history-certificates'>[number];
type Progress = ApiResponse<'/api/history-certificates/{id}/progress'>;

/** 历史证书生成 (manual §1.2.8.2.3): approved batches by 采集单位, 文号 and 评审机构; 批量发证 with cancel / return, summary, stamped PDF, progress. */
export function HistoryCertificatesPage() {
  const { data, error, refetch } = useQuery({ queryKey: ['history-certificates'], queryFn: () => api<Group[]>('/api/history-certificates') });
  const [issuing, setIssuing] = useState<Group | null>(null);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="历史证书生成" />
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">没有待发证的历史职称数据</Alert> : null}
      {data?.length ? (
        <Card>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>采集单位</TableCell>
                <TableCell>职称文件文号</TableCell>
                <TableCell>评审机构</TableCell>
                <TableCell>人数</TableCell>
                <TableCell>待发证 / 取消 / 已发证</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((g) => (
                <TableRow key={`${g.id}-${g.reviewBody}`} data-testid={`group-${g.id}`}>
                  <TableCell>{g.unitName}</TableCell>
                  <TableCell>{g.documentNo}</TableCell>
                  <TableCell>{g.reviewBody}</TableCell>
                  <TableCell>{g.persons}</TableCell>
                  <TableCell>
                    {g.pending} / {g.cancelled} / {g.issued}
                  </TableCell>
                  <TableCell>
                    <StatusChip upload={g} />
                  </TableCell>
                  <TableCell>
                    <Button size="small" variant={g.status === 'approved' ? 'contained' : 'text'} onClick={() => setIssuing(g)}>
                      {g.status === 'approved' ? '批量发证' : '查看'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      {issuing ? <IssueDialog group={issuing} onClose={() => setIssuing(null)} onDone={() => void refetch()} /> : null}
    </Box>
  );
}

function IssueDialog({ group, onClose, onDone }: { group: Group; onClose: () => void; onDone: () => void }) {
  const base = `/api/history-certificates/${group.id}`;
  const { data: upload, refetch: reloadUpload } = useQuery({ queryKey: ['history-upload', group.id, 'issue'], queryFn: () => api<ApiResponse<'/api/history-uploads/{id}'>>(`/api/history-uploads/${group.id}`) });
  const { data: records, refetch: reloadRecords } = useQuery({
    queryKey: ['history-issue-records', group.id],
    queryFn: () => api<ApiResponse<'/api/history-uploads/{id}/records'>>(`/api/history-uploads/${group.id}/records?bad=false&pageSize=500`),
  });
  // read again when the batch moves on (发证 clicked), then every second while certificates are generated
  const { data: progress } = useQuery({
    queryKey: ['history-progress', group.id, upload?.status],
    queryFn: () => api<Progress>(`${base}/progress`),
    enabled: upload != null,
    refetchInterval: (q) => (q.state.data?.status === 'issuing' ? 1000 : false),
  });
  const reload = async () => {
    await Promise.all([reloadUpload(), reloadRecords()]);
    onDone();
  };
  const run = useRun(reload);
  const finished = progress?.status === 'issued' && upload?.status !== 'issued';
  useEffect(() => {
    if (finished) void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when generation finishes
  }, [finished]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [cancelling, setCancelling] = useState(false);
  const [returning, setReturning] = useState(false);
  const [returningChosen, setReturningChosen] = useState(false);
  const open = upload?.status === 'approved';
  const rows: HistoryRecord[] = (records?.records ?? []).filter((r) => r.values.reviewBody === group.reviewBody);
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="lg">
      <DialogTitle>
        批量发证：{group.documentNo} · {group.reviewBody}
      </DialogTitle>
      <DialogContent dividers>
        {progress && progress.status !== 'approved' ? (
          <Box sx={{ mb: 2 }} data-testid="issue-progress">
            <Typography variant="body2">
              {progress.statusLabel}：已生成 {progress.issued} / {progress.total} 本
            </Typography>
            <LinearProgress variant="determinate" value={progress.total ? (100 * progress.issued) / progress.total : 0} />
          </Box>
        ) : null}
        <Stack direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
          <Button size="small" disabled={!open || !chosen.length} color="warning" onClick={() => setCancelling(true)}>
            取消发证
          </Button>
          <Button size="small" disabled={!open || !chosen.length} onClick={() => run(() => api(`${base}/cancel`, { method: 'POST', json: { recordIds: chosen, cancel: false } }).then(() => setChosen([])), '已恢复发证')}>
            恢复发证
          </Button>
          <Button size="small" color="warning" disabled={!open || !chosen.length} onClick={() => setReturningChosen(true)}>
            退回所选人员
          </Button>
          <Button size="small" onClick={() => run(() => downloadFrom(`${base}/summary`, `历史证书发证汇总表-${group.documentNo}.xlsx`), '已下载汇总表')}>
            下载汇总表
          </Button>
          {open ? <UploadButton label={upload?.stampedFileId ? '重新上传盖章汇总表' : '上传盖章汇总表（PDF）'} testId="stamped-input" onUploaded={(fileId) => run(() => api(`${base}/stamped-file`, { method: 'PUT', json: { fileId } }), '盖章汇总表已上传')} /> : null}
        </Stack>
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>姓名</TableCell>
              <TableCell>证件号码</TableCell>
              <TableCell>职称</TableCell>
              <TableCell>批准时间</TableCell>
              <TableCell>发证</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id}>
                <TableCell padding="checkbox">
                  <Checkbox size="small" disabled={!open} checked={chosen.includes(r.id)} onChange={() => setChosen(chosen.includes(r.id) ? chosen.filter((x) => x !== r.id) : [...chosen, r.id])} />
                </TableCell>
                <TableCell>{r.values.personName}</TableCell>
                <TableCell>{r.values.idNumber.length === 18 ? `${r.values.idNumber.slice(0, 4)}**********${r.values.idNumber.slice(14)}` : r.values.idNumber}</TableCell>
                <TableCell>
                  {r.values.series} · {r.values.titleName}（{r.values.level}）
                </TableCell>
                <TableCell>{r.values.approvalDate}</TableCell>
                <TableCell>{r.issueState === 'cancelled' ? `取消发证：${r.issueReason ?? ''}` : r.issueState === 'issued' ? '已发证' : '待发证'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
        {open ? (
          <>
            <Button color="warning" onClick={() => setReturning(true)}>
              退回采集单位
            </Button>
            <Button variant="contained" data-testid="issue" disabled={!upload?.stampedFileId} onClick={() => run(() => api(`${base}/issue`, { method: 'POST' }), '已开始发证')}>
              发证
            </Button>
          </>
        ) : null}
      </DialogActions>
      <ReasonDialog open={cancelling} title="取消发证" label="取消发证的原因" confirm="取消发证" onClose={() => setCancelling(false)} onSubmit={(reason) => run(() => api(`${base}/cancel`, { method: 'POST', json: { recordIds: chosen, reason } }).then(() => setChosen([])), '已取消发证')} />
      <ReasonDialog
        open={returningChosen}
        title="退回所选人员（移入采集单位新的待提交批次，其余人员继续发证）"
        label="退回原因"
        confirm="退回"
        onClose={() => setReturningChosen(false)}
        onSubmit={(reason) => run(() => api(`${base}/return-records`, { method: 'POST', json: { recordIds: chosen, reason } }).then(() => setChosen([])), '所选人员已退回采集单位')}
      />
      <ReasonDialog
        open={returning}
        title="退回采集单位"
        label="退回原因"
        confirm="退回"
        onClose={() => setReturning(false)}
        onSubmit={async (reason) => {
          const ok = await run(() => api(`${base}/return`, { method: 'POST', json: { reason } }), '已退回采集单位');
          if (ok) onClose();
          return ok;
        }}
      />
    </Dialog>
  );
}
