import { useState } from 'react';
import { useParams, useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Loading, Title, useNotify } from 'react-admin';
import { api } from '../../lib/api.ts';
import { HISTORY_LABELS, formatDateTime } from '../../lib/format.ts';
import type { ApiResponse } from '../../api-types.ts';

type Detail = ApiResponse<'/api/incidents/{id}'>;

const TYPE_LABELS: Record<string, string> = { 'bpmn:UserTask': '用户任务', 'bpmn:ServiceTask': '服务任务', 'bpmn:ExclusiveGateway': '排他网关' };

/** 流程异常详情: the error, its stack (administrators), attempts, the case's variables and history; retry or move on. */
export function IncidentShow() {
  const { id } = useParams();
  const navigate = useNavigate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const key = ['incident', id];
  const { data, isPending, error } = useQuery({ queryKey: key, queryFn: () => api<Detail>(`/api/incidents/${id}`) });
  const [moving, setMoving] = useState(false);
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  if (isPending) return <Loading />;
  if (error || !data) return <Alert severity="error">{(error as Error | null)?.message ?? '异常记录不存在'}</Alert>;
  const reload = () => queryClient.invalidateQueries({ queryKey: key });
  const retry = async () => {
    setBusy(true);
    try {
      const r = await api<{ status: string; attempts: number }>(`/api/incidents/${data.id}/retry`, { method: 'POST' });
      notify(r.status === 'resolved' ? '重试成功，流程已继续' : `重试仍失败（第 ${r.attempts} 次）`, { type: r.status === 'resolved' ? 'success' : 'warning' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    setBusy(false);
    await reload();
  };
  const move = async () => {
    setBusy(true);
    try {
      await api(`/api/incidents/${data.id}/move`, { method: 'POST', json: { targetElementId: target, reason } });
      notify('已移至所选步骤，流程已继续', { type: 'success' });
      setMoving(false);
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    }
    setBusy(false);
    await reload();
  };
  const open = data.status === 'open';
  return (
    <Box sx={{ mt: 2 }} data-testid="incident-show">
      <Title title="流程异常详情" />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ mb: 1, alignItems: { sm: 'center' } }}>
        <Typography variant="h5" sx={{ flex: 1 }}>
          {data.elementName ?? data.elementId}：{data.message}
        </Typography>
        <Chip label={open ? '未处理' : '已解决'} color={open ? 'error' : 'success'} />
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap sx={{ mb: 2, flexWrap: 'wrap' }}>
        <Button variant="contained" disabled={!open || busy} onClick={() => void retry()} data-testid="incident-retry">
          重试
        </Button>
        <Button variant="outlined" disabled={!open || busy || !data.moveTargets.length} onClick={() => setMoving(true)} data-testid="incident-move">
          移至其他步骤
        </Button>
        <Button onClick={() => navigate(`/instances/${data.rootInstanceId}/view`)}>查看流程实例</Button>
        <Button onClick={() => navigate('/incidents')}>返回列表</Button>
      </Stack>
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Table size="small">
            <TableBody>
              <TableRow>
                <TableCell sx={{ width: 140 }}>流程</TableCell>
                <TableCell>
                  {data.processName}（{data.processKey}，第 {data.processVersion} 版）
                </TableCell>
              </TableRow>
              <TableRow>
                <TableCell>业务编号</TableCell>
                <TableCell>{data.businessKey ?? '—'}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>失败环节</TableCell>
                <TableCell>
                  {data.elementName ?? data.elementId}（{data.elementId}{data.handler ? `，处理器 ${data.handler}` : ''}）
                </TableCell>
              </TableRow>
              <TableRow>
                <TableCell>尝试次数</TableCell>
                <TableCell data-testid="incident-attempts">{data.attempts}</TableCell>
              </TableRow>
              <TableRow>
                <TableCell>首次 / 最近失败</TableCell>
                <TableCell>
                  {formatDateTime(data.createdAt)} / {formatDateTime(data.updatedAt)}
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="h6">错误堆栈</Typography>
          {data.stack ? (
            <Box component="pre" sx={{ overflow: 'auto', fontSize: 12, maxHeight: 240, bgcolor: 'action.hover', p: 1 }} data-testid="incident-stack">
              {data.stack}
            </Box>
          ) : (
            <Typography color="text.secondary">{data.stackHidden ? '错误堆栈仅对流程管理员显示' : '没有错误堆栈'}</Typography>
          )}
        </CardContent>
      </Card>
      <Card sx={{ mb: 2 }}>
        <CardContent>
          <Typography variant="h6">实例变量</Typography>
          <Box component="pre" sx={{ overflow: 'auto', fontSize: 12, maxHeight: 240 }}>
            {JSON.stringify(data.variables, null, 2)}
          </Box>
        </CardContent>
      </Card>
      <Card>
        <CardContent sx={{ overflowX: 'auto' }}>
          <Typography variant="h6">办理记录</Typography>
          <Table size="small" data-testid="incident-history">
            <TableHead>
              <TableRow>
                <TableCell>时间</TableCell>
                <TableCell>事件</TableCell>
                <TableCell>环节</TableCell>
                <TableCell>办理人</TableCell>
                <TableCell>说明</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.history.map((h) => (
                <TableRow key={h.id}>
                  <TableCell>{formatDateTime(h.createdAt)}</TableCell>
                  <TableCell>{HISTORY_LABELS[h.type] ?? h.type}</TableCell>
                  <TableCell>{h.elementName ?? h.elementId ?? ''}</TableCell>
                  <TableCell>{h.actorName ?? ''}</TableCell>
                  <TableCell>{h.opinion ?? (typeof h.data?.message === 'string' ? h.data.message : '')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Dialog open={moving} onClose={() => setMoving(false)} fullWidth maxWidth="sm">
        <DialogTitle>移至其他步骤</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            取消失败的“{data.elementName ?? data.elementId}”，从所选步骤继续办理。此操作记入办理记录和操作审计。
          </Typography>
          <TextField select fullWidth label="移至" value={target} onChange={(e) => setTarget(e.target.value)} sx={{ mb: 2 }} slotProps={{ htmlInput: { 'data-testid': 'move-target' } }}>
            {data.moveTargets.map((t) => (
              <MenuItem key={t.id} value={t.id}>
                {t.name ?? t.id}（{TYPE_LABELS[t.type] ?? t.type}）
              </MenuItem>
            ))}
          </TextField>
          <TextField fullWidth multiline minRows={2} label="处理说明" value={reason} onChange={(e) => setReason(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'move-reason' } }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setMoving(false)}>取消</Button>
          <Button variant="contained" disabled={!target || !reason.trim() || busy} onClick={() => void move()} data-testid="move-confirm">
            确定移至
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
