import { useState } from 'react';
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Grid, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, TablePagination, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { ApiResponse } from '../../api-types.ts';
import { api } from '../../lib/api.ts';

export type Upload = ApiResponse<'/api/history-uploads/{id}'>;
export type HistoryRecord = ApiResponse<'/api/history-uploads/{id}/records'>['records'][number];
export type RecordValues = HistoryRecord['values'];

/** The template's columns, in order (the API checks them; the console only shows them). */
export const COLUMNS: Array<{ key: keyof RecordValues; label: string }> = [
  { key: 'personName', label: '姓名' },
  { key: 'gender', label: '性别' },
  { key: 'idNumber', label: '证件号码' },
  { key: 'birthDate', label: '出生日期' },
  { key: 'employerName', label: '工作单位' },
  { key: 'series', label: '职称系列' },
  { key: 'specialty', label: '专业' },
  { key: 'titleName', label: '职称名称' },
  { key: 'level', label: '层级' },
  { key: 'acquisition', label: '取得方式' },
  { key: 'reviewBody', label: '评审机构' },
  { key: 'reviewDate', label: '评审时间' },
  { key: 'approvalDate', label: '批准时间' },
  { key: 'documentNo', label: '职称文件文号' },
];

const STATUS_COLORS: Record<Upload['status'], 'default' | 'info' | 'warning' | 'success' | 'primary'> = { draft: 'default', reviewing: 'info', returned: 'warning', approved: 'primary', issuing: 'info', issued: 'success' };

export function StatusChip({ upload }: { upload: Pick<Upload, 'status' | 'statusLabel' | 'id'> }) {
  return <Chip size="small" label={upload.statusLabel} color={STATUS_COLORS[upload.status]} data-testid={`status-${upload.id}`} />;
}

/**
 * A batch's rows, a page at a time: bad rows red with the error per field, warnings (高风险) in
 * amber; `onEdit` offers 修改 on each row (the uploader, while the batch may change).
 */
