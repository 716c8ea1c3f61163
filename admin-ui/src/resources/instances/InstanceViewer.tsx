import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  Stack,
  Step,
  StepLabel,
  Stepper,
  TextField,
  Typography,
  useMediaQuery,
  type Theme,
} from '@mui/material';
import { Loading, Title, useNotify, usePermissions } from 'react-admin';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { DiagramViewer } from '../../bpmn/DiagramViewer.tsx';
import { HistoryTimeline } from '../../components/HistoryTimeline.tsx';
import type { ApiResponse } from '../../api-types.ts';

type InstanceView = ApiResponse<'/api/process-instances/{id}'>;
type Progress = ApiResponse<'/api/process-instances/{id}/progress'>;

const STATUS: Record<string, string> = { running: '进行中', completed: '已结束', terminated: '已终止', cancelled: '已取消' };

/**
 * 取消流程 (流程异常处理): ends a running case with a reason — its open tasks are cancelled, not
 * completed. Sent with the revision shown, so a case that moved meanwhile is refused (409).
 */
function CancelInstance({ instance }: { instance: InstanceView }) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/process-instances/${instance.id}/cancel`, { method: 'POST', json: { reason, revision: instance.revision } });
      notify('流程已取消', { type: 'success' });
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['instance', instance.id] });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button color="error" variant="outlined" size="small" onClick={() => setOpen(true)}>
        取消流程
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>取消流程：{instance.processName}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            取消后，当前待办（{instance.tasks.map((t) => t.name).join('、') || '无'}）全部作废，流程不能恢复。申报材料审核流程取消后，申报材料标记为“已取消”，申报人不能再次申报该活动。
          </DialogContentText>
          <TextField label="取消原因" value={reason} onChange={(e) => setReason(e.target.value)} required fullWidth multiline minRows={2} slotProps={{ htmlInput: { 'data-testid': 'cancel-reason' } }} />
          {error ? <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert> : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>返回</Button>
          <Button color="error" variant="contained" disabled={busy || !reason.trim()} onClick={submit}>
            确认取消
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** 查看进度 as the applicant reads it: the review chain, who holds the case now and until when. */
function ProgressStepper({ progress }: { progress: Progress }) {
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('md'));
  const active = progress.steps.findIndex((s) => s.state === 'current');
  return (
    <Stepper
      activeStep={active < 0 ? (progress.steps.every((s) => s.state === 'done') ? progress.steps.length : 0) : active}
      orientation={narrow ? 'vertical' : 'horizontal'}
      alternativeLabel={!narrow}
      data-testid="progress-stepper"
    >
      {progress.steps.map((step) => (
        <Step key={step.key} completed={step.state === 'done'} data-state={step.state}>
          <StepLabel
            optional={
              <Stack sx={{ alignItems: narrow ? 'flex-start' : 'center' }}>
                {step.holder ? <Typography variant="body2">{step.holder}</Typography> : null}
                {step.state === 'current' ? (
                  <>
                    <Typography variant="caption" color="primary">
                      {step.tasks.length ? `正在办理：${step.tasks.map((t) => t.name).join('、')}` : '正在办理'}
                    </Typography>
                    {step.dueAt ? (
                      <Typography variant="caption" color="text.secondary" data-testid="progress-due">
                        办理期限：{formatDateTime(step.dueAt)}
                      </Typography>
                    ) : null}
                  </>
                ) : (
                  <Typography variant="caption" color="text.secondary">
                    {step.state === 'done' ? '已完成' : '待办理'}
                  </Typography>
                )}
              </Stack>
            }
          >
            {step.label}
          </StepLabel>
        </Step>
      ))}
    </Stepper>
  );
}

/** 流程实例查看: the diagram of the instance's own version, the path taken, where it waits now. */
export function InstanceViewer() {
  const { id } = useParams<{ id: string }>();
  const instance = useQuery({ queryKey: ['instance', id], queryFn: () => api<InstanceView>(`/api/process-instances/${id}`) });
  const { permissions = [] } = usePermissions<string[]>();
  const progress = useQuery({ queryKey: ['instance-progress', id], queryFn: () => api<Progress>(`/api/process-instances/${id}/progress`) });
  // the applicant reads the chain as steps; the diagram is for staff
  const forApplicant = Boolean(progress.data?.forStarter && progress.data.steps.length);
  const diagram = useQuery({
    queryKey: ['instance-diagram', id],
    queryFn: () => api<{ xml: string; version: number }>(`/api/process-instances/${id}/diagram`),
    enabled: progress.isSuccess && !forApplicant,
  });
  const markers = useMemo(() => {
    const m: Record<string, string[]> = {};
    for (const elementId of instance.data?.trail ?? []) m[elementId] = ['zcps-done', 'zcps-taken'];
    for (const t of instance.data?.tasks ?? []) m[t.elementId] = ['zcps-current'];
    for (const w of instance.data?.waitingMessages ?? []) m[w.elementId] = ['zcps-current'];
    return m;
  }, [instance.data]);
  if (instance.isPending || progress.isPending || (!forApplicant && diagram.isPending)) return <Loading />;
  if (instance.error || progress.error || diagram.error || !instance.data || !progress.data || (!forApplicant && !diagram.data)) {
    return <Alert severity="error">{((instance.error ?? progress.error ?? diagram.error) as Error)?.message ?? '流程实例不存在'}</Alert>;
  }
  const v = instance.data;
  // a case waiting for another flow's message (评审结果…) has no task: say what it waits for
  const waiting = v.waitingMessages.length ? (
    <Alert severity="info" sx={{ mb: 2 }} data-testid="waiting-messages">
      {v.waitingMessages.map((w) => (
        <div key={`${w.instanceId}:${w.elementId}`}>
          {forApplicant ? `等待：${w.elementName ?? w.name}` : `等待消息：${w.elementName ?? w.name}（${w.name}，关联键 ${w.correlationKey ?? '—'}），自 ${formatDateTime(w.since)} 起`}
        </div>
      ))}
    </Alert>
  ) : null;
  const steps = progress.data.steps.length ? (
    <Card sx={{ mb: 2 }}>
      <CardHeader title="办理进度" />
      <CardContent sx={{ overflowX: 'auto' }}>
        <ProgressStepper progress={progress.data} />
      </CardContent>
    </Card>
  ) : null;
  if (forApplicant) {
    return (
      <Box sx={{ mt: 2 }}>
        <Title title={`查看进度：${v.processName}`} />
        <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
          <Typography variant="h6">{v.processName}</Typography>
          <Chip label={progress.data.statusLabel} color={v.status === 'running' ? 'primary' : 'default'} />
          <Typography color="text.secondary">发起于 {formatDateTime(v.startedAt)}</Typography>
        </Stack>
        {waiting}
        {steps}
        <Card>
          <CardHeader title="经办流程" />
          <CardContent>
            <HistoryTimeline history={v.history} />
          </CardContent>
        </Card>
      </Box>
    );
  }
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={`流程实例：${v.processName}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="h6">{v.processName}</Typography>
        <Chip label={`第 ${v.processVersion} 版`} data-testid="instance-version" />
        <Chip label={STATUS[v.status] ?? v.status} color={v.status === 'running' ? 'primary' : 'default'} />
        <Typography color="text.secondary">发起于 {formatDateTime(v.startedAt)}</Typography>
        {v.tasks.length ? <Typography>当前：{v.tasks.map((t) => t.name).join('、')}</Typography> : null}
        {v.status === 'running' && !v.parentInstanceId && permissions.includes('incident.manage') ? <CancelInstance instance={v} /> : null}
      </Stack>
      {waiting}
      {steps}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 8 }}>
          <Card>
            <CardContent>
              <DiagramViewer xml={diagram.data!.xml} markers={markers} testId="instance-diagram" />
              <Typography variant="caption" color="text.secondary">
                绿色：已经过的环节与路径；蓝色：当前待办环节或正在等待的消息
              </Typography>
            </CardContent>
          </Card>
        </Grid>
        <Grid size={{ xs: 12, lg: 4 }}>
          <Card>
            <CardHeader title="经办流程" />
            <CardContent>
              <HistoryTimeline history={v.history} />
            </CardContent>
          </Card>
        </Grid>
      </Grid>
    </Box>
  );
}
