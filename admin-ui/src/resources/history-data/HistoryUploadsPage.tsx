import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CardHeader, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, MenuItem, Stack, Tab, Table, TableBody, TableCell, TableHead, TableRow, Tabs, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { Title } from 'react-admin';
import { useNavigate, useParams } from 'react-router-dom';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';
import { downloadFrom } from '../../lib/download.ts';
import { UploadButton, useRun } from '../result-confirmation/shared.tsx';
import { AuditPath, Counts, RecordEditDialog, RecordsTable, StatusChip, type HistoryRecord, type Upload } from './shared.tsx';

const TYPES = [
  { id: 'review', name: '职称评审' },
  { id: 'initial', name: '初定' },
  { id: 'recognition', name: '确认' },
  { id: 'delegated', name: '委托评审' },
] as const;

/** 数据上传 (manual §1.2.8.2.1): the unit's batches by 取得方式 and 文号; 批量导入 opens a new one. */
export function HistoryUploadsPage() {
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery({ queryKey: ['history-uploads'], queryFn: () => api<Upload[]>('/api/history-uploads') });
  const [creating, setCreating] = useState(false);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="历史职称数据上传" />
      <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
        <Button variant="contained" data-testid="new-upload" onClick={() => setCreating(true)}>
          批量导入
        </Button>
        <Button onClick={() => void downloadFrom('/api/history-uploads/template', '历史职称数据导入模板.xlsx')}>下载模板</Button>
      </Stack>
      {error ? <Alert severity="error">{(error as Error).message}</Alert> : null}
      {!data && !error ? <LinearProgress /> : null}
      {data && !data.length ? <Alert severity="info">还没有导入历史职称数据</Alert> : null}
      {data?.length ? (
        <Card>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>职称文件文号</TableCell>
                <TableCell>取得方式</TableCell>
                <TableCell>数据</TableCell>
                <TableCell>发证单位</TableCell>
                <TableCell>状态</TableCell>
                <TableCell>导入时间</TableCell>
                <TableCell>操作</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((u) => (
                <TableRow key={u.id} data-testid={`upload-${u.id}`}>
                  <TableCell>{u.documentNo}</TableCell>
                  <TableCell>{u.acquisitionLabel}</TableCell>
                  <TableCell>
                    {u.total} 条{u.bad ? <Typography component="span" color="error">（错误 {u.bad}）</Typography> : null}
                  </TableCell>
                  <TableCell>{u.issuerName ?? '—'}</TableCell>
                  <TableCell>
                    <StatusChip upload={u} />
                  </TableCell>
                  <TableCell>{new Date(u.createdAt).toLocaleString('zh-CN')}</TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => navigate(`/history-uploads/${u.id}`)}>
                      详情
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      <NewUploadDialog open={creating} onClose={() => setCreating(false)} onCreated={(id) => { void refetch(); navigate(`/history-uploads/${id}`); }} />
    </Box>
  );
}

function NewUploadDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: number) => void }) {
  const [type, setType] = useState<(typeof TYPES)[number]['id']>('review');
  const [documentNo, setDocumentNo] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>批量导入：选择取得方式</DialogTitle>
      <DialogContent>
        {failure ? <Alert severity="error" sx={{ mb: 1 }}>{failure}</Alert> : null}
        <TextField select fullWidth label="职称证书取得方式" value={type} onChange={(e) => setType(e.target.value as typeof type)} sx={{ mt: 1 }} slotProps={{ htmlInput: { 'data-testid': 'acquisition-type' } }}>
          {TYPES.map((t) => (
            <MenuItem key={t.id} value={t.id}>
              {t.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField fullWidth label="职称文件文号" placeholder="如：川人社职〔2018〕12号" value={documentNo} onChange={(e) => setDocumentNo(e.target.value)} sx={{ mt: 2 }} slotProps={{ htmlInput: { 'data-testid': 'document-no' } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button
          variant="contained"
          data-testid="create-upload"
          onClick={async () => {
            try {
              const created = await api<Upload>('/api/history-uploads', { method: 'POST', json: { acquisitionType: type, documentNo } });
              setFailure(null);
              onClose();
              onCreated(created.id);
            } catch (err) {
              setFailure((err as Error).message);
            }
          }}
        >
          下一步
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A batch: upload the workbook, the check result (good / bad), bad rows edited in place, exported or deleted, 提交审核. */
export function HistoryUploadPage() {
  const { id } = useParams();
  const uploadId = Number(id);
  const [version, setVersion] = useState(0);
  const { data: upload, error, refetch } = useQuery({ queryKey: ['history-upload', uploadId, version], queryFn: () => api<Upload>(`/api/history-uploads/${uploadId}`) });
  const reload = async () => {
    setVersion((v) => v + 1);
    await refetch();
  };
  const run = useRun(reload);
  const [tab, setTab] = useState<'bad' | 'good'>('bad');
  const [editing, setEditing] = useState<HistoryRecord | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [importing, setImporting] = useState(false);
  if (error) return <Alert severity="error" sx={{ mt: 2 }}>{(error as Error).message}</Alert>;
  if (!upload) return <LinearProgress sx={{ mt: 2 }} />;
  const editable = upload.status === 'draft' || upload.status === 'returned';
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`历史职称数据：${upload.documentNo}`} />
      <Card sx={{ mb: 2 }}>
        <CardHeader
          title={`${upload.documentNo}（${upload.acquisitionLabel}）`}
          subheader={<StatusChip upload={upload} />}
          action={
            <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }} useFlexGap>
              {editable ? (
                <Button component="label" variant="outlined" size="small" disabled={importing}>
                  上传 Excel
                  <input
                    hidden
                    type="file"
                    accept=".xlsx"
                    data-testid="workbook-input"
                    onChange={async (e) => {
                      const file = e.target.files?.[0];
                      if (!file) return;
                      setImporting(true);
                      const body = new FormData();
                      body.append('file', file, file.name);
                      await run(() => api(`/api/history-uploads/${uploadId}/workbook`, { method: 'POST', body }), '导入完成，请查看校验结果');
                      setImporting(false);
                      e.target.value = '';
                    }}
                  />
                </Button>
              ) : null}
              <Button size="small" onClick={() => void downloadFrom('/api/history-uploads/template', '历史职称数据导入模板.xlsx')}>下载模板</Button>
              {upload.status === 'draft' ? (
                <Button size="small" variant="contained" data-testid="submit-open" disabled={!upload.total || upload.bad > 0} onClick={() => setSubmitting(true)}>
                  提交审核
                </Button>
              ) : null}
              {upload.step === 'resubmit' ? (
                <Button size="small" variant="contained" data-testid="resubmit" disabled={upload.bad > 0} onClick={() => run(() => api(`/api/history-uploads/${uploadId}/resubmit`, { method: 'POST' }), '已重新提交审核')}>
                  重新提交审核
                </Button>
              ) : null}
            </Stack>
          }
        />
        <CardContent>
          {importing ? <LinearProgress sx={{ mb: 1 }} /> : null}
          <Counts upload={upload} />
          <Box sx={{ mt: 1 }}>
            <AuditPath path={upload.auditPath} current={upload.currentUnitId} />
          </Box>
          {upload.returnReason && (upload.status === 'returned' || upload.status === 'draft') ? <Alert severity="warning" sx={{ mt: 1 }}>退回原因：{upload.returnReason}</Alert> : null}
        </CardContent>
      </Card>
      <Card>
        <Tabs value={tab} onChange={(_, v: 'bad' | 'good') => setTab(v)} sx={{ px: 2 }}>
          <Tab value="bad" label={`错误数据（${upload.bad}）`} data-testid="tab-bad" />
          <Tab value="good" label={`正确数据（${upload.good}）`} data-testid="tab-good" />
        </Tabs>
        <CardContent>
          {tab === 'bad' && upload.bad > 0 ? (
            <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
              <Button size="small" onClick={() => run(() => downloadFrom(`/api/history-uploads/${uploadId}/bad-records/export`, `错误数据-${upload.documentNo}.xlsx`), '已导出错误数据')}>
                导出错误数据
              </Button>
              {editable ? (
                <Button size="small" color="error" data-testid="delete-bad" onClick={() => run(() => api(`/api/history-uploads/${uploadId}/records/delete`, { method: 'POST', json: { allBad: true } }), '已删除全部错误数据')}>
                  全部删除
                </Button>
              ) : null}
            </Stack>
          ) : null}
          <RecordsTable uploadId={uploadId} bad={tab === 'bad'} version={version} onEdit={editable ? setEditing : undefined} />
        </CardContent>
      </Card>
      <RecordEditDialog uploadId={uploadId} record={editing} onClose={() => setEditing(null)} onSaved={() => void reload()} />
      <SubmitDialog upload={upload} open={submitting} onClose={() => setSubmitting(false)} onDone={() => void reload()} />
    </Box>
  );
}

/** 提交审核: choose the issuer, see the audit path, upload the 任职资格文件. */
function SubmitDialog({ upload, open, onClose, onDone }: { upload: Upload; open: boolean; onClose: () => void; onDone: () => void }) {
  const [issuer, setIssuer] = useState<number | ''>('');
  const [fileId, setFileId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { data: issuers } = useQuery({ queryKey: ['history-issuers', upload.id], queryFn: () => api<Array<{ id: number; name: string }>>(`/api/history-uploads/${upload.id}/issuers`), enabled: open });
  const { data: path } = useQuery({
    queryKey: ['history-path', upload.id, issuer],
    queryFn: () => api<ApiResponse<'/api/history-uploads/{id}/audit-path'>>(`/api/history-uploads/${upload.id}/audit-path?issuerUnitId=${issuer}`),
    enabled: open && issuer !== '',
  });
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>提交审核</DialogTitle>
      <DialogContent>
        {failure ? <Alert severity="error" sx={{ mb: 1 }}>{failure}</Alert> : null}
        <TextField select fullWidth label="发证单位" value={issuer} onChange={(e) => setIssuer(Number(e.target.value))} sx={{ mt: 1 }} slotProps={{ htmlInput: { 'data-testid': 'issuer' } }}>
          {(issuers ?? []).map((u) => (
            <MenuItem key={u.id} value={u.id}>
              {u.name}
            </MenuItem>
          ))}
        </TextField>
        {path ? (
          <Alert severity="info" sx={{ mt: 2 }} data-testid="submit-path">
            本次审核需经过以下几级单位：{path.map((p) => p.name).join(' - ')}
          </Alert>
        ) : null}
        <Stack direction="row" spacing={1} sx={{ mt: 2, alignItems: 'center' }}>
          <UploadButton label="上传任职资格文件" testId="qualification-input" onUploaded={async (id) => setFileId(id)} />
          <Typography variant="body2">{fileId ? '已上传' : '未上传（必须）'}</Typography>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>取消</Button>
        <Button
          variant="contained"
          data-testid="submit"
          onClick={async () => {
            try {
              await api(`/api/history-uploads/${upload.id}/submit`, { method: 'POST', json: { issuerUnitId: issuer === '' ? undefined : issuer, fileId } });
              setFailure(null);
              onClose();
              onDone();
            } catch (err) {
              setFailure((err as Error).message);
            }
          }}
        >
          提交
        </Button>
      </DialogActions>
    </Dialog>
  );
}