export function RecordsTable({ uploadId, bad, onEdit, version }: { uploadId: number; bad?: boolean; onEdit?: (r: HistoryRecord) => void; version: number }) {
  const [page, setPage] = useState(0);
  const pageSize = 20;
  const { data, error } = useQuery({
    queryKey: ['history-records', uploadId, bad, page, version],
    queryFn: () => api<ApiResponse<'/api/history-uploads/{id}/records'>>(`/api/history-uploads/${uploadId}/records?page=${page + 1}&pageSize=${pageSize}${bad == null ? '' : `&bad=${bad}`}`),
  });
  if (error) return <Alert severity="error">{(error as Error).message}</Alert>;
  if (!data) return <LinearProgress />;
  if (!data.total) return <Alert severity="info">{bad ? '没有错误数据' : '没有数据'}</Alert>;
  // width 0 / min-width 100%: the wide table scrolls inside the card instead of widening the page
  return (
    <Box sx={{ overflowX: 'auto', width: 0, minWidth: '100%' }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>行号</TableCell>
            {onEdit ? <TableCell>操作</TableCell> : null}
            <TableCell sx={{ minWidth: 240 }}>校验结果</TableCell>
            {COLUMNS.map((c) => (
              <TableCell key={c.key} sx={{ whiteSpace: 'nowrap' }}>
                {c.label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {data.records.map((r) => {
            const badFields = new Set(r.errors.map((e) => e.field));
            return (
              <TableRow key={r.id} data-testid={`record-${r.rowNo}`} sx={r.bad ? { bgcolor: 'rgba(211, 47, 47, 0.06)' } : undefined}>
                <TableCell>{r.rowNo}</TableCell>
                {onEdit ? (
                  <TableCell>
                    <Button size="small" data-testid={`edit-${r.rowNo}`} onClick={() => onEdit(r)}>
                      修改
                    </Button>
                  </TableCell>
                ) : null}
                <TableCell>
                  {r.errors.map((e) => (
                    <Typography key={e.field} variant="caption" color="error" sx={{ display: 'block' }} data-testid={`error-${r.rowNo}-${e.field}`}>
                      {COLUMNS.find((c) => c.key === e.field)?.label}：{e.message}
                    </Typography>
                  ))}
                  {r.warnings.map((w) => (
                    <Typography key={w.message} variant="caption" sx={{ display: 'block', color: 'warning.dark' }}>
                      {w.message}
                    </Typography>
                  ))}
                  {!r.errors.length && !r.warnings.length ? <Chip size="small" color="success" label="校验通过" /> : null}
                  {r.issueState === 'cancelled' ? <Chip size="small" color="warning" label={`取消发证：${r.issueReason ?? ''}`} /> : null}
                  {r.issueState === 'issued' ? <Chip size="small" color="success" label="已发证" /> : null}
                </TableCell>
                {COLUMNS.map((c) => (
                  <TableCell key={c.key} sx={{ whiteSpace: 'nowrap', ...(badFields.has(c.key) ? { color: 'error.main', fontWeight: 600 } : {}) }}>
                    {r.values[c.key] || (badFields.has(c.key) ? '（空）' : '')}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <TablePagination component="div" count={data.total} page={page} rowsPerPage={pageSize} rowsPerPageOptions={[pageSize]} onPageChange={(_, p) => setPage(p)} labelDisplayedRows={({ from, to, count }) => `${from}–${to}，共 ${count} 条`} />
    </Box>
  );
}

/** 修改: the row's cells with the errors on top and each bad field red; the API checks the row again on save. */
export function RecordEditDialog({ uploadId, record, onClose, onSaved }: { uploadId: number; record: HistoryRecord | null; onClose: () => void; onSaved: () => void }) {
  const [values, setValues] = useState<RecordValues | null>(null);
  const [current, setCurrent] = useState<HistoryRecord | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (record && current?.id !== record.id) {
    setCurrent(record);
    setValues(record.values);
    setFailure(null);
  }
  const shown = current ?? record;
  const badFields = new Set(shown?.errors.map((e) => e.field) ?? []);
  return (
    <Dialog open={record != null} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>修改证书信息（第 {shown?.rowNo} 行）</DialogTitle>
      <DialogContent dividers>
        {shown?.errors.length ? (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="edit-errors">
            {shown.errors.map((e) => (
              <div key={e.field}>
                {COLUMNS.find((c) => c.key === e.field)?.label}：{e.message}
              </div>
            ))}
          </Alert>
        ) : null}
        {failure ? <Alert severity="error" sx={{ mb: 2 }}>{failure}</Alert> : null}
        <Grid container spacing={2}>
          {values
            ? COLUMNS.map((c) => (
                <Grid key={c.key} size={{ xs: 12, sm: 6 }}>
                  <TextField
                    fullWidth
                    size="small"
                    label={c.label}
                    value={values[c.key]}
                    error={badFields.has(c.key)}
                    helperText={shown?.errors.find((e) => e.field === c.key)?.message}
                    onChange={(e) => setValues({ ...values, [c.key]: e.target.value })}
                    slotProps={{ htmlInput: { 'data-testid': `field-${c.key}` } }}
                  />
                </Grid>
              ))
            : null}
        </Grid>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>关闭</Button>
        <Button
          variant="contained"
          data-testid="edit-save"
          onClick={async () => {
            if (!shown || !values) return;
            try {
              const saved = await api<HistoryRecord>(`/api/history-uploads/${uploadId}/records/${shown.id}`, { method: 'PUT', json: values });
              setCurrent(saved);
              setValues(saved.values);
              setFailure(null);
              onSaved();
              if (!saved.bad) onClose();
            } catch (err) {
              setFailure((err as Error).message);
            }
          }}
        >
          保存并校验
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The counts of a batch: 成功 / 失败 / 高风险. */
export function Counts({ upload }: { upload: Upload }) {
  return (
    <Stack direction="row" spacing={1} data-testid="counts">
      <Chip label={`共 ${upload.total} 条`} />
      <Chip color="success" label={`正确 ${upload.good} 条`} data-testid="good-count" />
      <Chip color={upload.bad ? 'error' : 'default'} label={`错误 ${upload.bad} 条`} data-testid="bad-count" />
      {upload.warned ? <Chip color="warning" label={`高风险提醒 ${upload.warned} 条`} /> : null}
    </Stack>
  );
}

/** 审核路径: the units the batch passes, the one reviewing now marked. */
export function AuditPath({ path, current }: { path: Array<{ unitId: number; name: string }>; current?: number | null }) {
  if (!path.length) return null;
  return (
    <Typography variant="body2" data-testid="audit-path">
      审核路径：
      {path.map((p, i) => (
        <span key={p.unitId}>
          {i ? ' → ' : ''}
          {p.unitId === current ? <b>{p.name}（审核中）</b> : p.name}
        </span>
      ))}
    </Typography>
  );
}
